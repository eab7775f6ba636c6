"""Anonymised match and introduction figures for one cluster and period: counts only.

A cluster's figures are about its active members: matches suggested to them (created in the
period) and introductions they are a side of (requested in the period).
"""

from datetime import date

from django.db.models import Count, Q

from matchmaking.models import Match, MatchStatus, TargetType
from matchmaking.models_introductions import Introduction, IntroductionStatus


def _counts(queryset, field, choices):
    totals = queryset.aggregate(
        total=Count("pk"),
        **{value: Count("pk", filter=Q(**{field: value})) for value in choices.values},
    )
    return {"total": totals.pop("total"), field: totals}


def cluster_statistics(*, cluster, start: date, end: date) -> dict:
    members = cluster.memberships.filter(status="active").values("organisation_id")
    matches = Match.objects.filter(
        source__in=members, created_at__date__gte=start, created_at__date__lte=end
    )
    introductions = Introduction.objects.involving_members_of(cluster).filter(
        requested_at__date__gte=start, requested_at__date__lte=end
    )
    match_by_status = _counts(matches, "status", MatchStatus)
    match_by_target = matches.aggregate(
        **{value: Count("pk", filter=Q(target_type=value)) for value in TargetType.values}
    )
    return {
        "cluster": cluster.slug,
        "start": start,
        "end": end,
        "active_members": cluster.memberships.filter(status="active").count(),
        "matches": {
            "total": match_by_status["total"],
            "by_status": match_by_status["status"],
            "by_target_type": match_by_target,
            "companies": matches.values("source_id").distinct().count(),
        },
        "introductions": {
            "total": (intro := _counts(introductions, "status", IntroductionStatus))["total"],
            "by_status": intro["status"],
        },
    }
