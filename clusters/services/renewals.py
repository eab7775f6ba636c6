"""The yearly rhythm: memberships past their grace period lapse; staff hear what is due."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from clusters import periods, reasons
from clusters.models import Cluster, ClusterStaff, Membership, MembershipStatus
from clusters.services.memberships import membership_lapse
from clusters.transitions import TransitionError
from network import deliveries, notifications, stale
from network.models.notifications import NotificationCategory


def memberships_lapse_overdue(*, today: date) -> int:
    """Mark lapsed every active membership whose period ended more than the cluster's grace
    period ago. Safe to run twice: a lapsed membership is no longer a candidate."""
    lapsed = 0
    for cluster in Cluster.objects.only("pk", "grace_days"):
        cutoff = periods.lapse_cutoff(today=today, grace_days=cluster.grace_days)
        overdue = (
            Membership.objects.filter(
                cluster=cluster, status=MembershipStatus.ACTIVE, period_end__lt=cutoff
            )
            .order_by("pk")
            .values_list("pk", "period_end")
        )
        for pk, period_end in overdue.iterator(chunk_size=500):
            try:
                membership_lapse(
                    membership=Membership(pk=pk),
                    actor=None,
                    reason_code=reasons.PERIOD_ENDED,
                    reason_params={"period_end": period_end.isoformat()},
                    change_reason="lapse: grace period over",
                )
            except TransitionError:
                continue  # changed meanwhile (renewed, cancelled): nothing to do
            lapsed += 1
    return lapsed


def renewal_digest_send(*, today: date, frequency: str = "weekly", now=None) -> int:
    """Each cluster's staff who chose this rhythm get their summary; returns digests queued.

    It lists the renewals due (upcoming: the period ends within the notice window; in grace:
    the period ended and the membership lapses on the given day unless renewed), the
    memberships that lapsed since the last summary, members' profiles about to go stale, and
    what other apps told the staff for it (expired introduction requests). At most one per
    person, cluster and period (network.deliveries): safe to run twice, concurrently or late.
    """
    now = now or timezone.now()
    sent = 0
    staffed = Cluster.objects.filter(
        Exists(ClusterStaff.objects.filter(cluster=OuterRef("pk")))
    ).order_by("name")
    for cluster in staffed:
        recipients = [
            s.user
            for s in ClusterStaff.objects.filter(cluster=cluster, user__is_active=True)
            .select_related("user")
            .order_by("user_id")
            if notifications.frequency_of(s.user, NotificationCategory.DIGESTS) == frequency
        ]
        if not recipients:
            continue
        news = _cluster_news(cluster, today=today)
        for user in recipients:
            kind = f"staff_digest:{cluster.pk}"
            since = deliveries.since_last(
                kind=f"{kind}:{frequency}", frequency=frequency, now=now, user=user
            )
            context = {
                **news,
                "lapsed": list(news["lapsed"].filter(status_changed_at__gte=since)),
                "told": list(
                    notifications.unread_since(user, since, [NotificationCategory.DIGESTS])
                    .filter(kind__startswith=f"staff_digest_{cluster.pk}_")
                    .only("title")[:50]
                ),
                "recipient": user,
                "cluster": cluster,
                "today": today,
                "frequency": frequency,
            }
            if not any(
                context[part] for part in ("upcoming", "in_grace", "lapsed", "going_stale", "told")
            ):
                continue
            if notifications.digest_send(
                user=user,
                template="emails/clusters/renewal_digest.txt",
                context=context,
                frequency=frequency,
                kind=kind,
                category=NotificationCategory.DIGESTS,
                now=now,
            ):
                sent += 1
    return sent


def _cluster_news(cluster, *, today: date) -> dict:
    """What every staff member of `cluster` reads in the summary (lapses filtered per person)."""
    due = list(
        Membership.objects.renewal_due(today=today)
        .filter(cluster=cluster)
        .select_related("organisation", "tier")
        .order_by("period_end", "organisation__name")
    )
    upcoming = [m for m in due if m.period_end >= today]
    in_grace = []
    for membership in due:
        if membership.period_end < today:
            membership.lapses_on = periods.lapses_on(
                period_end=membership.period_end, grace_days=cluster.grace_days
            )
            in_grace.append(membership)
    members = Membership.objects.filter(cluster=cluster, status=MembershipStatus.ACTIVE)
    going_stale = [
        {"organisation": organisation, "stale_on": stale.goes_stale_on(organisation)}
        for organisation in stale.reminded_not_stale()
        .filter(pk__in=members.values("organisation_id"))
        .order_by("stale_reminded_at", "name")
    ]
    lapsed = (
        Membership.objects.filter(cluster=cluster, status=MembershipStatus.LAPSED)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    url = notifications.site_url(
        reverse("clusters:member_list", args=[cluster.slug]) + "?renewal_due=true"
    )
    return {
        "upcoming": upcoming,
        "in_grace": in_grace,
        "due_count": len(upcoming) + len(in_grace),
        "going_stale": going_stale,
        "lapsed": lapsed,
        "url": url,
    }


# --- Reminders to members ---------------------------------------------------------------------
REMINDER_STAGES = ((14, "14_days"), (60, "60_days"))  # nearest first


def reminder_stage(*, period_end: date, today: date, grace_days: int) -> str | None:
    """Which reminder a membership is due: 60 or 14 days before its period ends, or one in
    the grace period. A run that missed a day still sends the stage it is in; a membership
    already within 14 days never gets the 60-day one."""
    days_left = (period_end - today).days
    if days_left < 0:
        return (
            "grace"
            if today < periods.lapses_on(period_end=period_end, grace_days=grace_days)
            else None
        )
    for days, stage in REMINDER_STAGES:
        if days_left <= days:
            return stage
    return None


def membership_reminders_send(*, today: date, now=None) -> int:
    """Daily (beat): remind each active member's people before the period ends and during the
    grace period. At most once per person, membership period and stage (network.deliveries),
    so running twice, concurrently or late sends nothing more. Returns reminders queued."""
    from clusters.emails import membership_reminder_send

    now = now or timezone.now()
    horizon = today + timedelta(days=max(days for days, _stage in REMINDER_STAGES))
    sent = 0
    for cluster in Cluster.objects.only("pk", "grace_days", "name", "email", "slug"):
        due = (
            Membership.objects.filter(
                cluster=cluster,
                status=MembershipStatus.ACTIVE,
                period_end__lte=horizon,
                period_end__gte=periods.lapse_cutoff(today=today, grace_days=cluster.grace_days),
            )
            .select_related("organisation", "tier", "primary_contact__user")
            .order_by("pk")
        )
        for membership in due.iterator(chunk_size=200):
            membership.cluster = cluster
            stage = reminder_stage(
                period_end=membership.period_end, today=today, grace_days=cluster.grace_days
            )
            if stage is not None:
                sent += membership_reminder_send(membership=membership, stage=stage, now=now)
    return sent
