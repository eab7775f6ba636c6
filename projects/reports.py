"""The funding report: one function per figure, each returning the number and the rows behind it.

A report is the figures for a period (both days included) and a scope (one cluster, or the whole
network when `cluster` is None). Every figure has a `rows` queryset: the drill-down page, the
XLSX "sources" sheet and the tests list exactly those rows, so a funder can trace every number.

Definitions (the words a report's reader sees are in each figure's `definition`):
- A membership counts on day d when it had started (its first period's start: renewals move
  the period start on, the history keeps the first) and had not ended (it is active, or it
  lapsed/was cancelled after d). Members are organisations: one organisation in two clusters
  counts once for the whole network.
- A project runs in the period when it started on or before the period's last day and has not
  ended before its first day (ideas without a start date never run).
- Money is in the clusters' own currency; a report over Danish and Norwegian clusters adds DKK
  and NOK as they stand (choose one cluster for a report in one currency).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Membership, MembershipStatus
from matchmaking.models import Match
from matchmaking.models_introductions import AGREED_STATUSES, Introduction
from network.models import Organisation
from network.models.organisations import OrganisationKind
from projects.models import (
    PARTICIPANT_KINDS,
    Activity,
    ActivityKind,
    ActivityParticipant,
    Budget,
    Contribution,
    FundingSource,
    Project,
    ProjectPartner,
    ProjectStatus,
)
from projects.querysets import IN_KIND_VALUE

COUNT, HOURS, MONEY, PERCENT = "count", "hours", "money", "percent"
ZERO = Decimal("0")
# Statuses of a membership that was approved once (applications and rejections never count).
MEMBER_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.LAPSED, MembershipStatus.CANCELLED)
ENDED_STATUSES = (MembershipStatus.LAPSED, MembershipStatus.CANCELLED)
STARTED_PROJECT = (ProjectStatus.RUNNING, ProjectStatus.COMPLETED, ProjectStatus.STOPPED)


@dataclass
class Group:
    value: str
    label: str
    number: object


@dataclass
class Figure:
    key: str
    section: str
    label: str
    definition: str
    number: object
    rows: QuerySet
    unit: str = COUNT
    group_field: str | None = None
    groups: list[Group] = field(default_factory=list)

    def rows_for(self, group: str | None = None) -> QuerySet:
        if group is None or not self.group_field:
            return self.rows
        return self.rows.filter(**{self.group_field: group})


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    cluster: Cluster | None = None

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (its last day is included)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# --- Pure arithmetic ----------------------------------------------------------------------------
def prorate(amount: Decimal, *, start: date, end: date, within_start: date, within_end: date):
    """The part of `amount`, spread evenly over start..end, in within_start..within_end."""
    overlap = (min(end, within_end) - max(start, within_start)).days + 1
    if overlap <= 0:
        return ZERO
    total = (end - start).days + 1
    return (Decimal(amount) * overlap / total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def share(part, whole) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal; None when there is nothing to compare to."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _groups(counts: dict, choices) -> list[Group]:
    return [Group(value, str(label), counts[value]) for value, label in choices if value in counts]


def _grouped(rows, field: str, choices, total=None) -> dict:
    """A figure's number and its groups: `rows` counted (or `total` summed) by `field`, in one
    query; the number is the sum of the groups, so the two always agree."""
    counts = dict(rows.order_by().values_list(field).annotate(n=total or Count("pk")))
    groups = _groups(counts, choices)
    return {"number": sum(counts.values()), "group_field": field, "groups": groups}


# --- Members ------------------------------------------------------------------------------------
def _memberships(scope: Scope):
    # Renewals move the period start on; the history keeps the first one.
    first_start = (
        Membership.history.filter(
            id=OuterRef("pk"), status=MembershipStatus.ACTIVE, period_start__isnull=False
        )
        .order_by("period_start")
        .values("period_start")[:1]
    )
    memberships = Membership.objects.filter(status__in=MEMBER_STATUSES).annotate(
        first_start=Subquery(first_start),
    )
    memberships = memberships.annotate(
        joined=Least(
            Coalesce("period_start", "first_start"), Coalesce("first_start", "period_start")
        ),
        left=TruncDate("status_changed_at"),
    )
    if scope.cluster is not None:
        memberships = memberships.filter(cluster=scope.cluster)
    return memberships


def _member_on(memberships, day: date):
    return memberships.filter(joined__lte=day).filter(
        Q(status=MembershipStatus.ACTIVE) | Q(status__in=ENDED_STATUSES, left__gt=day)
    )


def _organisations_figure(key, label, definition, memberships) -> Figure:
    rows = Organisation.objects.filter(pk__in=memberships.values("organisation_id")).order_by(
        "name", "pk"
    )
    return Figure(
        key=key,
        section="members",
        label=label,
        definition=definition,
        rows=rows,
        **_grouped(rows, "kind", OrganisationKind.choices),
    )


def members_at_start(scope: Scope) -> Figure:
    return _organisations_figure(
        "members_start",
        _("Members at the start of the period"),
        _("Organisations with a membership on the first day of the period."),
        _member_on(_memberships(scope), scope.start),
    )


def members_at_end(scope: Scope) -> Figure:
    return _organisations_figure(
        "members_end",
        _("Members at the end of the period"),
        _("Organisations with a membership on the last day of the period."),
        _member_on(_memberships(scope), scope.end),
    )


def members_new(scope: Scope) -> Figure:
    return _organisations_figure(
        "members_new",
        _("New members"),
        _("Organisations whose membership started in the period."),
        _memberships(scope).filter(joined__gte=scope.start, joined__lte=scope.end),
    )


def members_lapsed(scope: Scope) -> Figure:
    return _organisations_figure(
        "members_lapsed",
        _("Members who left"),
        _("Organisations whose membership lapsed or was cancelled in the period."),
        _memberships(scope).filter(
            status__in=ENDED_STATUSES, left__gte=scope.start, left__lte=scope.end
        ),
    )


# --- Matchmaking --------------------------------------------------------------------------------
def _members_of(cluster):
    return Membership.objects.filter(cluster=cluster, status__in=MEMBER_STATUSES).values(
        "organisation_id"
    )


def _introductions(scope: Scope):
    introductions = Introduction.objects.all()
    if scope.cluster is not None:
        members = _members_of(scope.cluster)
        introductions = introductions.filter(
            Q(source__in=members) | Q(target_organisation__in=members)
        )
    return introductions


def _projects(scope: Scope):
    projects = Project.objects.all()
    if scope.cluster is not None:
        projects = projects.filter(lead_cluster=scope.cluster)
    return projects


def _running(scope: Scope):
    return (
        _projects(scope)
        .filter(status__in=STARTED_PROJECT, start__lte=scope.end)
        .filter(Q(end__isnull=True) | Q(end__gte=scope.start))
    )


def matches_suggested(scope: Scope) -> Figure:
    rows = Match.objects.filter(
        created_at__gte=scope.start_at, created_at__lt=scope.end_before
    ).order_by("created_at", "pk")
    if scope.cluster is not None:
        rows = rows.filter(source__in=_members_of(scope.cluster))
    return Figure(
        key="matches_suggested",
        section="matchmaking",
        label=_("Matches suggested"),
        definition=_(
            "Matches the engine first suggested in the period and still on record (matches "
            "nobody acted on leave the lists when a better one comes along)."
        ),
        number=rows.count(),
        rows=rows,
    )


def matches_requested(scope: Scope) -> Figure:
    rows = (
        _introductions(scope)
        .filter(requested_at__gte=scope.start_at, requested_at__lt=scope.end_before)
        .order_by("requested_at", "pk")
    )
    return Figure(
        key="matches_requested",
        section="matchmaking",
        label=_("Introductions requested"),
        definition=_("Introductions a company asked for in the period."),
        number=rows.count(),
        rows=rows,
    )


def matches_introduced(scope: Scope) -> Figure:
    rows = (
        _introductions(scope)
        .filter(
            status__in=AGREED_STATUSES,
            responded_at__gte=scope.start_at,
            responded_at__lt=scope.end_before,
        )
        .order_by("responded_at", "pk")
    )
    return Figure(
        key="matches_introduced",
        section="matchmaking",
        label=_("Introductions made"),
        definition=_("Introductions both sides accepted in the period (contacts exchanged)."),
        number=rows.count(),
        rows=rows,
    )


def matches_to_projects(scope: Scope) -> Figure:
    rows = (
        _projects(scope)
        .filter(origin_introduction__isnull=False)
        .annotate(began=Coalesce("start", TruncDate("created_at")))
        .filter(began__gte=scope.start, began__lte=scope.end)
        .order_by("began", "pk")
    )
    return Figure(
        key="matches_to_projects",
        section="matchmaking",
        label=_("Introductions that led to a project"),
        definition=_("Projects started in the period from an introduction."),
        number=rows.count(),
        rows=rows,
    )


# --- Engagement ---------------------------------------------------------------------------------
def smes_engaged(scope: Scope) -> Figure:
    introductions = _introductions(scope).filter(
        requested_at__gte=scope.start_at, requested_at__lt=scope.end_before
    )
    activities = _activities(scope)
    projects = _running(scope)
    rows = (
        Organisation.objects.filter(kind=OrganisationKind.SME)
        .filter(
            Exists(introductions.filter(source=OuterRef("pk")))
            | Exists(introductions.filter(target_organisation=OuterRef("pk")))
            | Exists(
                ActivityParticipant.objects.filter(
                    organisation=OuterRef("pk"), activity__in=activities
                )
            )
            | Exists(
                ProjectPartner.objects.filter(organisation=OuterRef("pk"), project__in=projects)
            )
        )
        .order_by("name", "pk")
    )
    return Figure(
        key="smes_engaged",
        section="engagement",
        label=_("SMEs engaged"),
        definition=_(
            "SMEs that asked for or were asked for an introduction in the period, took part in "
            "an activity in it, or were partners in a project running in it."
        ),
        number=rows.count(),
        rows=rows,
    )


# --- Projects -----------------------------------------------------------------------------------
def projects_started(scope: Scope) -> Figure:
    rows = (
        _projects(scope)
        .filter(status__in=STARTED_PROJECT, start__gte=scope.start, start__lte=scope.end)
        .select_related("lead_cluster")
        .order_by("start", "pk")
    )
    return Figure(
        key="projects_started",
        section="projects",
        label=_("Projects started"),
        definition=_("Projects whose start date is in the period."),
        number=rows.count(),
        rows=rows,
    )


def projects_running(scope: Scope) -> Figure:
    rows = _running(scope).select_related("lead_cluster").order_by("start", "pk")
    return Figure(
        key="projects_running",
        section="projects",
        label=_("Projects running"),
        definition=_("Projects that ran for at least one day of the period."),
        rows=rows,
        **_grouped(rows, "status", ProjectStatus.choices),
    )


def partners_by_kind(scope: Scope) -> Figure:
    rows = (
        ProjectPartner.objects.filter(project__in=_running(scope))
        .select_related("project", "organisation")
        .order_by("project__title", "organisation__name", "pk")
    )
    return Figure(
        key="partners",
        section="projects",
        label=_("Project partners"),
        definition=_("Partners in projects running in the period, by kind of organisation."),
        rows=rows,
        **_grouped(rows, "organisation__kind", OrganisationKind.choices),
    )


# --- Activities ---------------------------------------------------------------------------------
def _activities(scope: Scope):
    activities = Activity.objects.filter(date__gte=scope.start, date__lte=scope.end)
    if scope.cluster is not None:
        activities = activities.filter(cluster=scope.cluster)
    return activities


def activities_held(scope: Scope) -> Figure:
    rows = _activities(scope).select_related("cluster").order_by("date", "pk")
    return Figure(
        key="activities",
        section="activities",
        label=_("Activities held"),
        definition=_("Events, workshops, user panels, match-making days and meetings."),
        rows=rows,
        **_grouped(rows, "kind", ActivityKind.choices),
    )


def participants_by_kind(scope: Scope) -> Figure:
    rows = (
        ActivityParticipant.objects.filter(activity__in=_activities(scope))
        .select_related("activity", "organisation")
        .order_by("activity__date", "activity_id", "pk")
    )
    return Figure(
        key="participants",
        section="activities",
        label=_("Participants"),
        definition=_(
            "People at the period's activities, by the kind of organisation they came from."
        ),
        rows=rows,
        **_grouped(rows, "kind", PARTICIPANT_KINDS, total=Sum("people")),
    )


# --- Contributions and budget ------------------------------------------------------------------
def _contributions(scope: Scope):
    contributions = Contribution.objects.filter(date__gte=scope.start, date__lte=scope.end)
    if scope.cluster is not None:
        contributions = contributions.of_cluster(scope.cluster)
    return (
        contributions.annotate(in_kind=IN_KIND_VALUE)
        .select_related("organisation", "project", "activity")
        .order_by("date", "pk")
    )


def _money(rows, expression, by="funding_source"):
    out = DecimalField(max_digits=20, decimal_places=2)
    counts = {
        key: value or ZERO
        for key, value in rows.order_by()
        .values_list(by)
        .annotate(n=Sum(expression, output_field=out))
    }
    return sum(counts.values(), ZERO), counts


def in_kind_hours(scope: Scope) -> Figure:
    rows = _contributions(scope).filter(hours__gt=0)
    total, counts = _money(rows, "hours")
    return Figure(
        key="in_kind_hours",
        section="contributions",
        label=_("In-kind hours"),
        definition=_("Hours partners put into projects and activities in the period."),
        number=total,
        rows=rows,
        unit=HOURS,
        group_field="funding_source",
        groups=_groups(counts, FundingSource.choices),
    )


def in_kind_value(scope: Scope) -> Figure:
    rows = _contributions(scope).filter(hours__gt=0)
    total, counts = _money(rows, F("hours") * F("hourly_rate"))
    return Figure(
        key="in_kind_value",
        section="contributions",
        label=_("In-kind value"),
        definition=_("In-kind hours at each partner's hourly rate."),
        number=total,
        rows=rows,
        unit=MONEY,
        group_field="funding_source",
        groups=_groups(counts, FundingSource.choices),
    )


def cash_by_source(scope: Scope) -> Figure:
    rows = _contributions(scope).filter(cash__gt=0)
    total, counts = _money(rows, "cash")
    return Figure(
        key="cash",
        section="contributions",
        label=_("Cash"),
        definition=_("Cash paid in the period, by funding source."),
        number=total,
        rows=rows,
        unit=MONEY,
        group_field="funding_source",
        groups=_groups(counts, FundingSource.choices),
    )


def _budgets(scope: Scope):
    budgets = Budget.objects.overlapping(scope.start, scope.end).select_related("cluster")
    if scope.cluster is not None:
        budgets = budgets.filter(cluster=scope.cluster)
    return budgets.order_by("cluster__name", "funding_source", "period_start", "pk")


def budget_for_period(scope: Scope) -> Figure:
    rows = _budgets(scope)
    counts: dict = {}
    for budget in rows:
        part = prorate(
            budget.amount,
            start=budget.period_start,
            end=budget.period_end,
            within_start=scope.start,
            within_end=scope.end,
        )
        counts[budget.funding_source] = counts.get(budget.funding_source, ZERO) + part
    return Figure(
        key="budget",
        section="budget",
        label=_("Budget for the period"),
        definition=_(
            "Each budget line spread evenly over its own period; the part that falls in this "
            "period."
        ),
        number=sum(counts.values(), ZERO),
        rows=rows,
        unit=MONEY,
        group_field="funding_source",
        groups=_groups(counts, FundingSource.choices),
    )


def co_financing(scope: Scope) -> Figure:
    rows = _contributions(scope).filter(funding_source=FundingSource.PRIVATE)
    total, _by_source = _money(rows, F("hours") * F("hourly_rate") + F("cash"))
    return Figure(
        key="co_financing",
        section="budget",
        label=_("Private co-financing"),
        definition=_("In-kind value and cash from private co-financing in the period."),
        number=total,
        rows=rows,
        unit=MONEY,
    )


def co_financing_share(scope: Scope, *, realised: Figure, budget: Figure) -> Figure:
    planned = next((g.number for g in budget.groups if g.value == FundingSource.PRIVATE), ZERO)
    return Figure(
        key="co_financing_share",
        section="budget",
        label=_("Co-financing against budget"),
        definition=_("Private co-financing as a percentage of the private budget for the period."),
        number=share(realised.number, planned),
        rows=realised.rows,
        unit=PERCENT,
    )


# --- The report ---------------------------------------------------------------------------------
FIGURES = {
    "members_start": members_at_start,
    "members_end": members_at_end,
    "members_new": members_new,
    "members_lapsed": members_lapsed,
    "smes_engaged": smes_engaged,
    "matches_suggested": matches_suggested,
    "matches_requested": matches_requested,
    "matches_introduced": matches_introduced,
    "matches_to_projects": matches_to_projects,
    "projects_started": projects_started,
    "projects_running": projects_running,
    "partners": partners_by_kind,
    "activities": activities_held,
    "participants": participants_by_kind,
    "in_kind_hours": in_kind_hours,
    "in_kind_value": in_kind_value,
    "cash": cash_by_source,
    "budget": budget_for_period,
    "co_financing": co_financing,
}

SECTIONS = {
    "members": _("Members"),
    "engagement": _("SMEs engaged"),
    "matchmaking": _("Matchmaking"),
    "projects": _("Projects"),
    "activities": _("Activities"),
    "contributions": _("Contributions"),
    "budget": _("Budget and co-financing"),
}


def figure(key: str, scope: Scope) -> Figure:
    """One figure by key (KeyError for an unknown one)."""
    if key == "co_financing_share":
        return co_financing_share(
            scope, realised=co_financing(scope), budget=budget_for_period(scope)
        )
    return FIGURES[key](scope)


@dataclass
class Report:
    scope: Scope
    figures: dict[str, Figure]

    def sections(self):
        """[(section label, [figures])] in the report's order."""
        out = []
        for key, label in SECTIONS.items():
            figures = [f for f in self.figures.values() if f.section == key]
            if figures:
                out.append((key, label, figures))
        return out


def build_report(*, start: date, end: date, cluster: Cluster | None = None) -> Report:
    scope = Scope(start=start, end=end, cluster=cluster)
    figures = {key: function(scope) for key, function in FIGURES.items()}
    figures["co_financing_share"] = co_financing_share(
        scope, realised=figures["co_financing"], budget=figures["budget"]
    )
    return Report(scope=scope, figures=figures)


# --- Series for the dashboard's charts -----------------------------------------------------------
def members_by_kind_on(cluster: Cluster | None, days: list[date]) -> dict[date, dict[str, int]]:
    """Members (organisations) by kind on each of `days`: one query per day."""
    out = {}
    for day in days:
        memberships = _member_on(_memberships(Scope(start=day, end=day, cluster=cluster)), day)
        out[day] = dict(
            Organisation.objects.filter(pk__in=memberships.values("organisation_id"))
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk"))
        )
    return out


def activities_by_month(scope: Scope) -> dict[date, tuple[int, int]]:
    """{first day of month: (activities, participants)} in the period."""
    from django.db.models.functions import TruncMonth

    activities = _activities(scope)
    held = dict(
        activities.annotate(month=TruncMonth("date"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    people = dict(
        ActivityParticipant.objects.filter(activity__in=activities)
        .annotate(month=TruncMonth("activity__date"))
        .order_by()
        .values_list("month")
        .annotate(n=Sum("people"))
    )
    months = sorted(set(held) | set(people))
    return {_as_date(m): (held.get(m, 0), people.get(m, 0)) for m in months}


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value
