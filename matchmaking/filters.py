"""Facets of the needs list and the match lists. Every filter lives in the URL."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Match, Need, NeedStatus, TargetType
from matchmaking.models_sharing import NeedShare
from network.filters import FocusAreaFilter, municipality_filter, region_filter
from network.models import FocusArea, Organisation
from network.models.organisations import OrganisationKind
from network.widgets import FastSelect

NEED_OWNER_KIND_CHOICES = [
    (OrganisationKind.MUNICIPALITY.value, OrganisationKind.MUNICIPALITY.label),
    (OrganisationKind.HOSPITAL.value, OrganisationKind.HOSPITAL.label),
    (OrganisationKind.REGION.value, OrganisationKind.REGION.label),
]


def min_score_filter():
    """A match score is stored as 0..1 and asked for in per cent."""
    return django_filters.NumberFilter(
        method="filter_min_score",
        label=_("Lowest score (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class NeedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label=_("Only my organisation's needs"),
        widget=forms.CheckboxInput,
    )
    status = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=NeedStatus.choices,
        label=_("Status"),
        empty_label=_("Any status"),
    )
    focus_area = FocusAreaFilter(
        field_name="focus_areas__slug",
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label=_("Focus area"),
    )
    owner_kind = django_filters.MultipleChoiceFilter(
        field_name="owner__kind",
        choices=NEED_OWNER_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label=_("Posted by"),
    )
    # A shared need is found in each of its places (matchmaking.querysets.placed_in).
    region = region_filter(method="filter_place")
    municipality = municipality_filter(method="filter_place")
    deadline_after = django_filters.DateFilter(
        field_name="deadline",
        lookup_expr="gte",
        label=_("Deadline on or after"),
        widget=DateInput(),
    )

    class Meta:
        model = Need
        fields = [
            "q",
            "mine",
            "status",
            "focus_area",
            "owner_kind",
            "region",
            "municipality",
            "deadline_after",
        ]

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return queryset
        # The user's organisations' own needs and those they joined.
        own = Organisation.objects.filter(affiliations__person__user=user).values("pk")
        shared = NeedShare.objects.filter(need=OuterRef("pk"), organisation__in=own)
        return queryset.filter(Q(owner__in=own) | Q(Exists(shared)))

    def filter_place(self, queryset, name, value):
        return queryset.placed_in(user=getattr(self.request, "user", None), **{name: value})

    @property
    def qs(self):
        queryset = super().qs
        if self.form.cleaned_data.get("focus_area") or self.form.cleaned_data.get("mine"):
            queryset = queryset.distinct()
        return queryset


class MatchFilter(django_filters.FilterSet):
    """Filters of a company's matches (target type, region, where, lowest score in per cent).

    Where is the company's own preference for geography (anywhere in the network, its country,
    its region): the score no longer pays for being close, so a company that wants partners
    nearby says so here instead."""

    target_type = django_filters.ChoiceFilter(
        widget=FastSelect, choices=TargetType.choices, label=_("Type"), empty_label=_("All types")
    )
    region = region_filter("target_region")
    place = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=[("country", _("In my country")), ("region", _("In my region"))],
        empty_label=_("Anywhere in the network"),
        label=_("Where"),
        method="filter_place",
    )
    min_score = min_score_filter()

    class Meta:
        model = Match
        fields = ["target_type", "region", "place", "min_score"]

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company

    def filter_place(self, queryset, name, value):
        company = self.company
        if company is None or not value:
            return queryset
        if value == "country":
            return queryset.filter(target_region__country=company.country)
        # As matching places a company: its municipality's region, else the region it gave.
        region = company.municipality.region_id if company.municipality_id else company.region_id
        return queryset.filter(target_region=region) if region else queryset.none()

    def filter_min_score(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(score__gte=float(value) / 100)


class CompanyMatchFilter(django_filters.FilterSet):
    """Filters of the companies that fit a target (the company's region, lowest score)."""

    region = region_filter("source__region", label=_("The company's region"))
    min_score = min_score_filter()
    shortlisted = django_filters.BooleanFilter(
        method="filter_shortlisted",
        label=_("Only the shortlist"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Match
        fields = ["region", "min_score", "shortlisted"]

    filter_min_score = MatchFilter.filter_min_score

    def filter_shortlisted(self, queryset, name, value):
        """Needs the `shortlisted` annotation (matchmaking.views.matches.target_matches)."""
        return queryset.filter(shortlisted=True) if value else queryset
