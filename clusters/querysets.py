"""Cluster-side visibility. `network` may read these public querysets for directory facets."""

from django.db import models


def is_network_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_network_admin or user.is_superuser))


class ClusterQuerySet(models.QuerySet):
    def managed_by(self, user):
        if is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(staff__user=user)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

    def managed_by(self, user):
        """Memberships of the clusters the user staffs (all of them for network admins)."""
        if is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(cluster__staff__user=user)
