"""The marketplace's facets: the directory's, over the event's participants."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchmaking.events.models import Registration
from network.filters import FocusAreaFilter, region_filter
from network.models import FocusArea
from network.models.organisations import OrganisationKind


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(
        field_name="organisation__kind",
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Kind"),
    )
    region = region_filter("organisation__region")
    focus_area = FocusAreaFilter(
        field_name="organisation__focus_areas__slug",
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label=_("Focus area"),
    )

    class Meta:
        model = Registration
        fields = ["q", "kind", "region", "focus_area"]

    def filter_text(self, queryset, name, value):
        query = Q()
        for word in value.split()[:8]:
            query &= (
                Q(organisation__name__icontains=word)
                | Q(offer__icontains=word)
                | Q(looking_for__icontains=word)
            )
        return queryset.filter(query)
