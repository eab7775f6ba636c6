"""Needs and statistics as the API shows them."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from matchmaking.models import MatchStatus, Need, TargetType
from matchmaking.models_introductions import IntroductionStatus
from network.api.serializers import OrganisationSummarySerializer, PageURLField, slugs, tag_names

MAX_PERIOD = timedelta(days=5 * 366)


class NeedSerializer(serializers.ModelSerializer):
    owner = OrganisationSummarySerializer(read_only=True)
    municipality = slugs()
    region = slugs()
    focus_areas = slugs(many=True)
    tags = tag_names()
    url = PageURLField()

    class Meta:
        model = Need
        fields = [
            "id",
            "title",
            "description",
            "test_setting",
            "owner",
            "municipality",
            "region",
            "focus_areas",
            "tags",
            "deadline",
            "trl_min",
            "trl_max",
            "language",
            "published_at",
            "url",
        ]
        read_only_fields = fields


class PeriodSerializer(serializers.Serializer):
    """`start` and `end` (inclusive); by default this calendar year up to today."""

    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("start", date(today.year, 1, 1))
        attrs.setdefault("end", today)
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": _("The period cannot end before it starts.")})
        if attrs["end"] - attrs["start"] > MAX_PERIOD:
            raise serializers.ValidationError({"end": _("A period is at most five years.")})
        return attrs


def _count_object(name, values):
    return type(
        name,
        (serializers.Serializer,),
        {value: serializers.IntegerField() for value in values},
    )


class MatchFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = _count_object("MatchesByStatus", MatchStatus.values)()
    by_target_type = _count_object("MatchesByTargetType", TargetType.values)()
    companies = serializers.IntegerField()


class IntroductionFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = _count_object("IntroductionsByStatus", IntroductionStatus.values)()


class ClusterStatisticsSerializer(serializers.Serializer):
    """Counts only: no organisation is named."""

    cluster = serializers.SlugField()
    start = serializers.DateField()
    end = serializers.DateField()
    active_members = serializers.IntegerField()
    matches = MatchFiguresSerializer()
    introductions = IntroductionFiguresSerializer()
