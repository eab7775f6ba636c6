"""Membership figures (members at the start, new, left, at the end) and fee income."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network.models import Organisation
from network.models.organisations import OrganisationKind
from network.money import sort_currencies
from projects.reports import records
from projects.reports.arithmetic import ZERO, round_money
from projects.reports.base import MONEY, Figure, Scope, grouped, scope_currencies
from projects.reports.records import FEE_CURRENCY


def _organisations_figure(key, label, definition, rows) -> Figure:
    return Figure(
        key=key,
        section="members",
        label=label,
        definition=definition,
        rows=rows.order_by("name", "pk"),
        region_field="region__name",
        **grouped(rows, "kind", OrganisationKind.choices),
    )


def _organisations_in(memberships):
    return Q(pk__in=memberships.values("organisation_id"))


def members_at_start(scope: Scope) -> Figure:
    at_start = records.member_on(records.memberships(scope), scope.day_before)
    return _organisations_figure(
        "members_start",
        _("Members at the start of the period"),
        _(
            "Organisations that were members on the day before the period began (an "
            "organisation that joined on the first day is new, not a member at the start)."
        ),
        Organisation.objects.filter(_organisations_in(at_start)),
    )


def members_at_end(scope: Scope) -> Figure:
    at_end = records.member_on(records.memberships(scope), scope.end)
    return _organisations_figure(
        "members_end",
        _("Members at the end of the period"),
        _("Organisations that were members on the last day of the period."),
        Organisation.objects.filter(_organisations_in(at_end)),
    )


def members_new(scope: Scope) -> Figure:
    memberships = records.memberships(scope)
    return _organisations_figure(
        "members_new",
        _("New members"),
        _(
            "Organisations that were not members on the day before the period and were members "
            "on at least one day of it."
        ),
        Organisation.objects.filter(
            _organisations_in(records.member_during(memberships, scope.start, scope.end))
        ).exclude(_organisations_in(records.member_on(memberships, scope.day_before))),
    )


def members_lapsed(scope: Scope) -> Figure:
    memberships = records.memberships(scope)
    return _organisations_figure(
        "members_lapsed",
        _("Members who left"),
        _(
            "Organisations that were members at the start or became members in the period, and "
            "were no longer members on its last day (their membership lapsed or was cancelled)."
        ),
        Organisation.objects.filter(
            _organisations_in(records.member_on(memberships, scope.day_before))
            | _organisations_in(records.member_during(memberships, scope.start, scope.end))
        ).exclude(_organisations_in(records.member_on(memberships, scope.end))),
    )


def fee_income(scope: Scope) -> list[Figure]:
    """Membership fees earned in the period, per currency: each membership's annual fee spread
    over 365 days, for the days of the period it was a member."""
    memberships = (
        records.member_during(records.memberships(scope), scope.start, scope.end)
        .filter(annual_fee__gt=0)
        .annotate(fee_currency=FEE_CURRENCY)
        .select_related("organisation", "cluster")
        .order_by("cluster__name", "organisation__name", "pk")
    )
    totals: dict[str, Decimal] = {}
    for joined, left, fee, currency in memberships.values_list(
        "joined", "left", "annual_fee", "fee_currency"
    ):
        first = max(joined, scope.start)
        last = min(left - timedelta(days=1), scope.end) if left else scope.end
        days = (last - first).days + 1
        if days > 0:
            totals[currency] = totals.get(currency, ZERO) + Decimal(fee) * days / 365
    return [
        Figure(
            key="fee_income",
            section="fees",
            label=_("Membership fees"),
            definition=_(
                "Each member's annual fee spread evenly over 365 days, for the days of the "
                "period it was a member, in the membership's currency."
            ),
            number=round_money(totals.get(currency, ZERO)),
            rows=memberships.filter(fee_currency=currency),
            unit=MONEY,
            currency=currency,
        )
        for currency in sort_currencies([*scope_currencies(scope), *totals])
    ]
