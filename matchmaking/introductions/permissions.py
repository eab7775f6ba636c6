"""Who may do what with introductions. Views ask these; outsiders get 404, a role that may
see but not act gets 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from matchmaking.querysets import is_network_admin
from network.models import Affiliation, Organisation

__all__ = [
    "can_nudge",
    "can_report_meeting",
    "can_request",
    "can_respond",
    "get_introduction_for_user",
    "get_match_for_request",
    "involved_organisations",
    "is_network_admin",
]


def involved_organisations(user):
    """Organisations the user belongs to, or that are active members of a cluster they staff
    (pks, for subqueries)."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none().values("pk")
    return (
        Organisation.objects.filter(
            Q(affiliations__person__user=user)
            | Q(memberships__cluster__staff__user=user, memberships__status="active")
        )
        .values("pk")
        .distinct()
    )


def belongs_to(user, organisation_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Affiliation.objects.filter(organisation_id=organisation_id, person__user=user).exists()


def staffs_member(user, organisation_id: int) -> bool:
    """`user` is staff of a cluster the organisation is an active member of."""
    if user is None or not user.is_authenticated:
        return False
    from clusters.models import Membership

    return Membership.objects.filter(
        organisation_id=organisation_id, status="active", cluster__staff__user=user
    ).exists()


def can_request(user, match) -> bool:
    """The SME's people (admins and members), staff of its clusters, network admins."""
    return (
        is_network_admin(user)
        or belongs_to(user, match.source_id)
        or staffs_member(user, match.source_id)
    )


def can_respond(user, introduction) -> bool:
    """Only the asked organisation's own people answer for it (the company, when the
    target's owner invited it)."""
    return belongs_to(user, introduction.answering_id)


def can_report_meeting(user, introduction) -> bool:
    return belongs_to(user, introduction.source_id) or belongs_to(
        user, introduction.target_organisation_id
    )


def can_nudge(user, introduction) -> bool:
    """Cluster staff of either side and network admins follow up on introductions."""
    return (
        is_network_admin(user)
        or staffs_member(user, introduction.source_id)
        or staffs_member(user, introduction.target_organisation_id)
    )


def _target_owner_filter(organisations) -> Q:
    return (
        Q(need__owner__in=organisations)
        | Q(test_site__owner__in=organisations)
        | Q(knowledge_offer__owner__in=organisations)
    )


def get_match_for_request(request, pk: int):
    """A match either side of which the user is involved in (404 otherwise); 403 unless they
    may ask for an introduction on the company's behalf."""
    from matchmaking.models import Match

    matches = Match.objects.live().with_related()
    if not is_network_admin(request.user):
        organisations = involved_organisations(request.user)
        matches = matches.filter(Q(source__in=organisations) | _target_owner_filter(organisations))
    match = get_object_or_404(matches, pk=pk)
    if not can_request(request.user, match):
        raise PermissionDenied
    return match


def get_introduction_for_user(request, pk: int, *, action: str | None = None):
    """The introduction `pk` if the user may see it (404 otherwise); with `action`
    ("respond", "meet", "nudge"), 403 unless they may do it."""
    from matchmaking.models import Introduction

    introduction = get_object_or_404(
        Introduction.objects.visible_to(request.user).with_related(), pk=pk
    )
    allowed = {
        None: lambda: True,
        "respond": lambda: can_respond(request.user, introduction),
        "meet": lambda: can_report_meeting(request.user, introduction),
        "nudge": lambda: can_nudge(request.user, introduction),
    }[action]
    if not allowed():
        raise PermissionDenied
    return introduction
