"""The directory's facets. Every filter lives in the URL, so a result can be bookmarked."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField as FilterModelChoiceField
from django_filters.fields import ModelMultipleChoiceField as FilterModelMultipleChoiceField

from clusters.models import Cluster  # the one allowed reach upward: cluster facets
from network.models import FocusArea, Municipality, Organisation, Region, Tag
from network.models.organisations import OrganisationKind
from network.municipalities import MunicipalityFilterField
from network.reference_choices import CachedReferenceChoices
from network.widgets import FastSelect


class RegionFilterField(FilterModelChoiceField):
    iterator = CachedReferenceChoices


class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionFilterField


class FocusAreaFilterField(FilterModelMultipleChoiceField):
    iterator = CachedReferenceChoices


class FocusAreaFilter(django_filters.ModelMultipleChoiceFilter):
    """The focus-area facet: its options from the cache like the regions' (reference data)."""

    field_class = FocusAreaFilterField


def region_filter(field_name: str = "region", label=None, method=None):
    """The region facet every list shares: a region's slug in the URL, "All regions" first
    (`method`: the filter set's method that filters by the region chosen, if not a field)."""
    return RegionFilter(
        widget=FastSelect,
        field_name=field_name,
        queryset=Region.objects.all(),
        to_field_name="slug",
        label=label or _("Region"),
        empty_label=_("All regions"),
        method=method,
    )


class CachedMunicipalityFilterField(MunicipalityFilterField):
    iterator = CachedReferenceChoices


class MunicipalityFilter(django_filters.ModelChoiceFilter):
    """A municipality's slug in the URL; a number or official name (Guovdageaidnu) works too."""

    field_class = CachedMunicipalityFilterField


def municipality_filter(field_name: str = "municipality", method=None):
    return MunicipalityFilter(
        widget=FastSelect,
        field_name=field_name,
        queryset=Municipality.objects.all(),
        to_field_name="slug",
        label=_("Municipality"),
        empty_label=_("All municipalities"),
        method=method,
    )


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(
        choices=OrganisationKind.choices, widget=forms.CheckboxSelectMultiple, label=_("Kind")
    )
    cluster = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        queryset=Cluster.objects.all(),
        to_field_name="slug",
        method="filter_cluster",
        label=_("Cluster"),
        empty_label=_("All clusters"),
    )
    region = region_filter()
    municipality = municipality_filter()
    focus_area = FocusAreaFilter(
        field_name="focus_areas__slug",
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label=_("Focus area"),
    )
    tag = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        field_name="tags",
        queryset=Tag.objects.all(),
        to_field_name="slug",
        label=_("Tag"),
        empty_label=_("All tags"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "cluster", "region", "municipality", "focus_area", "tag"]

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_cluster(self, queryset, name, value):
        # Members are those with an active membership of the cluster.
        return queryset.filter(memberships__cluster=value, memberships__status="active")

    @property
    def qs(self):
        queryset = super().qs
        # Several multi-valued facets can repeat rows; the search ranking orders its own.
        if self.form.cleaned_data.get("focus_area") or self.form.cleaned_data.get("cluster"):
            queryset = queryset.distinct()
        return queryset
