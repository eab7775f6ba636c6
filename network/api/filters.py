"""Filters shared by the API's lists: the same facets as the portal's pages, by slug."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from network.models import FocusArea, Municipality, Region


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more slugs (repeat the parameter); any of them matches."""


class PlaceFilterSet(django_filters.FilterSet):
    """Free text `q`, `region`, `municipality` and `focus_area` (slugs; focus_area repeats)."""

    q = django_filters.CharFilter(method="filter_text", label=_("Free text"))
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="slug", label=_("Region (slug)")
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(), to_field_name="slug", label=_("Municipality (slug)")
    )
    focus_area = SlugsFilter(
        field_name="focus_areas__slug",
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        label=_("Focus area (slug)"),
        distinct=True,
    )

    def filter_text(self, queryset, name, value):
        return queryset.search(value)
