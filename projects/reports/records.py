"""The records a scope covers: memberships with the days they joined and left, introductions,
projects, activities, contributions and budgets of the period and cluster."""

from datetime import date

from django.db.models import Case, CharField, DateField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least, TruncDate

from clusters.models import Membership, MembershipStatus
from matchmaking.models_introductions import Introduction
from network.money import CURRENCY_OF_COUNTRY
from projects.models import Activity, Budget, Contribution, Project, ProjectStatus
from projects.querysets import IN_KIND_VALUE
from projects.reports.base import Scope

# Statuses of a membership that was approved once (applications and rejections never count).
MEMBER_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.LAPSED, MembershipStatus.CANCELLED)
ENDED_STATUSES = (MembershipStatus.LAPSED, MembershipStatus.CANCELLED)
STARTED_PROJECT = (ProjectStatus.RUNNING, ProjectStatus.COMPLETED, ProjectStatus.STOPPED)

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


def memberships(scope: Scope):
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


def member_on(memberships, day: date):
    """Memberships that were a member on `day`: joined on or before it, not left by it."""
    return memberships.filter(joined__lte=day).filter(Q(left__isnull=True) | Q(left__gt=day))


def member_during(memberships, start: date, end: date):
    """Memberships that were a member on at least one day of start..end."""
    return memberships.filter(joined__lte=end).filter(
        Q(left__isnull=True) | (Q(left__gt=start) & Q(left__gt=F("joined")))
    )


def members_of(cluster):
    return Membership.objects.filter(cluster=cluster, status__in=MEMBER_STATUSES).values(
        "organisation_id"
    )


def introductions(scope: Scope):
    introductions = Introduction.objects.all()
    if scope.cluster is not None:
        members = members_of(scope.cluster)
        introductions = introductions.filter(
            Q(source__in=members) | Q(target_organisation__in=members)
        )
    return introductions


def projects(scope: Scope):
    projects = Project.objects.all()
    if scope.cluster is not None:
        projects = projects.filter(lead_cluster=scope.cluster)
    return projects


def running(scope: Scope):
    return (
        projects(scope)
        .filter(status__in=STARTED_PROJECT, start__lte=scope.end)
        .filter(Q(end__isnull=True) | Q(end__gte=scope.start))
    )


def ongoing_at(day: date) -> Q:
    """A started project that has not ended by `day`: a completed or stopped project without an
    end date counts as ended (nobody can tell when)."""
    return Q(status__in=STARTED_PROJECT, start__lte=day) & (
        Q(end__gt=day) | Q(end__isnull=True, status=ProjectStatus.RUNNING)
    )


def activities(scope: Scope):
    activities = Activity.objects.filter(date__gte=scope.start, date__lte=scope.end)
    if scope.cluster is not None:
        activities = activities.filter(cluster=scope.cluster)
    return activities


def contributions(scope: Scope):
    contributions = Contribution.objects.filter(date__gte=scope.start, date__lte=scope.end)
    if scope.cluster is not None:
        contributions = contributions.of_cluster(scope.cluster)
    return (
        contributions.annotate(in_kind=IN_KIND_VALUE)
        .select_related("organisation", "project", "activity")
        .order_by("date", "pk")
    )


def budgets(scope: Scope):
    budgets = Budget.objects.overlapping(scope.start, scope.end).select_related("cluster")
    if scope.cluster is not None:
        budgets = budgets.filter(cluster=scope.cluster)
    return budgets.order_by("cluster__name", "funding_source", "period_start", "pk")
