"""Open public needs for directory tokens; per-cluster figures for statistics tokens."""

import django_filters
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from clusters.models import Cluster
from matchmaking.api.serializers import (
    ClusterStatisticsSerializer,
    NeedSerializer,
    PeriodSerializer,
)
from matchmaking.api.statistics import cluster_statistics
from matchmaking.models import Need
from network.api.filters import PlaceFilterSet
from network.api.permissions import DIRECTORY_READ, STATS_READ
from network.api.views import ReadOnlyResource
from network.models import Municipality, Region, Tag
from network.models.organisations import OrganisationKind


class NeedFilter(PlaceFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        field_name="owner__kind", choices=OrganisationKind.choices, label=_("Kind of owner")
    )
    # As on the need list: a shared need is in each of its places, a joiner's only if the joiner
    # is public (the API reads as anyone does).
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="slug",
        label=_("Region (slug)"),
        method="filter_place",
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(),
        to_field_name="slug",
        label=_("Municipality (slug)"),
        method="filter_place",
    )

    class Meta:
        model = Need
        fields = ["q", "kind", "region", "municipality", "focus_area"]

    def filter_place(self, queryset, name, value):
        return queryset.placed_in(user=None, **{name: value})


class NeedResource(ReadOnlyResource):
    """Open needs that anyone may see (not drafts, closed needs or members-only ones)."""

    required_scope = DIRECTORY_READ
    serializer_class = NeedSerializer
    filterset_class = NeedFilter
    queryset = (
        Need.objects.visible_to(None)
        .not_merged()
        .open()
        .select_related("owner", "municipality", "region")
        .prefetch_related("focus_areas", Prefetch("tags", queryset=Tag.objects.only("id", "name")))
        .order_by("deadline", "title", "pk")
    )


class ClusterStatistics(APIView):
    """Match and introduction counts for one cluster and period; no organisation is named."""

    required_scope = STATS_READ

    @extend_schema(parameters=[PeriodSerializer], responses=ClusterStatisticsSerializer)
    def get(self, request, slug):
        cluster = get_object_or_404(Cluster, slug=slug)
        period = PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        figures = cluster_statistics(cluster=cluster, **period.validated_data)
        return Response(ClusterStatisticsSerializer(figures).data)
