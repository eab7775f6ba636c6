"""Who may do what in matchmaking: small predicates and fetch helpers used by views and
templates. Outsiders get 404 (they may not know the thing exists), a known but insufficient
role gets 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from matchmaking.models import NEED_OWNER_KINDS, Need
from matchmaking.querysets import is_network_admin
from network.models import Affiliation, KnowledgeOffer, Organisation, TestSite
from network.models.organisations import OrganisationKind

__all__ = [
    "belongs_to",
    "can_manage_need",
    "can_post_needs",
    "get_need_for_user",
    "get_target_for_user",
    "is_network_admin",
    "is_sme_user",
    "join_choices",
    "need_owner_choices",
    "require_network_admin",
    "shares_need",
    "sme_organisations",
]


def need_owner_choices(user):
    """Organisations the user may post needs for: municipalities, hospitals and regions they
    administer (network admins: all of them)."""
    return Organisation.objects.managed_by(user).filter(kind__in=NEED_OWNER_KINDS).distinct()


def can_post_needs(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return need_owner_choices(user).exists()


def can_manage_need(user, need: Need) -> bool:
    return Need.objects.managed_by(user).filter(pk=need.pk).exists()


def belongs_to(user, organisation_id: int) -> bool:
    """Any role in the organisation (admin or member), or a network admin."""
    if is_network_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return Affiliation.objects.filter(organisation_id=organisation_id, person__user=user).exists()


def shares_need(user, need: Need) -> bool:
    """The user belongs to an organisation that joined the need (network admins: always)."""
    if is_network_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    return Affiliation.objects.filter(
        organisation__need_shares__need=need, person__user=user
    ).exists()


def join_choices(user, need: Need):
    """The organisations the user may join `need` for: municipalities, hospitals and regions
    they administer, other than its owner. Each organisation acts only through its own admins;
    a network admin may act for any."""
    return need_owner_choices(user).exclude(pk=need.owner_id)


def sme_organisations(user):
    """The SMEs the user belongs to, by name."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(affiliations__person__user=user, kind=OrganisationKind.SME)
        .distinct()
        .order_by("name")
    )


def is_sme_user(user) -> bool:
    """For the menu; asked once per request at most."""
    if user is None or not user.is_authenticated:
        return False
    cached = user.__dict__.get("_is_sme_user")
    flags = user.__dict__.get("_staff_flags")  # read this request by the staff MFA check
    if cached is None and flags is not None and "sme" in flags:
        cached = flags["sme"]
    if cached is None:
        cached = user.__dict__["_is_sme_user"] = sme_organisations(user).exists()
    return cached


def get_need_for_user(request, pk: int, *, manage: bool = False) -> Need:
    """The need `pk`: 404 when the user may not see it. To manage it: 404 for anyone outside
    the owner organisation (even if the need is public), 403 for its members who are not
    admins."""
    need = get_object_or_404(
        Need.objects.visible_to(request.user).select_related("owner", "municipality", "region"),
        pk=pk,
    )
    if manage and not can_manage_need(request.user, need):
        if not belongs_to(request.user, need.owner_id):
            raise Http404
        raise PermissionDenied
    return need


TARGET_MODELS = {"need": Need, "test_site": TestSite, "knowledge_offer": KnowledgeOffer}


def get_target_for_user(request, target_type: str, pk: int):
    """A need, test site or knowledge offer whose matching companies the user may see: its
    owner's admins and members (for a need, also those of the organisations that joined it),
    and network admins. Anyone else gets 404, even for a public
    target: which companies fit it is the owner's business."""
    model = TARGET_MODELS[target_type]
    target = get_object_or_404(
        model.objects.visible_to(request.user).select_related("owner"), pk=pk
    )
    # The owner's people act on the list; those of a shared need's other owners follow it.
    target.viewer_owns = belongs_to(request.user, target.owner_id)
    if not target.viewer_owns and not (target_type == "need" and shares_need(request.user, target)):
        raise Http404
    return target


def require_network_admin(user) -> None:
    if not is_network_admin(user):
        raise PermissionDenied


def get_match_for_side(request, pk: int, side: str):
    """The live match `pk` and the organisation that acts for `side` ("company" or "target"):
    only that organisation's own people act on its side of a match. Anyone who is party to
    neither side (or who may not see the match), cluster staff among them, gets 404, even with
    a valid id; a party of the other side, and network admins (who only follow), get 403."""
    from matchmaking.actions import SIDES, side_organisation_id
    from matchmaking.models import Match

    if side not in SIDES:
        raise Http404
    match = get_object_or_404(
        Match.objects.visible_to(request.user).select_related(
            "source", "need__owner", "test_site__owner", "knowledge_offer__owner"
        ),
        pk=pk,
    )
    organisation_id = side_organisation_id(match, side)
    if organisation_id is None:
        raise Http404
    user_orgs = set(
        Affiliation.objects.filter(person__user=request.user).values_list(
            "organisation_id", flat=True
        )
    )
    if organisation_id in user_orgs:
        return match, organisation_id
    other = match.source_id if side != "company" else side_organisation_id(match, "target")
    if other in user_orgs or is_network_admin(request.user):
        raise PermissionDenied
    raise Http404
