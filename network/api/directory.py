"""The directory's resources: public organisations, test sites and knowledge offers."""

import django_filters
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from network.api.filters import PlaceFilterSet
from network.api.permissions import DIRECTORY_READ
from network.api.serializers import (
    OptionalEmailField,
    OptionalURLField,
    OrganisationSummarySerializer,
    PageURLField,
    slugs,
    tag_names,
)
from network.api.views import ReadOnlyResource, SlugResource
from network.models import KnowledgeOffer, Organisation, Tag, TestSite
from network.models.offers import KnowledgeMethod, TestSiteType
from network.models.organisations import OrganisationKind


# --- Organisations ------------------------------------------------------------------------------
class OrganisationSerializer(serializers.ModelSerializer):
    """What the public profile shows: the organisation's general contact, never its people."""

    registry_number = serializers.CharField(read_only=True)
    municipality = slugs()
    region = slugs()
    focus_areas = slugs(many=True)
    tags = tag_names()
    profile_url = PageURLField()

    website = OptionalURLField()
    email = OptionalEmailField()

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "kind",
            "country",
            "registry_number",
            "description",
            "language",
            "website",
            "email",
            "phone",
            "town",
            "municipality",
            "region",
            "focus_areas",
            "tags",
            "readiness_level",
            "employees",
            "founded",
            "profile_url",
            "updated_at",
        ]
        read_only_fields = fields


class OrganisationFilter(PlaceFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region", "municipality", "focus_area"]


def _with_lists(queryset):
    return queryset.prefetch_related(
        "focus_areas", Prefetch("tags", queryset=Tag.objects.only("id", "name"))
    )


class OrganisationResource(SlugResource):
    """Organisations shown in the public directory."""

    required_scope = DIRECTORY_READ
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    queryset = _with_lists(
        Organisation.objects.public()
        .select_related("municipality", "region")
        .order_by("name", "pk")
    )


# --- Test sites and knowledge offers -----------------------------------------------------------
class TestSiteSerializer(serializers.ModelSerializer):
    owner = OrganisationSummarySerializer(read_only=True)
    municipality = slugs()
    region = serializers.SlugRelatedField(
        source="municipality.region", slug_field="slug", read_only=True, allow_null=True
    )
    focus_areas = slugs(many=True)
    tags = tag_names()
    has_capacity = serializers.BooleanField(read_only=True)

    class Meta:
        model = TestSite
        fields = [
            "id",
            "name",
            "site_type",
            "description",
            "capabilities",
            "capacity",
            "tests_running",
            "has_capacity",
            "available_from",
            "available_until",
            "trl_min",
            "trl_max",
            "language",
            "owner",
            "municipality",
            "region",
            "focus_areas",
            "tags",
            "updated_at",
        ]
        read_only_fields = fields


class TestSiteFilter(PlaceFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        field_name="site_type", choices=TestSiteType.choices, label=_("Type of site")
    )
    region = django_filters.CharFilter(
        field_name="municipality__region__slug", label=_("Region (slug)")
    )
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (slug)")
    )

    class Meta:
        model = TestSite
        fields = ["q", "kind", "region", "municipality", "focus_area"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class TestSiteResource(ReadOnlyResource):
    """Public test sites of public organisations."""

    required_scope = DIRECTORY_READ
    serializer_class = TestSiteSerializer
    filterset_class = TestSiteFilter
    queryset = _with_lists(
        TestSite.objects.public()
        .select_related("owner", "municipality__region")
        .order_by("name", "pk")
    )


class KnowledgeOfferSerializer(serializers.ModelSerializer):
    """The offer without its contact person: people's details are not part of the API."""

    owner = OrganisationSummarySerializer(read_only=True)
    region = serializers.SlugRelatedField(
        source="owner.region", slug_field="slug", read_only=True, allow_null=True
    )
    focus_areas = slugs(many=True)
    tags = tag_names()

    class Meta:
        model = KnowledgeOffer
        fields = [
            "id",
            "title",
            "competence",
            "method",
            "description",
            "trl_min",
            "trl_max",
            "language",
            "owner",
            "region",
            "focus_areas",
            "tags",
            "updated_at",
        ]
        read_only_fields = fields


class KnowledgeOfferFilter(PlaceFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        field_name="method", choices=KnowledgeMethod.choices, label=_("Method")
    )
    region = django_filters.CharFilter(field_name="owner__region__slug", label=_("Region (slug)"))
    municipality = django_filters.CharFilter(
        field_name="owner__municipality__slug", label=_("Municipality (slug)")
    )

    class Meta:
        model = KnowledgeOffer
        fields = ["q", "kind", "region", "municipality", "focus_area"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(competence__icontains=value))


class KnowledgeOfferResource(ReadOnlyResource):
    """Public knowledge offers of public universities and GTS institutes."""

    required_scope = DIRECTORY_READ
    serializer_class = KnowledgeOfferSerializer
    filterset_class = KnowledgeOfferFilter
    queryset = _with_lists(
        KnowledgeOffer.objects.public().select_related("owner__region").order_by("title", "pk")
    )
