"""Overbooking is impossible when two people accept at the same moment: the site's row is
locked, so the second acceptance counts the first one's booking and is refused."""

import threading
import time

import pytest
from django.db import connection

from matchmaking.bookings import services
from matchmaking.bookings.models import Booking
from matchmaking.bookings.services import BookingError
from network.models import TestSite
from tests.bookings.factories import make_world, request_fields


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need a server database"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_acceptances_cannot_overbook(monkeypatch):
    world = make_world(capacity=1)
    first, second = (
        services.booking_request(
            site=world.site, organisation=world.sme, user=world.sme_admin, **request_fields()
        )
        for _ in range(2)
    )
    both_ready = threading.Barrier(2, timeout=30)
    original_lock, original_count = services._lock_site, services.full_days

    def lock_together(site_id):
        both_ready.wait()  # both transactions have begun; neither holds the site yet
        return original_lock(site_id)

    def count_slowly(**kwargs):
        days = original_count(**kwargs)
        time.sleep(0.5)  # without the lock, the other would count now and see no booking
        return days

    monkeypatch.setattr(services, "_lock_site", lock_together)
    monkeypatch.setattr(services, "full_days", count_slowly)
    outcomes = {}

    def accept(booking):
        try:
            services.booking_accept(booking=booking, user=world.site_admin)
            outcomes[booking.pk] = "accepted"
        except BookingError as exc:
            outcomes[booking.pk] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(b,)) for b in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes.values(), key=len)[0] == "accepted"
    assert sum(1 for v in outcomes.values() if v == "accepted") == 1
    assert any("fully booked" in v for v in outcomes.values())
    assert Booking.objects.filter(status="accepted").count() == 1
    assert TestSite.objects.get(pk=world.site.pk).tests_running == 0  # starts in ten days
