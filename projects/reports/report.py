"""The report: every figure of a scope, in sections and lines, and a figure by key."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from network.money import sort_currencies
from projects.reports.activities import activities_held, participants_by_kind
from projects.reports.base import Figure, Scope, scope_currencies
from projects.reports.contributions import (
    budget_exact,
    budget_for_period,
    cash_by_source,
    co_financing,
    co_financing_share,
    in_kind_hours,
    in_kind_value,
)
from projects.reports.engagement import smes_engaged
from projects.reports.events import (
    event_meetings_held,
    event_meetings_requested,
    event_meetings_to_introductions,
    event_meetings_to_projects,
    event_participants,
)
from projects.reports.matchmaking import (
    matches_introduced,
    matches_met,
    matches_requested,
    matches_suggested,
    matches_to_projects,
)
from projects.reports.members import (
    fee_income,
    members_at_end,
    members_at_start,
    members_lapsed,
    members_new,
)
from projects.reports.projects import (
    partners_by_kind,
    projects_ongoing,
    projects_running,
    projects_started,
)
from projects.reports.testing import tests_evaluated, tests_held

FIGURES = {
    "members_start": members_at_start,
    "members_new": members_new,
    "members_lapsed": members_lapsed,
    "members_end": members_at_end,
    "fee_income": fee_income,
    "smes_engaged": smes_engaged,
    "matches_suggested": matches_suggested,
    "matches_requested": matches_requested,
    "matches_introduced": matches_introduced,
    "matches_met": matches_met,
    "matches_to_projects": matches_to_projects,
    "tests_held": tests_held,
    "tests_evaluated": tests_evaluated,
    "event_participants": event_participants,
    "event_meetings_requested": event_meetings_requested,
    "event_meetings_held": event_meetings_held,
    "event_meetings_to_introductions": event_meetings_to_introductions,
    "event_meetings_to_projects": event_meetings_to_projects,
    "projects_started": projects_started,
    "projects_running": projects_running,
    "projects_ongoing": projects_ongoing,
    "partners": partners_by_kind,
    "activities": activities_held,
    "participants": participants_by_kind,
    "in_kind_hours": in_kind_hours,
    "in_kind_value": in_kind_value,
    "cash": cash_by_source,
    "budget": budget_for_period,
    "co_financing": co_financing,
}
FIGURE_KEYS = [*FIGURES, "co_financing_share"]

SECTIONS = {
    "members": _("Members"),
    "fees": _("Membership fees"),
    "engagement": _("SMEs engaged"),
    "matchmaking": _("Matchmaking"),
    "projects": _("Projects"),
    "activities": _("Activities"),
    "contributions": _("Contributions"),
    "budget": _("Budget and co-financing"),
}


def _as_list(result) -> list[Figure]:
    return result if isinstance(result, list) else [result]


def figures_for(key: str, scope: Scope) -> list[Figure]:
    """A figure by key, once per currency for money (KeyError for an unknown key)."""
    if key == "co_financing_share":
        return co_financing_share(scope, realised=co_financing(scope), exact=budget_exact(scope))
    return _as_list(FIGURES[key](scope))


def figure(key: str, scope: Scope, currency: str | None = None) -> Figure:
    """One figure by key, and for money by currency (the scope's first when not given)."""
    figures = figures_for(key, scope)
    if currency is None:
        return figures[0]
    for item in figures:
        if item.currency == currency:
            return item
    raise KeyError(currency)


@dataclass
class Line:
    """A figure as a report line: one figure, or a money figure once per currency."""

    key: str
    label: str
    definition: str
    unit: str
    figures: list[Figure]


@dataclass
class Report:
    scope: Scope
    figures: dict[str, Figure]

    @property
    def currencies(self) -> list[str]:
        return sort_currencies(f.currency for f in self.figures.values() if f.currency)

    def lines(self) -> list[Line]:
        out: dict[str, Line] = {}
        for item in self.figures.values():
            if item.key not in out:
                out[item.key] = Line(item.key, item.label, item.definition, item.unit, [])
            out[item.key].figures.append(item)
        return list(out.values())

    def sections(self):
        """[(section key, section label, [lines])] in the report's order."""
        lines = self.lines()
        out = []
        for key, label in SECTIONS.items():
            section = [line for line in lines if line.figures[0].section == key]
            if section:
                out.append((key, label, section))
        return out


def build_report(*, start: date, end: date, cluster: Cluster | None = None) -> Report:
    scope = Scope(start=start, end=end, cluster=cluster)
    scope = Scope(start=start, end=end, cluster=cluster, currencies=tuple(scope_currencies(scope)))
    figures: dict[str, Figure] = {}
    exact = budget_exact(scope)
    for key, function in FIGURES.items():
        result = budget_for_period(scope, exact) if key == "budget" else function(scope)
        for item in _as_list(result):
            figures[item.id] = item
    realised = [f for f in figures.values() if f.key == "co_financing"]
    for item in co_financing_share(scope, realised=realised, exact=exact):
        figures[item.id] = item
    return Report(scope=scope, figures=figures)


def by_region(item: Figure) -> dict[str | None, object]:
    """{region name (None: no region): number} for a figure whose rows have a region."""
    if not item.region_field:
        return {}
    measure = item.measure or Count("pk")
    return dict(item.rows.order_by().values_list(item.region_field).annotate(n=measure))
