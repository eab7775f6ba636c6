from functools import cached_property

from clusters.querysets import is_network_admin


class ClusterNavigation:
    """The clusters a user staffs, each with its count of pending applications. Evaluated on
    first use, in one query, so pages that never show the menu pay nothing."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def clusters(self) -> list:
        from clusters.models import Cluster

        if self.user is None or not self.user.is_authenticated:
            return []
        flags = self.user.__dict__.get("_staff_flags")
        if flags is not None and not flags["staff"] and not is_network_admin(self.user):
            # The MFA check read this request that the user staffs no cluster.
            return []
        return list(
            Cluster.objects.managed_by(self.user)
            .with_pending_count()
            .order_by("name")
            .only("pk", "slug", "name", "short_name")
        )

    @cached_property
    def pending(self) -> int:
        return sum(cluster.pending_count for cluster in self.clusters)

    @property
    def single(self):
        return self.clusters[0] if len(self.clusters) == 1 else None

    def __bool__(self) -> bool:
        return bool(self.clusters)


def navigation(request):
    """For the header: `cluster_nav` (clusters staffed, pending applications)."""
    return {"cluster_nav": ClusterNavigation(getattr(request, "user", None))}
