"""Which cluster staff review an organisation's items, and each cluster's review queue."""

from django.db.models import F

from clusters.models import ClusterStaff, Membership, MembershipStatus
from network import moderation
from network.models import Organisation, ReviewStatus

# Organisations a cluster looks after: its members and those applying to become one.
LOOKED_AFTER = (MembershipStatus.ACTIVE, MembershipStatus.APPLIED)
# Never-submitted items (reviewers' own drafts) last, on every database.
OLDEST_FIRST = F("submitted_at").asc(nulls_last=True)


def reviewer_ids(organisation_id: int) -> set[int]:
    clusters = Membership.objects.filter(
        organisation_id=organisation_id, status__in=LOOKED_AFTER
    ).values("cluster_id")
    return set(
        ClusterStaff.objects.filter(cluster_id__in=clusters).values_list("user_id", flat=True)
    )


def steward_ids(organisation_id: int) -> set[int]:
    """Staff who answer for an organisation that cannot (no admins, or a public body): those of
    its clusters, else those of the clusters whose regions include its region."""
    ids = reviewer_ids(organisation_id)
    if ids:
        return ids
    region = Organisation.objects.filter(pk=organisation_id).values("region_id")
    return set(
        ClusterStaff.objects.filter(cluster__regions__in=region).values_list("user_id", flat=True)
    )


def queue(cluster=None, *, limit: int) -> tuple[list, int]:
    """The `limit` oldest items waiting for review and how many wait in all: those of the
    cluster's members and applicants, or (cluster None, for network admins) every one.

    One query per kind of item, each stopping at `limit` rows (the oldest `limit` of all are
    among them); the kinds are counted only when one of them had more.
    """
    pending = {}
    for kind, model in moderation.KINDS.items():
        queryset = model.objects.filter(review_status=ReviewStatus.PENDING)
        owner = "pk" if kind == "organisation" else "owner_id"
        if cluster is not None:
            members = Membership.objects.filter(cluster=cluster, status__in=LOOKED_AFTER).values(
                "organisation_id"
            )
            queryset = queryset.filter(**{f"{owner}__in": members})
        if kind != "organisation":
            queryset = queryset.select_related("owner")
        pending[kind] = queryset
    items = []
    truncated = False
    for kind, queryset in pending.items():
        rows = list(queryset.order_by(OLDEST_FIRST, "pk")[: limit + 1])
        truncated = truncated or len(rows) > limit
        for item in rows[:limit]:
            item.review_kind = kind
            item.review_kind_label = moderation.KIND_LABELS[kind]
            item.review_owner = moderation.owner_of(item)
            item.review_title = moderation.title_of(item)
            items.append(item)
    items.sort(key=lambda item: (item.submitted_at is None, item.submitted_at, item.pk))
    total = sum(qs.count() for qs in pending.values()) if truncated else len(items)
    return items[:limit], total


__all__ = ["queue", "reviewer_ids", "steward_ids"]
