"""Cluster-side visibility. `network` may read these public querysets for directory facets."""

from datetime import timedelta

from django.db import models
from django.utils import timezone


def is_network_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_network_admin or user.is_superuser))


class ClusterQuerySet(models.QuerySet):
    def managed_by(self, user):
        """The clusters the user staffs (every cluster for network admins)."""
        if is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(staff__user=user)

    def with_pending_count(self):
        return self.annotate(
            pending_count=models.Count(
                "memberships", filter=models.Q(memberships__status="applied")
            )
        )


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

    def pending(self):
        return self.filter(status="applied")

    def managed_by(self, user):
        """Memberships of the clusters the user staffs (all of them for network admins)."""
        if is_network_admin(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(cluster__staff__user=user)

    def of_organisations_of(self, user):
        """Memberships and applications of the organisations the user belongs to."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(organisation__affiliations__person__user=user).distinct()

    def renewal_due(self, *, today=None, notice_days=None):
        """Active memberships whose period ends within the notice window (or has ended)."""
        from clusters.periods import renewal_notice_days

        today = today or timezone.localdate()
        days = renewal_notice_days() if notice_days is None else notice_days
        return self.active().filter(period_end__lte=today + timedelta(days=days))

    def for_member_list(self):
        """Everything a row of the member list or an export shows, in a constant number of
        queries."""
        return self.select_related(
            "organisation__municipality",
            "organisation__region",
            "tier",
            "primary_contact",
        ).prefetch_related("organisation__focus_areas")
