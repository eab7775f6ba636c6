"""Fetching bookings for a request: outsiders get 404, a side that may see but not act 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from matchmaking.bookings.models import Booking, EvaluationAttachment
from matchmaking.introductions.permissions import belongs_to
from network.models import Organisation, TestSite


def get_booking_for_user(request, pk) -> Booking:
    bookings = Booking.objects.visible_to(request.user).select_related(
        "site", "site__owner", "organisation"
    )
    return get_object_or_404(bookings, pk=pk)


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
