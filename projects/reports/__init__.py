"""The funding report: one function per figure, each returning the number and the rows behind it.

A report is the figures for a period (both days included) and a scope (one cluster, or the whole
network when `cluster` is None). Every figure has a `rows` queryset: the drill-down page, the
workbook's row sheets and the tests list exactly those rows, so a funder can trace every number.

Definitions (the words a report's reader sees are in each figure's `definition`):
- A membership is a member from the day it started (its first period's start: renewals move
  the period start on, the history keeps the first) up to, not including, the day it lapsed or
  was cancelled. Members are organisations: one organisation in two clusters counts once for
  the whole network (and once in each cluster's own figures).
- Membership flows reconcile by construction: members at the start (members the day before the
  period begins) + new (not members then, members on some day of the period) - left (members at
  the start or new, and not members on the last day) = members at the end (members on the last
  day). This holds for every scope and every kind (tests/projects/test_report_flows.py).
- Matchmaking figures count dated events inside the period: suggested (created), requested,
  accepted (answered yes), met, project started (its start date).
- A project runs in the period when it started on or before the period's last day and has not
  ended before its first day; it is ongoing when it has not ended by the period's last day.
- Money is kept in its own currency: every money figure comes once per currency
  (`Figure.currency`), side by side; nothing adds two currencies. Shares are computed from exact
  values and rounded once.

The package, one module per part:
- base: Scope, Figure, Group and the units; arithmetic: prorating, rounding, shares (no ORM);
- records: the records a scope covers (memberships with their joined and left days, ...);
- members, matchmaking, engagement, projects, activities, contributions: the figures;
- report: the whole report (build_report), a figure by key, the breakdown by region;
- series: the dashboard's series.
"""

from projects.reports.activities import activities_held, participants_by_kind
from projects.reports.arithmetic import CENT, ZERO, prorate, prorate_exact, round_money, share
from projects.reports.base import (
    COUNT,
    HOURS,
    MONEY,
    PERCENT,
    Figure,
    Group,
    Scope,
    scope_currencies,
)
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
    ENDED,
    ONGOING,
    PROJECT_PHASES,
    partners_by_kind,
    projects_ongoing,
    projects_running,
    projects_started,
)
from projects.reports.records import ENDED_STATUSES, MEMBER_STATUSES, STARTED_PROJECT
from projects.reports.report import (
    FIGURE_KEYS,
    FIGURES,
    SECTIONS,
    Line,
    Report,
    build_report,
    by_region,
    figure,
    figures_for,
)
from projects.reports.series import activities_by_month, members_by_kind_on

__all__ = [
    "CENT",
    "COUNT",
    "ENDED",
    "ENDED_STATUSES",
    "FIGURES",
    "FIGURE_KEYS",
    "HOURS",
    "MEMBER_STATUSES",
    "MONEY",
    "ONGOING",
    "PERCENT",
    "PROJECT_PHASES",
    "SECTIONS",
    "STARTED_PROJECT",
    "ZERO",
    "Figure",
    "Group",
    "Line",
    "Report",
    "Scope",
    "activities_by_month",
    "activities_held",
    "budget_exact",
    "budget_for_period",
    "build_report",
    "by_region",
    "cash_by_source",
    "co_financing",
    "co_financing_share",
    "fee_income",
    "figure",
    "figures_for",
    "in_kind_hours",
    "in_kind_value",
    "matches_introduced",
    "matches_met",
    "matches_requested",
    "matches_suggested",
    "matches_to_projects",
    "members_at_end",
    "members_at_start",
    "members_by_kind_on",
    "members_lapsed",
    "members_new",
    "participants_by_kind",
    "partners_by_kind",
    "projects_ongoing",
    "projects_running",
    "projects_started",
    "prorate",
    "prorate_exact",
    "round_money",
    "scope_currencies",
    "share",
    "smes_engaged",
]
