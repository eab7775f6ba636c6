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


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need a server database"
)
@pytest.mark.django_db(transaction=True)
def test_a_capacity_cut_and_an_acceptance_at_the_same_moment_cannot_overbook(monkeypatch):
    """The owner lowers the capacity from 2 to 1 while a colleague accepts a second test for
    the same days: the test site's edit locks the site's row as accepting does, so one of them
    sees the other and is refused."""
    from django.test import Client
    from django.urls import reverse

    from network import hooks
    from network.models import FocusArea

    world = make_world(capacity=2)
    first, second = (
        services.booking_request(
            site=world.site, organisation=world.sme, user=world.sme_admin, **request_fields()
        )
        for _ in range(2)
    )
    services.booking_accept(booking=first, user=world.site_admin)
    both_ready = threading.Barrier(2, timeout=30)
    original_lock, original_count = services._lock_site, services.full_days
    original_checks = list(hooks.site_commitment_checks)

    def lock_together(site_id):
        both_ready.wait()
        return original_lock(site_id)

    def count_slowly(**kwargs):
        days = original_count(**kwargs)
        time.sleep(0.5)
        return days

    def check_slowly(site_id, **values):
        both_ready.wait()
        errors = {}
        for check in original_checks:
            errors.update(check(site_id, **values))
        time.sleep(0.5)  # without the lock, the acceptance would count now and see room
        return errors

    monkeypatch.setattr(services, "_lock_site", lock_together)
    monkeypatch.setattr(services, "full_days", count_slowly)
    monkeypatch.setattr(hooks, "site_commitment_checks", [check_slowly])
    outcomes = {}

    def accept():
        try:
            services.booking_accept(booking=second, user=world.site_admin)
            outcomes["accept"] = "accepted"
        except BookingError as exc:
            outcomes["accept"] = str(exc)
        finally:
            connection.close()

    def cut_capacity():
        try:
            client = Client()
            client.force_login(world.site_admin)
            url = reverse("test_site_edit", args=[world.municipality.slug, world.site.pk])
            data = {
                "name": world.site.name,
                "site_type": "nursing_home",
                "description": "Plejecenter",
                "capacity": 1,
                "available_from": "",
                "available_until": "",
                "trl_min": 4,
                "trl_max": 8,
                "focus_areas": [FocusArea.objects.first().pk],
                "language": "da",
                "is_public": "on",
                "tag_names": "",
            }
            outcomes["cut"] = client.post(url, data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=accept), threading.Thread(target=cut_capacity)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    site = TestSite.objects.get(pk=world.site.pk)
    accepted = Booking.objects.filter(status="accepted").count()
    assert accepted <= site.capacity, (outcomes, accepted, site.capacity)
    # Exactly one of them went through.
    assert (outcomes["accept"] == "accepted") != (outcomes["cut"] == 302), outcomes
