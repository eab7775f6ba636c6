"""Facets of the project and activity lists; every filter lives in the URL."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from network.models import FocusArea
from network.models.organisations import OrganisationKind
from network.widgets import FastSelect
from projects.models import ActivityKind, ProjectPartner, ProjectStatus


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(
        choices=ProjectStatus.choices, widget=forms.CheckboxSelectMultiple, label=_("Status")
    )
    cluster = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        field_name="lead_cluster",
        queryset=Cluster.objects.all(),
        to_field_name="slug",
        label=_("Lead cluster"),
        empty_label=_("All clusters"),
    )
    focus_area = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        field_name="focus_areas",
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        label=_("Focus area"),
        empty_label=_("All focus areas"),
    )
    partner_kind = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=OrganisationKind.choices,
        method="filter_partner_kind",
        label=_("Has a partner of kind"),
        empty_label=_("Any kind"),
    )

    def filter_partner_kind(self, queryset, name, value):
        return queryset.filter(
            pk__in=ProjectPartner.objects.filter(organisation__kind=value).values("project_id")
        )


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(
        choices=ActivityKind.choices, widget=forms.CheckboxSelectMultiple, label=_("Kind")
    )
    cluster = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        queryset=Cluster.objects.all(),
        to_field_name="slug",
        label=_("Cluster"),
        empty_label=_("All clusters"),
    )
    date_from = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
