"""Who may do what in the directory: small predicates, used by views and templates."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from network.models import Affiliation, Organisation, OrganisationMerge


def is_network_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_network_admin or user.is_superuser))


def can_edit_organisation(user, organisation: Organisation) -> bool:
    if is_network_admin(user):
        return True
    if not user.is_authenticated:
        return False
    return Affiliation.objects.filter(
        organisation=organisation, person__user=user, role="admin"
    ).exists()


def get_organisation_for_user(request, slug: str, *, manage: bool = False) -> Organisation:
    """The organisation behind `slug`: 404 when the user may not see it, 403 when they may see
    but not change it."""
    visible = Organisation.objects.visible_to(request.user)
    organisation = get_object_or_404(visible, slug=slug)
    if manage and not can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


def organisations_of(user):
    """The organisations the user is affiliated with, admins first."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(affiliations__person__user=user).order_by(
        "affiliations__role", "name"
    )


def get_managed_organisation(request, slug: str | None) -> Organisation:
    """'My organisation': the named one, or the user's only one; 404 for any other."""
    managed = Organisation.objects.managed_by(request.user)
    if slug:
        return get_object_or_404(managed, slug=slug)
    own = list(organisations_of(request.user).filter(affiliations__role="admin")[:2])
    if len(own) != 1:
        raise Http404
    return own[0]


def merged_into(user, slug: str) -> Organisation | None:
    """The organisation a removed duplicate's `slug` was merged into, if the user may see it."""
    merge = (
        OrganisationMerge.objects.filter(
            removed_slug=slug, kept__isnull=False, undone_at__isnull=True
        )
        .order_by("-merged_at")
        .first()
    )
    if merge is None:
        return None
    return Organisation.objects.visible_to(user).filter(pk=merge.kept_id).first()
