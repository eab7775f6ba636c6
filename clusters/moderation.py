"""Which cluster staff review an organisation's items, and each cluster's review queue."""

from clusters.models import ClusterStaff, Membership, MembershipStatus
from network import moderation
from network.models import ReviewStatus

# Organisations a cluster looks after: its members and those applying to become one.
LOOKED_AFTER = (MembershipStatus.ACTIVE, MembershipStatus.APPLIED)


def reviewer_ids(organisation_id: int) -> set[int]:
    clusters = Membership.objects.filter(
        organisation_id=organisation_id, status__in=LOOKED_AFTER
    ).values("cluster_id")
    return set(
        ClusterStaff.objects.filter(cluster_id__in=clusters).values_list("user_id", flat=True)
    )


def queue(cluster=None) -> list:
    """Items waiting for review, oldest first: those of the cluster's members and applicants,
    or (cluster None, for network admins) all of them. One query per kind of item."""
    items = []
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
        for item in queryset.order_by("submitted_at", "pk"):
            item.review_kind = kind
            item.review_kind_label = moderation.KIND_LABELS[kind]
            item.review_owner = moderation.owner_of(item)
            item.review_title = moderation.title_of(item)
            items.append(item)
    return sorted(items, key=lambda item: (item.submitted_at is None, item.submitted_at, item.pk))


def queue_count(cluster) -> int:
    members = Membership.objects.filter(cluster=cluster, status__in=LOOKED_AFTER).values(
        "organisation_id"
    )
    return sum(
        model.objects.filter(
            review_status=ReviewStatus.PENDING,
            **{("pk" if kind == "organisation" else "owner_id") + "__in": members},
        ).count()
        for kind, model in moderation.KINDS.items()
    )


__all__ = ["queue", "queue_count", "reviewer_ids"]
