"""Requests expire after the configured days, with one reminder before; the weekly digest."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from matchmaking.introductions import services
from matchmaking.introductions.digest import digests_send
from matchmaking.introductions.tasks import expire_and_remind_introductions, send_weekly_digests
from matchmaking.models import Match
from network import notifications
from network.models import Notification
from network.models.notifications import NotificationFrequency
from tests.email_dates import en_date, en_time
from tests.matchmaking.introduction_data import make_world

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")
START = datetime(2026, 3, 2, 9, 0, tzinfo=CPH)  # a Monday


@pytest.fixture(autouse=True)
def _days(settings):
    settings.LANGUAGE_CODE = "en"
    settings.INTRODUCTION_EXPIRY_DAYS = 14
    settings.INTRODUCTION_REMINDER_DAYS = 3


@pytest.fixture
def world(db):
    with time_machine.travel(START - timedelta(hours=1), tick=False):
        return make_world()


def at(moment):
    return time_machine.travel(moment, tick=False)


def _ask(world):
    with at(START):
        return services.introduction_request(
            match=world.match, user=world.sme_member, message="May we test?"
        )


def _kinds(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_the_beat_schedule_runs_expiry_hourly_and_the_digest_weekly(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "matchmaking.introductions.tasks.expire_and_remind_introductions" in tasks
    assert "matchmaking.introductions.tasks.send_weekly_digests" in tasks
    assert "matchmaking.introductions.tasks" in settings.CELERY_IMPORTS


def test_a_request_expires_after_the_configured_days_with_a_reminder_before(world):
    introduction = _ask(world)
    assert introduction.expires_at == START + timedelta(days=14)

    with at(START + timedelta(days=10)):
        assert expire_and_remind_introductions.delay().get() == {"expired": 0, "reminded": 0}
    assert "introduction_reminder" not in _kinds(world.muni_user)

    with at(START + timedelta(days=11, hours=1)):
        assert expire_and_remind_introductions.delay().get() == {"expired": 0, "reminded": 1}
        assert expire_and_remind_introductions.delay().get() == {"expired": 0, "reminded": 0}
    assert _kinds(world.muni_user).count("introduction_reminder") == 1
    reminder = Notification.objects.get(kind="introduction_reminder")
    # Asked on 2 March at 09:00, it expires on 16 March at 09:00: three calendar days from
    # the 13th at 10:00, not "2 days" (whole 24 hours), and the date is named.
    answer_by = f"Please answer by {en_date(date(2026, 3, 16))} at {en_time(time(9))}"
    assert answer_by in reminder.body
    assert "That is in 3 days." in reminder.body

    with at(START + timedelta(days=14, minutes=1)):
        assert expire_and_remind_introductions.delay().get() == {"expired": 1, "reminded": 0}
    introduction.refresh_from_db()
    assert introduction.status == "expired"
    assert "introduction_expired" in _kinds(world.sme_member)
    assert Match.objects.get(pk=world.match.pk).status == "declined"  # kept, with its record
    with at(START + timedelta(days=15)):
        again = services.introduction_request(
            match=world.match, user=world.sme_member, message="May we try again?"
        )
    assert again.status == "requested"


def test_the_number_of_days_comes_from_the_settings(world, settings):
    settings.INTRODUCTION_EXPIRY_DAYS = 5
    introduction = _ask(world)
    assert introduction.expires_at == START + timedelta(days=5)


def test_an_answered_request_neither_expires_nor_gets_a_reminder(world):
    introduction = _ask(world)
    with at(START + timedelta(days=1)):
        services.introduction_accept(introduction=introduction, user=world.muni_user)
    with at(START + timedelta(days=30)):
        assert services.introductions_expire_and_remind() == {"expired": 0, "reminded": 0}
    introduction.refresh_from_db()
    assert introduction.status == "accepted"


# --- Digest -------------------------------------------------------------------------------------
def test_weekly_people_get_a_digest_instead_of_single_emails(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=world.muni_user, frequency=NotificationFrequency.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world)
    assert mailoutbox == []  # no email at once
    assert _kinds(world.muni_user) == ["introduction_requested"]  # but in the inbox

    with (
        at(START + timedelta(days=7)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_weekly_digests.delay().get() == 1
    [digest] = mailoutbox
    assert digest.to == ["mette@odense.example"]
    assert "1 request waiting for your answer" in digest.body
    assert "1 unread notification" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers


def test_a_digest_counts_new_matches_and_is_skipped_when_nothing_happened(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=world.sme_admin, frequency=NotificationFrequency.WEEKLY)
    with (
        at(START + timedelta(days=6)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert digests_send() == 1  # the match made this week
    assert "1 new match" in mailoutbox[0].body
    with (
        at(START + timedelta(days=13)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert digests_send() == 0
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("frequency", ["immediately", "never"])
def test_people_who_did_not_choose_the_digest_get_none(
    world, frequency, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=world.muni_user, frequency=frequency)
    _ask(world)
    with (
        at(START + timedelta(days=7)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert digests_send() == 0
