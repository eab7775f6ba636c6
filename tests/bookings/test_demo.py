"""The demo's test bookings: believable, never beyond a site's capacity, seeded once."""

from datetime import timedelta

import pytest

from matchmaking.bookings import calendar, demo
from matchmaking.bookings.models import Booking, Evaluation
from tests.factories import OrganisationFactory, TestSiteFactory

pytestmark = pytest.mark.django_db


def test_demo_bookings_respect_capacity_and_seed_once():
    sites = [TestSiteFactory(capacity=c) for c in (1, 2, 3)]
    for _ in range(8):
        OrganisationFactory(kind="sme")
    demo.seed(size="small")
    count = Booking.objects.count()
    assert count > 40
    assert set(Booking.objects.values_list("status", flat=True)) >= {"accepted", "declined"}
    assert Evaluation.objects.exists()
    for site in sites:
        periods = list(Booking.objects.accepted().filter(site=site).values_list("start", "end"))
        if periods:
            first = min(s for s, _e in periods)
            last = max(e for _s, e in periods) + timedelta(days=1)
            assert max(calendar.occupancy(periods, first, last).values()) <= site.capacity
    demo.seed(size="small")
    assert Booking.objects.count() == count
