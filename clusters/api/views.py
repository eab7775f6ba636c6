"""Clusters for every directory token; members only for the cluster's own token."""

import django_filters
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import generics

from clusters.api.serializers import ClusterSerializer, MembershipSerializer
from clusters.models import Cluster, Membership, MembershipStatus
from network.api.filters import PlaceFilterSet, SlugsFilter
from network.api.permissions import DIRECTORY_READ, MEMBERS_READ
from network.api.views import SlugResource
from network.models import FocusArea, Region, Tag
from network.models.organisations import OrganisationKind
from network.models.reference import Country

# A CRM sees its members, past and present; applications are staff work in progress.
MEMBER_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.LAPSED, MembershipStatus.CANCELLED)


class ClusterFilter(django_filters.FilterSet):
    country = django_filters.ChoiceFilter(choices=Country.choices, label=_("Country"))
    region = django_filters.ModelChoiceFilter(
        field_name="regions",
        queryset=Region.objects.all(),
        to_field_name="slug",
        label=_("Region (slug)"),
        distinct=True,
    )
    focus_area = SlugsFilter(
        field_name="focus_areas__slug",
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        label=_("Focus area (slug)"),
        distinct=True,
    )

    class Meta:
        model = Cluster
        fields = ["country", "region", "focus_area"]


class ClusterResource(SlugResource):
    """The network's clusters and how many active members each has."""

    required_scope = DIRECTORY_READ
    serializer_class = ClusterSerializer
    filterset_class = ClusterFilter
    queryset = (
        Cluster.objects.annotate(
            member_count=Count("memberships", filter=Q(memberships__status="active"))
        )
        .prefetch_related("regions", "focus_areas")
        .order_by("name", "pk")
    )


class MembershipFilter(PlaceFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=[(status.value, status.label) for status in MEMBER_STATUSES], label=_("Status")
    )
    kind = django_filters.MultipleChoiceFilter(
        field_name="organisation__kind", choices=OrganisationKind.choices, label=_("Kind")
    )
    region = django_filters.CharFilter(
        field_name="organisation__region__slug", label=_("Region (slug)")
    )
    municipality = django_filters.CharFilter(
        field_name="organisation__municipality__slug", label=_("Municipality (slug)")
    )
    focus_area = django_filters.CharFilter(
        field_name="organisation__focus_areas__slug", label=_("Focus area (slug)"), distinct=True
    )

    class Meta:
        model = Membership
        fields = ["q", "status", "kind", "region", "municipality", "focus_area"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(organisation__name__icontains=value)


class MemberList(generics.ListAPIView):
    """The cluster's members (active, lapsed and cancelled). Only the cluster's own token with
    the members scope may read them; any other token is told the list does not exist."""

    required_scope = MEMBERS_READ
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        token = self.request.auth
        cluster = get_object_or_404(Cluster, slug=self.kwargs["slug"], pk=token.cluster_id)
        return (
            Membership.objects.filter(cluster=cluster, status__in=MEMBER_STATUSES)
            .select_related(
                "organisation__municipality", "organisation__region", "tier", "primary_contact"
            )
            .prefetch_related(
                "organisation__focus_areas",
                Prefetch("organisation__tags", queryset=Tag.objects.only("id", "name")),
            )
            .order_by("organisation__name", "pk")
        )
