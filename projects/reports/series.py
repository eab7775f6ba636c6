"""Series for the dashboard's charts."""

from datetime import date, datetime

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from clusters.models import Cluster
from network.models import Organisation
from projects.models import ActivityParticipant
from projects.reports import records
from projects.reports.base import Scope


def members_by_kind_on(cluster: Cluster | None, days: list[date]) -> dict[date, dict[str, int]]:
    """Members (organisations) by kind on each of `days`: one query per day."""
    out = {}
    for day in days:
        memberships = records.member_on(
            records.memberships(Scope(start=day, end=day, cluster=cluster)), day
        )
        out[day] = dict(
            Organisation.objects.filter(pk__in=memberships.values("organisation_id"))
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk"))
        )
    return out


def activities_by_month(scope: Scope) -> dict[date, tuple[int, int]]:
    """{first day of month: (activities, participants)} in the period."""
    activities = records.activities(scope)
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
