"""Who may do what with bookings, and fetching them for a request: outsiders get 404, a side
that may see but not act 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from matchmaking.bookings.models import Booking, EvaluationAttachment, Side
from matchmaking.introductions.permissions import belongs_to
from network.models import Affiliation, Organisation, TestSite

__all__ = [
    "belongs_to",
    "get_attachment_for_user",
    "get_booking_for_user",
    "get_own_organisation",
    "get_site_for_user",
    "is_admin_of",
    "sides_of",
]


def is_admin_of(user, organisation_id) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Affiliation.objects.filter(
        organisation_id=organisation_id, person__user=user, role="admin"
    ).exists()


def sides_of(user, booking: Booking) -> list[str]:
    """The sides `user` speaks for in `booking`: the site's people, the company's, or both."""
    if user is None or not user.is_authenticated:
        return []
    ids = set(
        Affiliation.objects.filter(
            person__user=user,
            organisation_id__in=[booking.site.owner_id, booking.organisation_id],
        ).values_list("organisation_id", flat=True)
    )
    sides = []
    if booking.site.owner_id in ids:
        sides.append(Side.SITE)
    if booking.organisation_id in ids:
        sides.append(Side.COMPANY)
    return sides


def get_booking_for_user(request, pk, *, side: str | None = None) -> Booking:
    """The booking `pk` if the user may see it (404 otherwise); with `side`, 403 unless the
    user speaks for that side of it."""
    bookings = Booking.objects.visible_to(request.user).select_related(
        "site", "site__owner", "organisation"
    )
    booking = get_object_or_404(bookings, pk=pk)
    if side is not None and side not in sides_of(request.user, booking):
        raise PermissionDenied
    return booking


def get_attachment_for_user(request, pk, attachment_pk) -> EvaluationAttachment:
    booking = get_booking_for_user(request, pk)
    return get_object_or_404(
        EvaluationAttachment.objects.select_related("evaluation"),
        pk=attachment_pk,
        evaluation__booking=booking,
    )


def get_site_for_user(request, pk, *, own: bool = False) -> TestSite:
    """A test site the user may see; `own`: only the owner's people (403 for others)."""
    site = get_object_or_404(
        TestSite.objects.visible_to(request.user).select_related("owner"), pk=pk
    )
    if own and not belongs_to(request.user, site.owner_id):
        raise PermissionDenied
    return site


def get_own_organisation(request, slug) -> Organisation:
    """An organisation the user belongs to; 404 for any other."""
    return get_object_or_404(
        Organisation.objects.filter(affiliations__person__user=request.user).distinct(),
        slug=slug,
    )
