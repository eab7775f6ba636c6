"""Dates a test site proposes instead expire when the company does not accept them in time, as
requests do: one reminder to the company before, both sides told once, the site's calendar free
again, the deadline on the page while it waits and "Expired" after."""

import importlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from matchmaking.bookings import services
from matchmaking.bookings.models import Booking, CalendarFeed
from matchmaking.bookings.services import BookingError
from matchmaking.bookings.tasks import expire_and_remind_requests
from network.models import Notification
from tests.bookings.factories import make_world, request_fields
from tests.email_dates import en_date, en_time
from tests.language import danish

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")
ASKED = datetime(2026, 3, 2, 9, 0, tzinfo=CPH)  # a Monday
PROPOSED = ASKED + timedelta(days=2, hours=5)  # Wednesday 4 March at 14:00
DEADLINE = datetime(2026, 3, 11, 14, 0, tzinfo=CPH)  # seven days later, same time of day
REQUEST_KINDS = {"booking_reminder", "booking_expired", "booking_expired_site"}
PROPOSAL_KINDS = {
    "booking_proposal_reminder",
    "booking_proposal_expired",
    "booking_proposal_expired_site",
}


@pytest.fixture(autouse=True)
def _days(settings):
    settings.BOOKING_EXPIRY_DAYS = 14
    settings.BOOKING_REMINDER_DAYS = 3
    settings.BOOKING_PROPOSAL_EXPIRY_DAYS = 7


@pytest.fixture
def world(db):
    with at(ASKED - timedelta(hours=1)):
        return make_world(capacity=1)


def at(moment):
    return time_machine.travel(moment, tick=False)


def _ask(world, when=ASKED):
    with at(when):
        return services.booking_request(
            site=world.site,
            organisation=world.sme,
            user=world.sme_member,
            **request_fields(days_ahead=40),
        )


def _propose(world, booking, when=PROPOSED, shift=7):
    with at(when):
        return services.booking_propose(
            booking=booking,
            user=world.site_member,
            start=booking.start + timedelta(days=shift),
            end=booking.end + timedelta(days=shift),
            answer="Vi har plads ugen efter.",
        )


def _proposal(world):
    return _propose(world, _ask(world))


def _run(when):
    with at(when):
        return expire_and_remind_requests.delay().get()


def _kinds(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def _status(booking):
    return Booking.objects.get(pk=booking.pk).status


def test_proposing_gives_the_company_a_full_period_of_its_own(world, settings):
    booking = _ask(world)
    # The site's people were reminded of the request; then they propose other dates.
    _run(ASKED + timedelta(days=11, hours=1))
    assert Booking.objects.get(pk=booking.pk).reminder_sent_at is not None
    booking = _propose(world, booking, when=ASKED + timedelta(days=12))
    assert booking.expires_at == ASKED + timedelta(days=19)
    assert booking.reminder_sent_at is None  # the company's reminder is still to come

    # The proposal names the deadline.
    proposed = Notification.objects.get(kind="booking_proposed", user=world.sme_member)
    with at(ASKED):
        answer_by = danish("Please answer by %(date)s at %(time)s: the proposal expires then.")
    assert answer_by.split("%(date)s")[0] in proposed.body

    # Proposing again sets a new deadline; the number of days comes from the settings.
    settings.BOOKING_PROPOSAL_EXPIRY_DAYS = 10
    booking = _propose(world, booking, when=ASKED + timedelta(days=13), shift=8)
    assert booking.expires_at == ASKED + timedelta(days=23)


def test_a_proposal_expires_after_the_deadline_not_before_with_one_reminder(world):
    booking = _proposal(world)
    assert booking.expires_at == DEADLINE

    assert _run(DEADLINE - timedelta(days=4)) == {"expired": 0, "reminded": 0}
    # Three days before: the company's people are reminded, once; the site's people are not.
    assert _run(DEADLINE - timedelta(days=3) + timedelta(hours=1)) == {"expired": 0, "reminded": 1}
    assert _run(DEADLINE - timedelta(days=3) + timedelta(hours=2)) == {"expired": 0, "reminded": 0}
    for user in (world.sme_admin, world.sme_member):
        assert _kinds(user).count("booking_proposal_reminder") == 1
    for user in (world.site_admin, world.site_member):
        assert "booking_proposal_reminder" not in _kinds(user)
        assert "booking_reminder" not in _kinds(user)

    # Not a minute before the deadline.
    assert _run(DEADLINE - timedelta(minutes=1)) == {"expired": 0, "reminded": 0}
    assert _status(booking) == "proposed"
    assert "booking_proposal_expired" not in _kinds(world.sme_member)

    assert _run(DEADLINE + timedelta(minutes=1)) == {"expired": 1, "reminded": 0}
    booking.refresh_from_db()
    assert booking.status == "expired"
    assert booking.proposed_start is not None  # what was proposed stays on the booking


def test_the_reminder_names_the_deadline_in_the_recipients_language(world, settings):
    settings.LANGUAGE_CODE = "en"
    world.sme_admin.language = "en"
    world.sme_admin.save(update_fields=["language"])
    _proposal(world)
    _run(DEADLINE - timedelta(days=3) + timedelta(hours=1))
    reminder = Notification.objects.get(kind="booking_proposal_reminder", user=world.sme_admin)
    answer_by = f"Please answer by {en_date(date(2026, 3, 11))} at {en_time(time(14))}"
    assert answer_by in reminder.body
    assert "That is in 3 days." in reminder.body


def test_both_sides_are_told_once_however_often_the_task_runs(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    booking = _proposal(world)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(DEADLINE + timedelta(minutes=1))["expired"] == 1
        assert _run(DEADLINE + timedelta(minutes=2))["expired"] == 0
        assert _run(DEADLINE + timedelta(days=5))["expired"] == 0
    for user in (world.sme_admin, world.sme_member):
        assert _kinds(user).count("booking_proposal_expired") == 1
    for user in (world.site_admin, world.site_member):
        assert _kinds(user).count("booking_proposal_expired_site") == 1
    # Told of an expired proposal, not of an expired request.
    assert not Notification.objects.filter(kind__in=REQUEST_KINDS).exists()
    everyone = (world.sme_admin, world.sme_member, world.site_admin, world.site_member)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(user.email for user in everyone)
    subject = danish("The dates %(site)s proposed have expired") % {"site": "Plejecenter Solhaven"}
    assert subject in [m.subject for m in mailoutbox]
    subject = danish("%(company)s did not accept the dates you proposed") % {
        "company": "Faldsikker ApS"
    }
    assert subject in [m.subject for m in mailoutbox]
    assert booking.get_absolute_url() in mailoutbox[0].body


def test_a_request_and_a_proposal_due_in_the_same_run_expire_each_with_its_own_notices(world):
    proposal = _proposal(world)
    request = _ask(world, when=DEADLINE - timedelta(days=14))
    assert _run(DEADLINE + timedelta(minutes=1)) == {"expired": 2, "reminded": 0}
    assert _status(proposal) == _status(request) == "expired"
    assert _kinds(world.sme_member).count("booking_proposal_expired") == 1
    assert _kinds(world.sme_member).count("booking_expired") == 1


@pytest.mark.parametrize("when", ["before", "after, before the run", "after the run"])
def test_the_company_can_accept_before_the_deadline_and_not_after(world, when):
    booking = _proposal(world)
    if when == "before":
        with at(DEADLINE - timedelta(minutes=1)):
            services.booking_accept_proposal(booking=booking, user=world.sme_member)
        assert _status(booking) == "accepted"
        # The task then leaves it alone, and nobody hears of an expiry.
        assert _run(DEADLINE + timedelta(hours=1)) == {"expired": 0, "reminded": 0}
        assert _status(booking) == "accepted"
        assert not Notification.objects.filter(kind__in=PROPOSAL_KINDS).exists()
        return
    if when == "after the run":
        _run(DEADLINE + timedelta(minutes=1))
    with at(DEADLINE + timedelta(minutes=30)), pytest.raises(BookingError, match="expired"):
        services.booking_accept_proposal(booking=booking, user=world.sme_member)
    assert _status(booking) != "accepted"
    # The run after the deadline expires it either way, and tells each side once.
    _run(DEADLINE + timedelta(hours=1))
    assert _status(booking) == "expired"
    assert _kinds(world.sme_member).count("booking_proposal_expired") == 1


@pytest.mark.parametrize("answer", ["accept", "propose", "decline"])
def test_the_site_cannot_answer_after_the_deadline_before_the_run_either(world, answer):
    """The deadline holds for both open questions: a request the site's people did not answer,
    and proposed dates they would change again."""
    booking = _ask(world)
    if answer == "propose":
        booking = _propose(world, booking)
        late = DEADLINE + timedelta(minutes=1)
    else:
        late = ASKED + timedelta(days=14, minutes=1)
    answers = {
        "accept": lambda: services.booking_accept(booking=booking, user=world.site_admin),
        "propose": lambda: services.booking_propose(
            booking=booking, user=world.site_admin, start=booking.start, end=booking.end
        ),
        "decline": lambda: services.booking_decline(
            booking=booking, user=world.site_admin, reason="Nej"
        ),
    }
    with at(late), pytest.raises(BookingError, match="expired"):
        answers[answer]()
    assert _status(booking) == ("proposed" if answer == "propose" else "requested")


def test_only_the_company_accepts_proposed_dates(world, client):
    """Who may accept is unchanged by the deadline: the site's people are refused (403), an
    outsider does not see the booking (404), the company's member accepts."""
    booking = _proposal(world)
    url = reverse("bookings:accept_proposal", args=[booking.pk])
    with at(PROPOSED + timedelta(hours=1)):
        with pytest.raises(BookingError):
            services.booking_accept_proposal(booking=booking, user=world.site_admin)
        client.force_login(world.site_admin)
        assert client.post(url).status_code == 403
        client.force_login(world.outsider)
        assert client.post(url).status_code == 404
        assert _status(booking) == "proposed"
        client.force_login(world.sme_member)
        assert client.post(url).status_code == 302
    assert _status(booking) == "accepted"


def test_an_expired_proposal_frees_the_sites_calendar(world, client):
    """It leaves the site's calendar and feed, and another company's request for the proposed
    days (capacity 1) is accepted."""
    booking = _proposal(world)
    calendar_url = reverse("bookings:site_calendar", args=[world.site.pk])
    month = {"month": f"{booking.start:%Y-%m}"}
    feed = CalendarFeed.objects.create(site=world.site)
    client.force_login(world.site_member)
    with at(PROPOSED + timedelta(hours=1)):
        assert booking.get_absolute_url() in client.get(calendar_url, month).content.decode()
        assert f"booking-{booking.pk}@" in client.get(feed.get_absolute_url()).content.decode()
    _run(DEADLINE + timedelta(minutes=1))
    with at(DEADLINE + timedelta(hours=1)):
        assert booking.get_absolute_url() not in client.get(calendar_url, month).content.decode()
        assert f"booking-{booking.pk}@" not in client.get(feed.get_absolute_url()).content.decode()
        other = services.booking_request(
            site=world.site,
            organisation=world.outsider.person.affiliations.get().organisation,
            user=world.outsider,
            start=booking.proposed_start,
            end=booking.proposed_end,
            what_is_tested="Sensor",
            trl=6,
        )
        services.booking_accept(booking=other, user=world.site_admin)
    assert _status(other) == "accepted"
    assert _status(booking) == "expired"


@pytest.mark.parametrize("who", ["site_member", "sme_member"])
def test_a_waiting_proposal_shows_its_deadline_to_both_sides(world, client, who):
    booking = _proposal(world)
    client.force_login(getattr(world, who))
    with at(PROPOSED + timedelta(days=1)):
        page = client.get(booking.get_absolute_url()).content.decode()
    assert 'data-testid="booking-deadline"' in page
    assert en_date(date(2026, 3, 11)) in page
    offers_accept = reverse("bookings:accept_proposal", args=[booking.pk]) in page
    assert offers_accept is (who == "sme_member")


@pytest.mark.parametrize("run", [True, False], ids=["after the run", "before the run"])
@pytest.mark.parametrize("who", ["site_admin", "sme_member"])
def test_both_sides_see_that_the_proposal_expired(world, client, who, run):
    booking = _proposal(world)
    if run:
        _run(DEADLINE + timedelta(minutes=1))
    client.force_login(getattr(world, who))
    with at(DEADLINE + timedelta(minutes=30)):
        detail = client.get(booking.get_absolute_url()).content.decode()
    assert 'data-testid="booking-status">Expired<' in detail
    assert "did not accept the proposed dates by" in detail
    assert 'data-testid="proposed-dates"' in detail
    assert 'data-testid="booking-deadline"' not in detail
    for action in ("accept_proposal", "propose", "decline"):
        assert reverse(f"bookings:{action}", args=[booking.pk]) not in detail
    offers_again = reverse("bookings:request", args=[world.site.pk]) in detail
    assert offers_again is who.startswith("sme")
    if run:
        with at(DEADLINE + timedelta(hours=1)):
            filtered = client.get(reverse("bookings:list"), {"status": "expired"})
        assert booking.get_absolute_url() in filtered.content.decode()


def test_the_migration_gives_waiting_proposals_a_full_period(world):
    """Proposals made before they could expire carry the request's deadline, maybe passed; the
    migration gives each a full period from when it runs and a reminder still to come."""
    proposal = _proposal(world)
    request = _ask(world)
    Booking.objects.filter(pk=proposal.pk).update(
        expires_at=ASKED - timedelta(days=1), reminder_sent_at=ASKED
    )
    migration = importlib.import_module(
        "matchmaking.bookings.migrations.0003_booking_proposal_expiry"
    )
    deploy = datetime(2026, 3, 5, 8, 30, tzinfo=CPH)  # the request waits until the 16th
    with at(deploy):
        migration.proposals_get_a_full_period(apps, None)
    proposal.refresh_from_db()
    assert proposal.expires_at == deploy + timedelta(days=7)
    assert proposal.reminder_sent_at is None
    assert Booking.objects.get(pk=request.pk).expires_at == request.expires_at
    assert _run(deploy + timedelta(hours=1)) == {"expired": 0, "reminded": 0}
    assert _status(proposal) == "proposed"
