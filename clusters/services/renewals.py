"""The yearly rhythm: memberships past their grace period lapse; staff hear what is due."""

from datetime import date

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from clusters import periods
from clusters.models import Cluster, ClusterStaff, Membership, MembershipStatus
from clusters.services.memberships import membership_lapse
from clusters.transitions import TransitionError


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
                    reason=_("The period ended on %(date)s and the membership was not renewed.")
                    % {"date": period_end.isoformat()},
                    change_reason="lapse: grace period over",
                )
            except TransitionError:
                continue  # changed meanwhile (renewed, cancelled): nothing to do
            lapsed += 1
    return lapsed


def renewal_digest_send(*, today: date) -> int:
    """Email each cluster's staff the memberships due for renewal; returns emails queued.

    Upcoming: the period ends within the notice window. In grace: the period has ended and
    the membership lapses on the given day unless it is renewed.
    """
    from clusters.emails import renewal_digest_emails
    from clusters.tasks import deliver_email

    sent = 0
    staffed = Cluster.objects.filter(
        Exists(ClusterStaff.objects.filter(cluster=OuterRef("pk")))
    ).order_by("name")
    for cluster in staffed:
        due = list(
            Membership.objects.renewal_due(today=today)
            .filter(cluster=cluster)
            .select_related("organisation", "tier")
            .order_by("period_end", "organisation__name")
        )
        if not due:
            continue
        upcoming = [m for m in due if m.period_end >= today]
        in_grace = []
        for membership in due:
            if membership.period_end < today:
                membership.lapses_on = periods.lapses_on(
                    period_end=membership.period_end, grace_days=cluster.grace_days
                )
                in_grace.append(membership)
        for message in renewal_digest_emails(
            cluster, upcoming=upcoming, in_grace=in_grace, today=today
        ):
            deliver_email.delay(message.as_dict())
            sent += 1
    return sent
