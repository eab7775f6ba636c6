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
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Membership, MembershipStatus
from matchmaking.models import Match
from matchmaking.models_introductions import AGREED_STATUSES, Introduction
from network.models import Organisation
from network.models.organisations import OrganisationKind
from network.money import CURRENCY_OF_COUNTRY, currency_for_country, sort_currencies
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
CENT = Decimal("0.01")
# Statuses of a membership that was approved once (applications and rejections never count).
MEMBER_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.LAPSED, MembershipStatus.CANCELLED)
ENDED_STATUSES = (MembershipStatus.LAPSED, MembershipStatus.CANCELLED)
STARTED_PROJECT = (ProjectStatus.RUNNING, ProjectStatus.COMPLETED, ProjectStatus.STOPPED)
ONGOING, ENDED = "ongoing", "ended"
PROJECT_PHASES = [
    (ONGOING, _("Ongoing at the end of the period")),
    (ENDED, _("Ended in the period")),
]


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
    # Money figures come once per currency; their rows are that currency's only.
    currency: str | None = None
    # What the number adds up over its rows (None: it counts them), and where a row's region is:
    # used for the workbook's breakdown by region.
    measure: object = None
    region_field: str | None = None

    @property
    def id(self) -> str:
        return f"{self.key}.{self.currency}" if self.currency else self.key

    def rows_for(self, group: str | None = None) -> QuerySet:
        if group is None or not self.group_field:
            return self.rows
        return self.rows.filter(**{self.group_field: group})


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    cluster: Cluster | None = None
    # The currencies the scope reports in, once read (build_report reads them once for all).
    currencies: tuple[str, ...] | None = field(default=None, compare=False)

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (its last day is included)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def day_before(self) -> date:
        return self.start - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def scope_currencies(scope: Scope) -> list[str]:
    """The currencies a scope reports in: its cluster's, or those of every cluster's country."""
    if scope.currencies is not None:
        return list(scope.currencies)
    if scope.cluster is not None:
        return [currency_for_country(scope.cluster.country)]
    countries = Cluster.objects.order_by().values_list("country", flat=True).distinct()
    return sort_currencies(currency_for_country(c) for c in countries)


# --- Pure arithmetic ----------------------------------------------------------------------------
def prorate_exact(amount, *, start: date, end: date, within_start: date, within_end: date):
    """The part of `amount`, spread evenly over start..end, in within_start..within_end, not
    rounded (sum the parts first, then round once)."""
    overlap = (min(end, within_end) - max(start, within_start)).days + 1
    if overlap <= 0:
        return ZERO
    total = (end - start).days + 1
    return Decimal(amount) * overlap / total


def prorate(amount: Decimal, *, start: date, end: date, within_start: date, within_end: date):
    """prorate_exact() rounded to cents (for one row shown on its own)."""
    return round_money(
        prorate_exact(
            amount, start=start, end=end, within_start=within_start, within_end=within_end
        )
    )


def round_money(amount) -> Decimal:
    return Decimal(amount).quantize(CENT, ROUND_HALF_UP)


def share(part, whole) -> Decimal | None:
    """`part` as a percentage of `whole`, from the exact values, rounded once to two decimals;
    None when there is nothing to compare to."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def _groups(counts: dict, choices) -> list[Group]:
    return [Group(value, str(label), counts[value]) for value, label in choices if value in counts]


def _grouped(rows, field: str, choices, total=None) -> dict:
    """A figure's number and its groups: `rows` counted (or `total` summed) by `field`, in one
    query; the number is the sum of the groups, so the two always agree."""
    counts = dict(rows.order_by().values_list(field).annotate(n=total or Count("pk")))
    groups = _groups(counts, choices)
    return {"number": sum(counts.values()), "group_field": field, "groups": groups}


# --- Members ------------------------------------------------------------------------------------
FEE_CURRENCY = Case(
    When(
        currency="",
        then=Case(
            *[When(cluster__country=c, then=Value(str(v))) for c, v in CURRENCY_OF_COUNTRY.items()],
            default=Value("DKK"),
        ),
    ),
    default=F("currency"),
    output_field=CharField(),
)


def _memberships(scope: Scope):
    """Approved memberships with `joined` (first day as a member) and `left` (first day no
    longer a member; null while active)."""
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
        left=Case(
            When(status__in=ENDED_STATUSES, then=TruncDate("status_changed_at")),
            default=None,
            output_field=DateField(),
        ),
    )
    if scope.cluster is not None:
        memberships = memberships.filter(cluster=scope.cluster)
    return memberships


def _member_on(memberships, day: date):
    """Memberships that were a member on `day`: joined on or before it, not left by it."""
    return memberships.filter(joined__lte=day).filter(Q(left__isnull=True) | Q(left__gt=day))


def _member_during(memberships, start: date, end: date):
    """Memberships that were a member on at least one day of start..end."""
    return memberships.filter(joined__lte=end).filter(
        Q(left__isnull=True) | (Q(left__gt=start) & Q(left__gt=F("joined")))
    )


def _organisations_figure(key, label, definition, rows) -> Figure:
    return Figure(
        key=key,
        section="members",
        label=label,
        definition=definition,
        rows=rows.order_by("name", "pk"),
        region_field="region__name",
        **_grouped(rows, "kind", OrganisationKind.choices),
    )


def _organisations_in(memberships):
    return Q(pk__in=memberships.values("organisation_id"))


def members_at_start(scope: Scope) -> Figure:
    at_start = _member_on(_memberships(scope), scope.day_before)
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
    at_end = _member_on(_memberships(scope), scope.end)
    return _organisations_figure(
        "members_end",
        _("Members at the end of the period"),
        _("Organisations that were members on the last day of the period."),
        Organisation.objects.filter(_organisations_in(at_end)),
    )


def members_new(scope: Scope) -> Figure:
    memberships = _memberships(scope)
    return _organisations_figure(
        "members_new",
        _("New members"),
        _(
            "Organisations that were not members on the day before the period and were members "
            "on at least one day of it."
        ),
        Organisation.objects.filter(
            _organisations_in(_member_during(memberships, scope.start, scope.end))
        ).exclude(_organisations_in(_member_on(memberships, scope.day_before))),
    )


def members_lapsed(scope: Scope) -> Figure:
    memberships = _memberships(scope)
    return _organisations_figure(
        "members_lapsed",
        _("Members who left"),
        _(
            "Organisations that were members at the start or became members in the period, and "
            "were no longer members on its last day (their membership lapsed or was cancelled)."
        ),
        Organisation.objects.filter(
            _organisations_in(_member_on(memberships, scope.day_before))
            | _organisations_in(_member_during(memberships, scope.start, scope.end))
        ).exclude(_organisations_in(_member_on(memberships, scope.end))),
    )


def fee_income(scope: Scope) -> list[Figure]:
    """Membership fees earned in the period, per currency: each membership's annual fee spread
    over 365 days, for the days of the period it was a member."""
    memberships = (
        _member_during(_memberships(scope), scope.start, scope.end)
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


def _ongoing_at(day: date) -> Q:
    """A started project that has not ended by `day`: a completed or stopped project without an
    end date counts as ended (nobody can tell when)."""
    return Q(status__in=STARTED_PROJECT, start__lte=day) & (
        Q(end__gt=day) | Q(end__isnull=True, status=ProjectStatus.RUNNING)
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
        region_field="source__region__name",
    )


def _introduction_figure(scope, key, label, definition, at_field, **filters) -> Figure:
    rows = (
        _introductions(scope)
        .filter(
            **filters,
            **{f"{at_field}__gte": scope.start_at, f"{at_field}__lt": scope.end_before},
        )
        .order_by(at_field, "pk")
    )
    return Figure(
        key=key,
        section="matchmaking",
        label=label,
        definition=definition,
        number=rows.count(),
        rows=rows,
        region_field="source__region__name",
    )


def matches_requested(scope: Scope) -> Figure:
    return _introduction_figure(
        scope,
        "matches_requested",
        _("Introductions requested"),
        _("Introductions a company asked for in the period (by the date it asked)."),
        "requested_at",
    )


def matches_introduced(scope: Scope) -> Figure:
    return _introduction_figure(
        scope,
        "matches_introduced",
        _("Introductions accepted"),
        _(
            "Introductions the asked organisation accepted in the period (by the date of the "
            "answer; contacts exchanged), whenever they were asked for."
        ),
        "responded_at",
        status__in=AGREED_STATUSES,
    )


def matches_met(scope: Scope) -> Figure:
    return _introduction_figure(
        scope,
        "matches_met",
        _("Introductions that led to a meeting"),
        _("Introductions whose two sides recorded a meeting in the period (by its date)."),
        "met_at",
        met_at__isnull=False,
    )


def matches_to_projects(scope: Scope) -> Figure:
    rows = (
        _projects(scope)
        .filter(origin_introduction__isnull=False, status__in=STARTED_PROJECT)
        .filter(start__gte=scope.start, start__lte=scope.end)
        .select_related("lead_cluster")
        .order_by("start", "pk")
    )
    return Figure(
        key="matches_to_projects",
        section="matchmaking",
        label=_("Introductions that led to a project"),
        definition=_("Projects started from an introduction, whose start date is in the period."),
        number=rows.count(),
        rows=rows,
    )


# --- Engagement ---------------------------------------------------------------------------------
def smes_engaged(scope: Scope) -> Figure:
    introductions = _introductions(scope).filter(
        requested_at__gte=scope.start_at, requested_at__lt=scope.end_before
    )
    # Four sets of organisations, each read once (IN), rather than four lookups per SME.
    rows = (
        Organisation.objects.filter(kind=OrganisationKind.SME)
        .filter(
            Q(pk__in=introductions.values("source_id"))
            | Q(pk__in=introductions.values("target_organisation_id"))
            | Q(
                pk__in=ActivityParticipant.objects.filter(
                    activity__in=_activities(scope), organisation__isnull=False
                ).values("organisation_id")
            )
            | Q(
                pk__in=ProjectPartner.objects.filter(project__in=_running(scope)).values(
                    "organisation_id"
                )
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
        region_field="region__name",
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
    rows = (
        _running(scope)
        .annotate(
            phase=Case(
                When(_ongoing_at(scope.end), then=Value(ONGOING)),
                default=Value(ENDED),
                output_field=CharField(),
            )
        )
        .select_related("lead_cluster")
        .order_by("start", "pk")
    )
    return Figure(
        key="projects_running",
        section="projects",
        label=_("Projects running"),
        definition=_(
            "Projects that ran for at least one day of the period: those still ongoing at its "
            "end, and those that ended in it."
        ),
        rows=rows,
        **_grouped(rows, "phase", PROJECT_PHASES),
    )


def projects_ongoing(scope: Scope) -> Figure:
    rows = (
        _projects(scope)
        .filter(_ongoing_at(scope.end))
        .select_related("lead_cluster")
        .order_by("start", "pk")
    )
    return Figure(
        key="projects_ongoing",
        section="projects",
        label=_("Projects ongoing at the end of the period"),
        definition=_(
            "Started projects not completed on the period's last day: no end date yet (and "
            "still running), or an end date after the period."
        ),
        number=rows.count(),
        rows=rows,
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
        region_field="organisation__region__name",
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
        measure=Sum("people"),
        region_field="organisation__region__name",
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
                groups=_groups(counts, FundingSource.choices),
                region_field="organisation__region__name",
                **figure,
            )
        )
    return figures


def in_kind_hours(scope: Scope) -> Figure:
    rows = _contributions(scope).filter(hours__gt=0)
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
        groups=_groups(counts, FundingSource.choices),
        measure=Sum("hours"),
        region_field="organisation__region__name",
    )


def in_kind_value(scope: Scope) -> list[Figure]:
    rows = _contributions(scope).filter(hours__gt=0)
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
    rows = _contributions(scope).filter(cash__gt=0)
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


def _budgets(scope: Scope):
    budgets = Budget.objects.overlapping(scope.start, scope.end).select_related("cluster")
    if scope.cluster is not None:
        budgets = budgets.filter(cluster=scope.cluster)
    return budgets.order_by("cluster__name", "funding_source", "period_start", "pk")


def budget_exact(scope: Scope) -> dict:
    """{(currency, funding source): the period's part of the budget lines, not rounded}."""
    exact: dict = {}
    for budget in _budgets(scope):
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
        _budgets(scope),
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
    rows = _contributions(scope).filter(funding_source=FundingSource.PRIVATE)
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


# --- The report ---------------------------------------------------------------------------------
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
