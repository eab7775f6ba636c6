"""Requests the test site's people do not answer expire after the configured days, with one
reminder to them before; the company is told once, the days are open again, both sides see it."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from matchmaking.bookings import services
from matchmaking.bookings.models import Booking
from matchmaking.bookings.services import BookingError
from matchmaking.bookings.tasks import expire_and_remind_requests
from network.models import Notification
from tests.bookings.factories import make_world, request_fields
from tests.email_dates import en_date, en_time
from tests.language import danish

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")
START = datetime(2026, 3, 2, 9, 0, tzinfo=CPH)  # a Monday


@pytest.fixture(autouse=True)
def _days(settings):
    settings.BOOKING_EXPIRY_DAYS = 14
    settings.BOOKING_REMINDER_DAYS = 3


@pytest.fixture
def world(db):
    with at(START - timedelta(hours=1)):
        return make_world(capacity=1)


def at(moment):
    return time_machine.travel(moment, tick=False)


def _ask(world, organisation=None, user=None, when=START):
    with at(when):
        return services.booking_request(
            site=world.site,
            organisation=organisation or world.sme,
            user=user or world.sme_member,
            **request_fields(days_ahead=40),
        )


def _run(when):
    with at(when):
        return expire_and_remind_requests.delay().get()


def _kinds(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_the_beat_schedule_runs_the_expiry_every_hour(settings):
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "matchmaking.bookings.tasks.expire_and_remind_requests"
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"].hour == set(range(24))


def test_a_request_expires_after_the_configured_days_with_one_reminder_before(world):
    booking = _ask(world)
    assert booking.expires_at == START + timedelta(days=14)

    assert _run(START + timedelta(days=10)) == {"expired": 0, "reminded": 0}
    # Three days before: the site's people are reminded, once, with the date.
    assert _run(START + timedelta(days=11, hours=1)) == {"expired": 0, "reminded": 1}
    assert _run(START + timedelta(days=11, hours=2)) == {"expired": 0, "reminded": 0}
    assert _kinds(world.site_admin).count("booking_reminder") == 1
    assert _kinds(world.site_member).count("booking_reminder") == 1
    assert "booking_reminder" not in _kinds(world.sme_member)
    reminder = Notification.objects.filter(kind="booking_reminder").first()
    with at(START):
        answer_by = danish("Please answer by %(date)s at %(time)s: the request expires then.")
    assert answer_by.split("%(date)s")[0] in reminder.body

    # Not a minute before the deadline.
    assert _run(START + timedelta(days=14) - timedelta(minutes=1)) == {
        "expired": 0,
        "reminded": 0,
    }
    booking.refresh_from_db()
    assert booking.status == "requested"
    assert "booking_expired" not in _kinds(world.sme_member)

    assert _run(START + timedelta(days=14, minutes=1)) == {"expired": 1, "reminded": 0}
    booking.refresh_from_db()
    assert booking.status == "expired"


def test_the_reminder_names_the_deadline_in_the_recipients_language(world, settings):
    settings.LANGUAGE_CODE = "en"
    world.site_admin.language = "en"
    world.site_admin.save(update_fields=["language"])
    _ask(world)
    _run(START + timedelta(days=11, hours=1))
    reminder = Notification.objects.get(kind="booking_reminder", user=world.site_admin)
    # Asked on 2 March at 09:00, it expires on 16 March at 09:00: three calendar days from the
    # 13th at 10:00, and the date is named.
    answer_by = f"Please answer by {en_date(date(2026, 3, 16))} at {en_time(time(9))}"
    assert answer_by in reminder.body
    assert "That is in 3 days." in reminder.body


def test_the_company_is_told_once_however_often_the_task_runs(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    booking = _ask(world)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(START + timedelta(days=14, minutes=1))["expired"] == 1
        assert _run(START + timedelta(days=14, minutes=2))["expired"] == 0
        assert _run(START + timedelta(days=20))["expired"] == 0
    for user in (world.sme_admin, world.sme_member):
        assert _kinds(user).count("booking_expired") == 1
    for user in (world.site_admin, world.site_member):
        assert _kinds(user).count("booking_expired_site") == 1
    # One email each: the company's people, and the site's people (who were not reminded).
    everyone = (world.sme_admin, world.sme_member, world.site_admin, world.site_member)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(user.email for user in everyone)
    subject = danish("Your request to test at %(site)s expired") % {"site": "Plejecenter Solhaven"}
    assert subject in [m.subject for m in mailoutbox]
    assert booking.get_absolute_url() in mailoutbox[0].body


def test_one_run_expires_every_request_that_is_due(world):
    due = [_ask(world, when=START + timedelta(hours=hour)) for hour in range(5)]
    later = _ask(world, when=START + timedelta(days=2))
    assert _run(START + timedelta(days=14, hours=5)) == {"expired": 5, "reminded": 1}
    assert set(Booking.objects.filter(status="expired").values_list("pk", flat=True)) == {
        booking.pk for booking in due
    }
    assert Booking.objects.get(pk=later.pk).status == "requested"


def test_the_number_of_days_comes_from_the_settings(world, settings):
    settings.BOOKING_EXPIRY_DAYS = 5
    assert _ask(world).expires_at == START + timedelta(days=5)


# Proposed dates wait for the company's answer with a deadline of their own:
# test_proposal_expiry.py.
@pytest.mark.parametrize("answer", ["accept", "decline", "cancel"])
def test_an_answered_request_neither_expires_nor_gets_a_reminder(world, answer):
    booking = _ask(world)
    with at(START + timedelta(days=1)):
        if answer == "accept":
            services.booking_accept(booking=booking, user=world.site_member)
        elif answer == "decline":
            services.booking_decline(booking=booking, user=world.site_member, reason="Ingen plads")
        else:
            services.booking_cancel(booking=booking, user=world.sme_member)
    status = Booking.objects.get(pk=booking.pk).status
    assert _run(START + timedelta(days=12)) == {"expired": 0, "reminded": 0}
    assert _run(START + timedelta(days=30)) == {"expired": 0, "reminded": 0}
    assert Booking.objects.get(pk=booking.pk).status == status != "expired"
    kinds = {"booking_reminder", "booking_expired", "booking_expired_site"}
    assert not Notification.objects.filter(kind__in=kinds).exists()


def test_an_expired_request_frees_its_days(world, client):
    """The expired request leaves the site's calendar and can no longer be answered; another
    company's request for the same days (capacity 1) is accepted."""
    expired = _ask(world)
    calendar_url = reverse("bookings:site_calendar", args=[world.site.pk])
    month = {"month": f"{expired.start:%Y-%m}"}
    client.force_login(world.site_member)
    with at(START + timedelta(days=1)):
        assert expired.get_absolute_url() in client.get(calendar_url, month).content.decode()
    _run(START + timedelta(days=14, minutes=1))
    with at(START + timedelta(days=14, hours=1)):
        with pytest.raises(BookingError, match="expired"):
            services.booking_accept(booking=expired, user=world.site_admin)
        with pytest.raises(BookingError, match="expired"):
            services.booking_propose(
                booking=expired, user=world.site_admin, start=expired.start, end=expired.end
            )
        assert expired.get_absolute_url() not in client.get(calendar_url, month).content.decode()
        other = services.booking_request(
            site=world.site,
            organisation=world.outsider.person.affiliations.get().organisation,
            user=world.outsider,
            start=expired.start,
            end=expired.end,
            what_is_tested="Sensor",
            trl=6,
        )
        services.booking_accept(booking=other, user=world.site_admin)
    assert Booking.objects.get(pk=other.pk).status == "accepted"
    assert Booking.objects.get(pk=expired.pk).status == "expired"


@pytest.mark.parametrize("who", ["site_admin", "site_member", "sme_admin", "sme_member"])
def test_both_sides_see_that_the_request_expired(world, client, who):
    booking = _ask(world)
    _run(START + timedelta(days=14, minutes=1))
    client.force_login(getattr(world, who))
    with at(START + timedelta(days=15)):
        detail = client.get(booking.get_absolute_url()).content.decode()
        listing = client.get(reverse("bookings:list")).content.decode()
        filtered = client.get(reverse("bookings:list"), {"status": "expired"}).content.decode()
    assert 'data-testid="booking-status">Expired<' in detail
    assert 'data-testid="booking-expired"' in detail
    assert reverse("bookings:accept", args=[booking.pk]) not in detail  # nothing to answer
    assert reverse("bookings:cancel", args=[booking.pk]) not in detail
    offers_again = reverse("bookings:request", args=[world.site.pk]) in detail
    assert offers_again is who.startswith("sme")
    assert "Expired" in listing
    assert booking.get_absolute_url() in filtered


def test_a_waiting_request_shows_its_deadline(world, client):
    booking = _ask(world)
    client.force_login(world.site_member)
    with at(START + timedelta(days=1)):
        page = client.get(booking.get_absolute_url()).content.decode()
    assert 'data-testid="booking-deadline"' in page
    assert en_date(date(2026, 3, 16)) in page
