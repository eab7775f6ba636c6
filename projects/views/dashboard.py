"""The staff dashboard: members over time, the match funnel, activities, co-financing."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clusters.querysets import is_network_admin
from network.models.organisations import OrganisationKind
from projects import charts, reports
from projects.models import FundingSource
from projects.permissions import get_report_cluster, reporting_clusters, require_reporter


def _month_ends(today: date, count: int = 12) -> list[date]:
    ends = []
    first = today.replace(day=1)
    for _i in range(count):
        ends.append(
            min(
                today,
                (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1),
            )
        )
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(ends))


@login_required
@require_GET
def dashboard(request):
    require_reporter(request)
    clusters = reporting_clusters(request.user)
    slug = request.GET.get("cluster")
    if not slug and not is_network_admin(request.user):
        slug = clusters.first().slug
    cluster = get_report_cluster(request, slug or None)
    today = timezone.localdate()
    days = _month_ends(today)
    scope = reports.Scope(start=days[0].replace(day=1), end=today, cluster=cluster)
    month_labels = [f"{d:%m/%y}" for d in days]

    members = reports.members_by_kind_on(cluster, days)
    kinds = [
        (value, label)
        for value, label in OrganisationKind.choices
        if any(members[d].get(value) for d in days)
    ]
    members_chart = charts.bar_chart(
        _("Members by kind, at the end of each month"),
        month_labels,
        [(str(label), [members[d].get(value, 0) for d in days]) for value, label in kinds],
    )

    funnel_keys = [
        "matches_suggested",
        "matches_requested",
        "matches_introduced",
        "matches_met",
        "matches_to_projects",
    ]
    funnel = [reports.figure(key, scope) for key in funnel_keys]
    funnel_chart = charts.bar_chart(
        _("Match funnel in the last twelve months"),
        [str(f.label) for f in funnel],
        [(_("Number"), [f.number for f in funnel])],
    )

    by_month = reports.activities_by_month(scope)
    month_starts = [d.replace(day=1) for d in days]
    activity_chart = charts.bar_chart(
        _("Activities and participants per month"),
        month_labels,
        [
            (_("Activities"), [by_month.get(m, (0, 0))[0] for m in month_starts]),
            (_("Participants"), [by_month.get(m, (0, 0))[1] for m in month_starts]),
        ],
        stacked=False,
    )

    money_charts = [
        _money_chart(currency, budget, value, cash)
        for currency, budget, value, cash in _by_currency(
            reports.budget_for_period(scope),
            reports.in_kind_value(scope),
            reports.cash_by_source(scope),
        )
    ]
    return render(
        request,
        "projects/dashboard.html",
        {
            "cluster": cluster,
            "clusters": clusters,
            "whole_network": is_network_admin(request.user),
            "scope": scope,
            "charts": [members_chart, funnel_chart, activity_chart, *money_charts],
            "report_nav": True,
        },
    )


def _by_currency(*figure_lists):
    """[(currency, figure of each list in that currency or None)] for every currency."""
    currencies = reports.sort_currencies(f.currency for fl in figure_lists for f in fl)
    return [
        (c, *(next((f for f in fl if f.currency == c), None) for fl in figure_lists))
        for c in currencies
    ]


def _money_chart(currency, budget, value, cash):
    """Budget against realised funding by source, in one currency (never two in one chart)."""

    def by_source(figure):
        return {g.value: g.number for g in figure.groups} if figure else {}

    planned, in_kind, paid = by_source(budget), by_source(value), by_source(cash)
    sources = [
        (v, label)
        for v, label in FundingSource.choices
        if planned.get(v) or in_kind.get(v) or paid.get(v)
    ]
    return charts.bar_chart(
        _("Budget and realised funding by source (%(currency)s)") % {"currency": currency},
        [str(label) for _v, label in sources],
        [
            (_("Budget"), [planned.get(v, 0) for v, _l in sources]),
            (
                _("Realised (in-kind value and cash)"),
                [in_kind.get(v, 0) + paid.get(v, 0) for v, _l in sources],
            ),
        ],
        stacked=False,
    )
