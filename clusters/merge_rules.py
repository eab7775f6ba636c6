"""When two organisations merge and both have a membership of the same cluster.

The more advanced membership stays (active before lapsed before applied ...; then the later
period); the other is deleted, but its history is kept: its historical rows are re-pointed to the
membership that stays, so the membership's history shows both. Registered in network.hooks.
"""

from clusters.models import Membership, MembershipStatus
from network.merge import repoint

# Higher is more advanced: the one to keep.
STATUS_RANK = {
    MembershipStatus.ACTIVE: 6,
    MembershipStatus.LAPSED: 5,
    MembershipStatus.APPLIED: 4,
    MembershipStatus.CANCELLED: 3,
    MembershipStatus.WITHDRAWN: 2,
    MembershipStatus.REJECTED: 1,
}


def _rank(membership: Membership):
    return (
        STATUS_RANK.get(membership.status, 0),
        membership.period_end.toordinal() if membership.period_end else 0,
        membership.status_changed_at,
    )


def membership_merge_rule(*, kept, removed) -> dict[str, int]:
    combined = 0
    theirs = {m.cluster_id: m for m in Membership.objects.filter(organisation=removed)}
    for mine in Membership.objects.filter(organisation=kept, cluster_id__in=list(theirs)):
        other = theirs[mine.cluster_id]
        stays, goes = (mine, other) if _rank(mine) >= _rank(other) else (other, mine)
        Membership.history.filter(id=goes.pk).update(id=stays.pk)
        repoint(Membership, from_pk=goes.pk, to_pk=stays.pk)
        goes._change_reason = f"merged into membership {stays.pk}"
        goes.delete()
        combined += 1
    return {"clusters.Membership combined": combined} if combined else {}


def register() -> None:
    from network import hooks

    hooks.register_merge_rule("clusters.Membership", membership_merge_rule)
