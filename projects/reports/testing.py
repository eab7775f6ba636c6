"""Tests at test sites: test periods that ran in the period, and the evaluations the two sides
finished in it (matchmaking.bookings)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchmaking.bookings.models import Booking, BookingStatus, Evaluation
from projects.reports import records
from projects.reports.base import Figure, Scope


def _in_scope(rows, scope: Scope, prefix: str = ""):
    if scope.cluster is None:
        return rows
    members = records.members_of(scope.cluster)
    return rows.filter(
        Q(**{f"{prefix}organisation__in": members}) | Q(**{f"{prefix}site__owner__in": members})
    )


def tests_held(scope: Scope) -> Figure:
    rows = _in_scope(
        Booking.objects.filter(
            status=BookingStatus.ACCEPTED, start__lte=scope.end, end__gte=scope.start
        ),
        scope,
    ).order_by("start", "pk")
    return Figure(
        key="tests_held",
        section="matchmaking",
        label=_("Tests at test sites"),
        definition=_(
            "Test periods a test site accepted that ran on at least one day of the period "
            "(a cluster's: the company or the site's owner is its member)."
        ),
        number=rows.count(),
        rows=rows,
        region_field="organisation__region__name",
    )


def tests_evaluated(scope: Scope) -> Figure:
    rows = _in_scope(
        Evaluation.objects.filter(
            submitted_at__gte=scope.start_at, submitted_at__lt=scope.end_before
        ),
        scope,
        prefix="booking__",
    ).order_by("submitted_at", "pk")
    return Figure(
        key="tests_evaluated",
        section="matchmaking",
        label=_("Test evaluations"),
        definition=_(
            "Evaluations of a test (MAST domains) a test site or a company finished in the "
            "period; each test has at most two, one per side."
        ),
        number=rows.count(),
        rows=rows,
        region_field="booking__organisation__region__name",
    )
