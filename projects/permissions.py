"""Who may do what with projects, activities, budgets and funding reports.

Staff of a project's lead cluster (any role) record and edit it; partners read it. Staff of an
activity's cluster edit it; participating organisations read it. Budgets belong to a cluster's
managers. Funding reports: network admins for any scope, staff for their own clusters.
Helpers for views: outsiders get 404, a read-only reader who tries to edit gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from clusters.models import Cluster
from clusters.permissions import CONFIGURE, VIEW, has_capability, is_cluster_staff
from clusters.querysets import is_network_admin
from projects.models import Activity, Budget, Project


def can_edit_project(user, project: Project) -> bool:
    return has_capability(user, project.lead_cluster, VIEW)


def can_edit_activity(user, activity: Activity) -> bool:
    return has_capability(user, activity.cluster, VIEW)


def can_report(user, cluster: Cluster | None) -> bool:
    """Admins report on the whole network or any cluster; staff only on their own cluster."""
    if is_network_admin(user):
        return True
    return cluster is not None and is_cluster_staff(user, cluster)


def reporting_clusters(user):
    return Cluster.objects.managed_by(user).order_by("name")


def get_project_for_user(request, pk: int, *, edit: bool = False) -> Project:
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related("lead_cluster"), pk=pk
    )
    if edit and not can_edit_project(request.user, project):
        raise PermissionDenied
    return project


def get_activity_for_user(request, pk: int, *, edit: bool = False) -> Activity:
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("cluster", "project"), pk=pk
    )
    if edit and not can_edit_activity(request.user, activity):
        raise PermissionDenied
    return activity


def get_budget_cluster_for_user(request, slug: str, *, edit: bool = False) -> Cluster:
    cluster = get_object_or_404(Cluster.objects.managed_by(request.user), slug=slug)
    if edit and not has_capability(request.user, cluster, CONFIGURE):
        raise PermissionDenied
    return cluster


def get_budget_for_user(request, slug: str, pk: int) -> Budget:
    cluster = get_budget_cluster_for_user(request, slug, edit=True)
    return get_object_or_404(Budget.objects.filter(cluster=cluster), pk=pk)


def get_report_cluster(request, slug: str | None) -> Cluster | None:
    """The report's scope: None (whole network) for admins only; a cluster its staff may see.

    Staff asking for another cluster get 404, staff asking for the whole network 403."""
    user = request.user
    if not slug:
        if not is_network_admin(user):
            raise PermissionDenied
        return None
    return get_object_or_404(Cluster.objects.managed_by(user), slug=slug)


def require_reporter(request) -> None:
    """Anyone who may open the report page at all: admins and cluster staff."""
    if not is_network_admin(request.user) and not reporting_clusters(request.user).exists():
        raise PermissionDenied
