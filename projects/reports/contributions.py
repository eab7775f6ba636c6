"""Money figures, each once per currency: in-kind hours and value, cash, the period's budget,
private co-financing and its share of the budget."""

from django.db.models import DecimalField, F, Sum
from django.utils.translation import gettext_lazy as _

from network.money import sort_currencies
from projects.models import FundingSource
from projects.querysets import IN_KIND_VALUE
from projects.reports import records
from projects.reports.arithmetic import ZERO, prorate_exact, round_money, share
from projects.reports.base import (
    HOURS,
    MONEY,
    PERCENT,
    Figure,
    Scope,
    groups_from,
    scope_currencies,
)


def _sums(rows, expression, by="funding_source") -> dict:
    """{(currency, by): sum of expression} in one query."""
    out = DecimalField(max_digits=20, decimal_places=2)
    return {
        (currency, key): value or ZERO
        for currency, key, value in rows.order_by()
        .values_list("currency", by)
        .annotate(n=Sum(expression, output_field=out))
    }


def _per_currency(scope, sums: dict, rows, **figure) -> list[Figure]:
    """One figure per currency (every currency of the scope, and any other the rows are in),
    grouped by funding source; its number is the sum of its groups."""
    currencies = sort_currencies([*scope_currencies(scope), *(c for c, _k in sums)])
    figures = []
    for currency in currencies:
        counts = {key: value for (c, key), value in sums.items() if c == currency}
        figures.append(
            Figure(
                number=sum(counts.values(), ZERO),
                rows=rows.filter(currency=currency),
                unit=MONEY,
                currency=currency,
                group_field="funding_source",
                groups=groups_from(counts, FundingSource.choices),
                region_field="organisation__region__name",
                **figure,
            )
        )
    return figures


def in_kind_hours(scope: Scope) -> Figure:
    rows = records.contributions(scope).filter(hours__gt=0)
    out = DecimalField(max_digits=20, decimal_places=2)
    counts = {
        key: value or ZERO
        for key, value in rows.order_by()
        .values_list("funding_source")
        .annotate(n=Sum("hours", output_field=out))
    }
    return Figure(
        key="in_kind_hours",
        section="contributions",
        label=_("In-kind hours"),
        definition=_("Hours partners put into projects and activities in the period."),
        number=sum(counts.values(), ZERO),
        rows=rows,
        unit=HOURS,
        group_field="funding_source",
        groups=groups_from(counts, FundingSource.choices),
        measure=Sum("hours"),
        region_field="organisation__region__name",
    )


def in_kind_value(scope: Scope) -> list[Figure]:
    rows = records.contributions(scope).filter(hours__gt=0)
    return _per_currency(
        scope,
        _sums(rows, F("hours") * F("hourly_rate")),
        rows,
        key="in_kind_value",
        section="contributions",
        label=_("In-kind value"),
        definition=_(
            "In-kind hours at each partner's hourly rate, in the contribution's currency."
        ),
        measure=Sum(IN_KIND_VALUE),
    )


def cash_by_source(scope: Scope) -> list[Figure]:
    rows = records.contributions(scope).filter(cash__gt=0)
    return _per_currency(
        scope,
        _sums(rows, "cash"),
        rows,
        key="cash",
        section="contributions",
        label=_("Cash"),
        definition=_("Cash paid in the period, by funding source, in its currency."),
        measure=Sum("cash"),
    )


def budget_exact(scope: Scope) -> dict:
    """{(currency, funding source): the period's part of the budget lines, not rounded}."""
    exact: dict = {}
    for budget in records.budgets(scope):
        part = prorate_exact(
            budget.amount,
            start=budget.period_start,
            end=budget.period_end,
            within_start=scope.start,
            within_end=scope.end,
        )
        key = (budget.currency, budget.funding_source)
        exact[key] = exact.get(key, ZERO) + part
    return exact


def budget_for_period(scope: Scope, exact: dict | None = None) -> list[Figure]:
    exact = budget_exact(scope) if exact is None else exact
    figures = _per_currency(
        scope,
        {key: round_money(value) for key, value in exact.items()},
        records.budgets(scope),
        key="budget",
        section="budget",
        label=_("Budget for the period"),
        definition=_(
            "Each budget line spread evenly over its own period; the part that falls in this "
            "period, in the budget's currency."
        ),
    )
    for figure in figures:
        figure.region_field = None  # budgets belong to clusters, not to a region
        # The total is rounded once from the exact parts.
        figure.number = round_money(
            sum((v for (c, _s), v in exact.items() if c == figure.currency), ZERO)
        )
    return figures


def co_financing(scope: Scope) -> list[Figure]:
    rows = records.contributions(scope).filter(funding_source=FundingSource.PRIVATE)
    figures = _per_currency(
        scope,
        _sums(rows, F("hours") * F("hourly_rate") + F("cash")),
        rows,
        key="co_financing",
        section="budget",
        label=_("Private co-financing"),
        definition=_("In-kind value and cash from private co-financing in the period."),
        measure=Sum(IN_KIND_VALUE + F("cash")),
    )
    for figure in figures:
        figure.groups, figure.group_field = [], None
    return figures


def co_financing_share(scope: Scope, *, realised: list[Figure], exact: dict) -> list[Figure]:
    figures = []
    for figure in realised:
        planned = exact.get((figure.currency, FundingSource.PRIVATE), ZERO)
        figures.append(
            Figure(
                key="co_financing_share",
                section="budget",
                label=_("Co-financing against budget"),
                definition=_(
                    "Private co-financing as a percentage of the private budget for the "
                    "period, in the same currency; computed from the exact amounts and rounded "
                    "once to two decimals."
                ),
                number=share(figure.number, planned),
                rows=figure.rows,
                unit=PERCENT,
                currency=figure.currency,
            )
        )
    return figures
