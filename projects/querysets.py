"""Who sees what: staff of a cluster manage its projects, activities and budgets; partners and
participants read the projects and activities they are in; network admins see everything."""

from django.db import models
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from clusters.querysets import is_network_admin


def _anonymous(user) -> bool:
    return user is None or not user.is_authenticated


def _my_organisations(user):
    from network.models import Organisation

    return Organisation.objects.filter(affiliations__person__user=user).values("pk")


def _my_clusters(user):
    from clusters.models import ClusterStaff

    return ClusterStaff.objects.filter(user=user).values("cluster_id")


class ProjectQuerySet(models.QuerySet):
    def managed_by(self, user):
        if is_network_admin(user):
            return self.all()
        if _anonymous(user):
            return self.none()
        return self.filter(lead_cluster__in=_my_clusters(user))

    def visible_to(self, user):
        if is_network_admin(user):
            return self.all()
        if _anonymous(user):
            return self.none()
        partner_of = self.model.partners.rel.related_model.objects.filter(
            organisation__in=_my_organisations(user)
        ).values("project_id")
        return self.filter(Q(lead_cluster__in=_my_clusters(user)) | Q(pk__in=partner_of))

    def for_list(self):
        return self.select_related("lead_cluster").prefetch_related(
            "focus_areas", "partners__organisation"
        )


class ActivityQuerySet(models.QuerySet):
    def managed_by(self, user):
        if is_network_admin(user):
            return self.all()
        if _anonymous(user):
            return self.none()
        return self.filter(cluster__in=_my_clusters(user))

    def visible_to(self, user):
        if is_network_admin(user):
            return self.all()
        if _anonymous(user):
            return self.none()
        took_part = self.model.participants.rel.related_model.objects.filter(
            organisation__in=_my_organisations(user)
        ).values("activity_id")
        return self.filter(Q(cluster__in=_my_clusters(user)) | Q(pk__in=took_part))

    def with_counts(self):
        return self.annotate(
            organisation_count=models.Count(
                "participants", filter=Q(participants__organisation__isnull=False)
            ),
            people_count=Coalesce(Sum("participants__people"), 0),
        )


IN_KIND_VALUE = ExpressionWrapper(
    F("hours") * F("hourly_rate"), output_field=DecimalField(max_digits=20, decimal_places=2)
)


class ContributionQuerySet(models.QuerySet):
    def of_cluster(self, cluster):
        return self.filter(Q(project__lead_cluster=cluster) | Q(activity__cluster=cluster))

    def managed_by(self, user):
        if is_network_admin(user):
            return self.all()
        if _anonymous(user):
            return self.none()
        clusters = _my_clusters(user)
        return self.filter(
            Q(project__lead_cluster__in=clusters) | Q(activity__cluster__in=clusters)
        )

    def with_value(self):
        return self.annotate(in_kind=IN_KIND_VALUE)


class BudgetQuerySet(models.QuerySet):
    def managed_by(self, user):
        if is_network_admin(user):
            return self.all()
        if _anonymous(user):
            return self.none()
        return self.filter(cluster__in=_my_clusters(user))

    def overlapping(self, start, end):
        return self.filter(period_start__lte=end, period_end__gte=start)
