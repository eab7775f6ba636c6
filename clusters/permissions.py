"""Who may do what with clusters and memberships. Views and templates ask these, nothing else.

Cluster staff have a role per cluster. Coordinators run the day-to-day membership work;
managers also import member lists, cancel memberships and set the cluster's tiers and fees.
Network admins may do everything in every cluster. Nobody decides on an application or a
renewal of an organisation they belong to themselves.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from clusters.models import Cluster, ClusterStaff, ImportBatch, Membership, StaffRole
from clusters.querysets import is_network_admin
from clusters.transitions import TRANSITIONS, Action
from network.duplicates import is_candidate
from network.models import Affiliation, Organisation, OrganisationMerge
from network.models.organisations import AffiliationRole

# Capability -> the staff roles that have it.
VIEW = "view"  # member list, detail, queue, export
DECIDE = "decide"  # approve, reject, renew, lapse, bulk actions, edit tier and contact
CANCEL = "cancel"
IMPORT = "import"
CONFIGURE = "configure"  # the cluster's profile and its tiers and fees

MERGE = "merge"  # merge duplicate organisations touching only the cluster's own members

ROLE_CAPABILITIES = {
    StaffRole.MANAGER: {VIEW, DECIDE, CANCEL, IMPORT, CONFIGURE, MERGE},
    StaffRole.COORDINATOR: {VIEW, DECIDE},
}

ACTION_CAPABILITY = {
    Action.APPROVE: DECIDE,
    Action.REJECT: DECIDE,
    Action.RENEW: DECIDE,
    Action.LAPSE: DECIDE,
    Action.CANCEL: CANCEL,
}


def staff_role(user, cluster: Cluster) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_cluster_roles", {})
    if cluster.pk not in cache:
        cache[cluster.pk] = (
            ClusterStaff.objects.filter(user=user, cluster=cluster)
            .values_list("role", flat=True)
            .first()
        )
    return cache[cluster.pk]


def has_capability(user, cluster: Cluster, capability: str) -> bool:
    if is_network_admin(user):
        return True
    role = staff_role(user, cluster)
    return role is not None and capability in ROLE_CAPABILITIES.get(role, set())


def is_cluster_staff(user, cluster: Cluster) -> bool:
    return is_network_admin(user) or staff_role(user, cluster) is not None


def capabilities(user, cluster: Cluster) -> set[str]:
    """For templates: which buttons to show."""
    if is_network_admin(user):
        return set().union(*ROLE_CAPABILITIES.values())
    return set(ROLE_CAPABILITIES.get(staff_role(user, cluster), set()))


def belongs_to(user, organisation_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Affiliation.objects.filter(organisation_id=organisation_id, person__user=user).exists()


def conflict_of_interest(user, membership: Membership, action: str) -> bool:
    """True when `user` belongs to the organisation and the action is a decision about it."""
    transition = TRANSITIONS[Action(action)]
    return transition.conflict_sensitive and belongs_to(user, membership.organisation_id)


def can_take_action(user, membership: Membership, action: str) -> bool:
    """Staff side only: the role allows it and there is no conflict of interest."""
    capability = ACTION_CAPABILITY.get(Action(action))
    if capability is None or not has_capability(user, membership.cluster, capability):
        return False
    return not conflict_of_interest(user, membership, action)


# --- Helpers for views: outsiders get 404, an insufficient role 403 ---------------------------
def get_cluster_for_user(request, slug: str, capability: str = VIEW) -> Cluster:
    user = request.user
    clusters = Cluster.objects.managed_by(user)
    if user.is_authenticated:
        # The user's role comes with the cluster, in the same query (staff_role's cache).
        clusters = clusters.annotate(
            role_of_user=Subquery(
                ClusterStaff.objects.filter(cluster=OuterRef("pk"), user=user).values("role")[:1]
            )
        )
    cluster = get_object_or_404(clusters, slug=slug)
    if user.is_authenticated:
        user.__dict__.setdefault("_cluster_roles", {})[cluster.pk] = cluster.role_of_user
    if not has_capability(request.user, cluster, capability):
        raise PermissionDenied
    return cluster


def get_membership_for_user(request, slug: str, pk: int, capability: str = VIEW) -> Membership:
    cluster = get_cluster_for_user(request, slug, capability)
    membership = get_object_or_404(
        Membership.objects.managed_by(request.user)
        .filter(cluster=cluster)
        .select_related("organisation", "tier", "primary_contact"),
        pk=pk,
    )
    membership.cluster = cluster
    return membership


def get_import_for_user(request, slug: str, pk: int) -> ImportBatch:
    cluster = get_cluster_for_user(request, slug, IMPORT)
    batch = get_object_or_404(ImportBatch.objects.filter(cluster=cluster), pk=pk)
    batch.cluster = cluster
    return batch


# --- The organisation side ---------------------------------------------------------------------
def organisations_applying_for(user):
    """Organisations the user may apply for: those they are an admin of."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        affiliations__person__user=user, affiliations__role=AffiliationRole.ADMIN
    ).distinct()


def get_applying_organisation(request, slug: str) -> Organisation:
    """404 for an organisation the user does not belong to, 403 for a non-admin member."""
    user = request.user
    if is_network_admin(user):
        return get_object_or_404(Organisation, slug=slug)
    organisation = get_object_or_404(
        Organisation.objects.filter(affiliations__person__user=user).distinct(), slug=slug
    )
    if not organisations_applying_for(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    return organisation


def can_manage_application(user, membership: Membership) -> bool:
    if is_network_admin(user):
        return True
    return organisations_applying_for(user).filter(pk=membership.organisation_id).exists()


def get_application_for_user(request, pk: int) -> Membership:
    """A membership of one of the user's organisations: 404 for others, 403 for non-admins."""
    visible = Membership.objects.select_related("organisation", "cluster")
    if not is_network_admin(request.user):
        visible = visible.of_organisations_of(request.user)
    membership = get_object_or_404(visible, pk=pk)
    if not can_manage_application(request.user, membership):
        raise PermissionDenied
    return membership


# --- Duplicate organisations --------------------------------------------------------------------
# Memberships that make an organisation one of "their" cluster's for cluster staff.
DUPLICATE_SCOPE_STATUSES = ("applied", "active")


def duplicate_anchor_ids(user) -> set[int] | None:
    """Whose duplicates the user may handle: None for network admins (everyone), otherwise the
    members and applicants of the clusters they staff. PermissionDenied for non-staff."""
    if is_network_admin(user):
        return None
    clusters = list(Cluster.objects.managed_by(user).values_list("pk", flat=True))
    if not clusters:
        raise PermissionDenied
    return set(
        Membership.objects.filter(
            cluster_id__in=clusters, status__in=DUPLICATE_SCOPE_STATUSES
        ).values_list("organisation_id", flat=True)
    )


def get_duplicate_pair_for_user(request, first_id: int, second_id: int):
    """Two organisations the user may merge or dismiss: 404 for anyone who may not see them as a
    pair (outsiders, staff of clusters neither belongs to, the same organisation twice).

    Network admins may merge any two. Cluster staff need one of the two in their clusters, and
    either both, or the pair detected as likely duplicates: otherwise staff of one cluster could
    merge away any organisation of the network into one of their members."""
    if first_id == second_id:
        raise Http404
    try:
        anchors = duplicate_anchor_ids(request.user)
    except PermissionDenied:
        raise Http404 from None
    by_pk = {o.pk: o for o in Organisation.objects.filter(pk__in=[first_id, second_id])}
    if len(by_pk) != 2:
        raise Http404
    if anchors is not None:
        ids = set(by_pk)
        if not anchors & ids:
            raise Http404
        if not ids <= anchors and not is_candidate(first_id, second_id):
            raise Http404
    return by_pk[first_id], by_pk[second_id]


def merging_clusters(user) -> set[int]:
    """The clusters in which the user's role may merge duplicates (not for network admins)."""
    if user is None or not user.is_authenticated:
        return set()
    if "_merging_clusters" not in user.__dict__:  # asked once per merge row of the list
        roles = [role for role, caps in ROLE_CAPABILITIES.items() if MERGE in caps]
        user.__dict__["_merging_clusters"] = set(
            ClusterStaff.objects.filter(user=user, role__in=roles).values_list(
                "cluster_id", flat=True
            )
        )
    return user.__dict__["_merging_clusters"]


def require_merge_role(user) -> None:
    """Merging is for network admins and the staff roles that have MERGE (managers): 403 for
    coordinators, who may see and dismiss pairs but not merge."""
    if not is_network_admin(user) and not merging_clusters(user):
        raise PermissionDenied


def merge_refusal(user, *organisations: Organisation) -> str | None:
    """Why the user may not merge these organisations, or None. A merge moves memberships and
    matches; one touching a member of a cluster the user does not manage needs a network admin."""
    if is_network_admin(user):
        return None
    own = merging_clusters(user)
    foreign = (
        Membership.objects.filter(organisation__in=organisations)
        .exclude(cluster_id__in=own)
        .select_related("cluster", "organisation")
        .order_by("cluster__name")
        .first()
    )
    if foreign is None:
        return None
    return _(
        "%(organisation)s is also in %(cluster)s, which you do not manage; a merge that touches "
        "another cluster's members needs a network admin."
    ) % {"organisation": foreign.organisation.name, "cluster": foreign.cluster.name}


def can_undo_merge(user, merge: OrganisationMerge) -> bool:
    """Network admins, and the manager who merged (while still a manager)."""
    if is_network_admin(user):
        return True
    return bool(merge.merged_by_id == user.pk and merging_clusters(user))


def get_merge_for_user(request, pk: int) -> OrganisationMerge:
    """A merge the user may undo; 404 for any other (they do not see it in their list)."""
    merge = get_object_or_404(OrganisationMerge, pk=pk)
    if not can_undo_merge(request.user, merge):
        raise Http404
    return merge
