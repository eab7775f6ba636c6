"""The staff dashboard: members over time, the match funnel, activities, funding per currency.

The period is the user's choice (the last twelve months by default); each chart's numbers stand
in a table beside it.
"""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clusters.querysets import is_network_admin
from network.models.organisations import OrganisationKind
from network.money import sort_currencies
from projects import charts, reports
from projects.forms import ReportForm
from projects.models import FundingSource
from projects.permissions import get_report_cluster, reporting_clusters, require_reporter

# The chart shows a bar per month: at most three years of them.
MAX_MONTHS = 36
FUNNEL_KEYS = [
    "matches_suggested",
    "matches_requested",
    "matches_introduced",
    "matches_met",
    "matches_to_projects",
]
# Matchmaking events (matchmaking.events): participants, then the meetings' steps.
EVENT_KEYS = [
    "event_participants",
    "event_meetings_requested",
    "event_meetings_held",
    "event_meetings_to_introductions",
    "event_meetings_to_projects",
]
# Each kind of organisation keeps its colour in every chart.
KIND_COLOURS = {
    value: charts.PALETTE[i % len(charts.PALETTE)]
    for i, (value, _label) in enumerate(OrganisationKind.choices)
}


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _month_ends(start: date, end: date) -> list[date]:
    """The last day of each month from start to end (the end itself for its own month), at
    most the last MAX_MONTHS."""
    ends = []
    first = start.replace(day=1)
    while first <= end:
        ends.append(min(end, _month_end(first)))
        first = _month_end(first) + timedelta(days=1)
    return ends[-MAX_MONTHS:]


def _period(request, clusters, whole_network):
    today = timezone.localdate()
    # The twelve months up to today's: from the first day of the month eleven months back.
    months = today.year * 12 + today.month - 1 - 11
    default_start = date(months // 12, months % 12 + 1, 1)
    initial = {"start": default_start, "end": today}
    data = request.GET if "start" in request.GET else None
    form = ReportForm(data, initial=initial, clusters=clusters, whole_network=True)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default_start, today


@login_required
@require_GET
def dashboard(request):
    require_reporter(request)
    clusters = reporting_clusters(request.user)
    whole_network = is_network_admin(request.user)
    slug = request.GET.get("cluster")
    if not slug and not whole_network:
        slug = clusters.first().slug
    cluster = get_report_cluster(request, slug or None)
    form, start, end = _period(request, clusters, whole_network)
    days = _month_ends(start, end)
    scope = reports.Scope(start=days[0].replace(day=1) if days else start, end=end, cluster=cluster)
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
        colours=[KIND_COLOURS[value] for value, _label in kinds],
    )

    funnel = [reports.figure(key, scope) for key in FUNNEL_KEYS]
    counts = [f.number for f in funnel]
    funnel_chart = charts.bar_chart(
        _("Match funnel: each step as a percentage of the step before"),
        [str(f.label) for f in funnel],
        [(_("Percentage of the previous step"), charts.percent_of_previous(counts))],
        axis_max=100,
        unit=" %",
    )
    funnel_chart.table_extra = [(_("Number"), counts)]

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

    event_figures = [reports.figure(key, scope) for key in EVENT_KEYS]
    event_chart = charts.bar_chart(
        _("Matchmaking events: participants and meetings"),
        [str(f.label) for f in event_figures],
        [(_("Number"), [f.number for f in event_figures])],
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
            "whole_network": whole_network,
            "form": form,
            "scope": scope,
            "charts": [members_chart, funnel_chart, activity_chart, *money_charts],
            "event_chart": event_chart,
            "report_nav": True,
        },
    )


def _by_currency(*figure_lists):
    """[(currency, figure of each list in that currency or None)] for every currency."""
    currencies = sort_currencies(f.currency for fl in figure_lists for f in fl)
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
