"""The member list's facets and sort order. Every filter lives in the URL, so exports and
bookmarks see exactly the list on the screen."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters import periods
from clusters.models import MembershipStatus, MembershipTier
from network.filters import FocusAreaFilter, region_filter
from network.models import FocusArea, Organisation, Region
from network.models.organisations import OrganisationKind

PAGE_SIZES = (25, 50, 100)


class MemberOrderingFilter(django_filters.OrderingFilter):
    """Sort by one column; ties broken by organisation name and id, so pages are stable."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        # Empty values (no tier, no fee, no period yet) last in both directions, on every
        # database (PostgreSQL would put them first when descending).
        ordering = [
            F(item[1:]).desc(nulls_last=True)
            if item.startswith("-")
            else F(item).asc(nulls_last=True)
            for item in qs.query.order_by
            if isinstance(item, str)
        ]
        return qs.order_by(*ordering, "organisation__name", "pk")


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(
        choices=MembershipStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Status"),
    )
    tier = django_filters.ModelMultipleChoiceFilter(
        queryset=MembershipTier.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Tier"),
    )
    kind = django_filters.MultipleChoiceFilter(
        field_name="organisation__kind",
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Kind"),
    )
    region = region_filter("organisation__region")
    focus_area = FocusAreaFilter(
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        method="filter_focus_area",
        widget=forms.CheckboxSelectMultiple,
        label=_("Focus area"),
    )
    renewal_due = django_filters.BooleanFilter(
        method="filter_renewal_due",
        widget=forms.CheckboxInput,
        label=_("Renewal due"),
    )
    ordering = MemberOrderingFilter(
        fields=(
            ("organisation__name", "name"),
            ("organisation__kind", "kind"),
            ("organisation__region__name", "region"),
            ("tier__position", "tier"),
            ("annual_fee", "fee"),
            ("status", "status"),
            ("period_end", "period_end"),
            ("applied_at", "applied"),
        ),
        field_labels={
            "organisation__name": _("Organisation"),
            "organisation__kind": _("Kind"),
            "organisation__region__name": _("Region"),
            "tier__position": _("Tier"),
            "annual_fee": _("Annual fee"),
            "status": _("Status"),
            "period_end": _("Period end"),
            "applied_at": _("Applied"),
        },
        label=_("Sort by"),
    )

    def __init__(self, *args, cluster=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        if cluster is not None:
            self.filters["tier"].queryset = MembershipTier.objects.filter(cluster=cluster)
            if cluster.country:
                self.filters["region"].queryset = Region.objects.filter(country=cluster.country)

    def filter_text(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        contact = Q(primary_contact__email__icontains=value) | Q(
            primary_contact__last_name__icontains=value
        )
        return queryset.filter(
            Q(organisation__name__icontains=value)
            | Q(organisation__cvr=value.replace(" ", ""))
            | Q(organisation__orgnr=value.replace(" ", ""))
            | contact
        )

    def filter_focus_area(self, queryset, name, value):
        if not value:
            return queryset
        # A subquery rather than a join, so a member with two matching areas is listed once.
        through = Organisation.focus_areas.through
        return queryset.filter(
            Exists(
                through.objects.filter(
                    organisation_id=OuterRef("organisation_id"), focusarea__in=value
                )
            )
        )

    def filter_renewal_due(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            status=MembershipStatus.ACTIVE,
            period_end__lte=today + timedelta(days=periods.renewal_notice_days()),
        )

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, value) of the filters in use, for the export's 'About' sheet."""
        if not self.form.is_valid():
            return []
        found = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], False) or name == "ordering":
                continue
            field = self.form.fields[name]
            if hasattr(value, "__iter__") and not isinstance(value, str):
                choices = dict(getattr(field, "choices", []))
                text = ", ".join(str(choices.get(v, v)) for v in value)
            elif value is True:
                text = str(_("yes"))
            else:
                text = str(value)
            found.append((str(field.label), text))
        return found
