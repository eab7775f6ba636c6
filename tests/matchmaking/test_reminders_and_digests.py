"""Digests and introduction reminders people can rely on (issue 24): each task run twice at
the same moment and again an hour later sends one email; the reminder names the date and
counts calendar days; an expired request is told to both sides and to the company's cluster."""

import threading
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from matchmaking.introductions import services
from matchmaking.introductions.tasks import (
    expire_and_remind_introductions,
    send_daily_digests,
    send_weekly_digests,
)
from network import notifications
from network.models import Notification, NotificationDelivery
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


def _ask(world, moment=START):
    with at(moment):
        return services.introduction_request(
            match=world.match, user=world.sme_member, message="May we test?"
        )


def to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


def run_three_times(task, moment, callbacks) -> list:
    """Twice at the same moment, then an hour later."""
    results = []
    for later in (timedelta(0), timedelta(0), timedelta(hours=1)):
        with at(moment + later), callbacks(execute=True):
            results.append(task.delay().get())
    return results


# --- Finding 1: the weekly digest once per week ---------------------------------------------
def test_the_weekly_digest_goes_once_however_often_the_task_runs(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=world.muni_user, frequency="weekly")
    _ask(world)  # a request waits for Mette's answer all week
    monday = datetime(2026, 3, 9, 7, 30, tzinfo=CPH)
    assert run_three_times(send_weekly_digests, monday, django_capture_on_commit_callbacks) == [
        1,
        0,
        0,
    ]
    assert len(to(mailoutbox, "mette@odense.example")) == 1
    # Run late on Wednesday (a redelivered task): still this week's digest, nothing more.
    with at(monday + timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests.delay().get() == 0
    # The next Monday the request still waits: the next week's digest.
    with at(monday + timedelta(days=7)), django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests.delay().get() == 1
    assert len(to(mailoutbox, "mette@odense.example")) == 2


def test_a_run_that_fails_sends_nothing_and_leaves_the_digest_to_the_next(
    world, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from matchmaking.introductions import digest

    notifications.preference_set(user=world.muni_user, frequency="weekly")
    _ask(world)
    monday = datetime(2026, 3, 9, 7, 30, tzinfo=CPH)

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(notifications, "render_message", broken)
    with at(monday), pytest.raises(RuntimeError):
        digest.digests_send()
    monkeypatch.undo()
    with at(monday + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        assert digest.digests_send() == 1  # the failed run's claim was rolled back
    assert len(to(mailoutbox, "mette@odense.example")) == 1


def test_the_daily_digest_goes_once_a_day_with_only_the_kinds_chosen_daily(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.preference_set(
        user=world.sme_admin, frequencies={"matches": "daily", "introductions": "weekly"}
    )
    morning = datetime(2026, 3, 3, 7, 30, tzinfo=CPH)
    assert run_three_times(send_daily_digests, morning, django_capture_on_commit_callbacks) == [
        1,
        0,
        0,
    ]
    [digest] = to(mailoutbox, "anna@faldvagt.example")
    assert digest.subject == "Your day in the Healthtech Network Portal"
    assert "1 new match" in digest.body
    with at(morning + timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests.delay().get() == 0  # nothing new since yesterday's


def test_a_deadline_before_the_next_digest_is_emailed_at_once(
    world, settings, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=world.muni_user, frequency="weekly")
    settings.INTRODUCTION_EXPIRY_DAYS = 3  # would expire before next Monday's digest
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world)
    assert [m.subject for m in to(mailoutbox, "mette@odense.example")] == [
        "Faldvagt ApS would like to meet you"
    ]
    settings.INTRODUCTION_EXPIRY_DAYS = 14
    mailoutbox.clear()
    services.introduction_decline(
        introduction=world.match.introductions.get(), user=world.muni_user, reason="No"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world, START + timedelta(hours=1))
    assert to(mailoutbox, "mette@odense.example") == []  # 14 days: the digest has it


# --- Finding 6: the reminder names the date and counts calendar days ------------------------
@pytest.mark.parametrize(
    ("moment", "days"),
    [
        (START + timedelta(days=11, hours=1), "That is in 3 days."),  # 13 March, 10:00
        (START + timedelta(days=13, hours=1), "That is tomorrow."),  # 15 March, 10:00
        (START + timedelta(days=13, hours=22, minutes=30), "That is today."),  # 16 March 07:30
    ],
)
def test_the_reminder_names_the_date_and_the_days_left(
    world, settings, moment, days, mailoutbox, django_capture_on_commit_callbacks
):
    settings.INTRODUCTION_REMINDER_DAYS = 13
    _ask(world)
    results = run_three_times(
        expire_and_remind_introductions, moment, django_capture_on_commit_callbacks
    )
    assert [r["reminded"] for r in results] == [1, 0, 0]
    [email] = to(mailoutbox, "mette@odense.example")
    answer_by = f"Please answer by {en_date(date(2026, 3, 16))} at {en_time(time(9))}"
    assert f"{answer_by}: the request expires then." in email.body
    assert days in email.body
    assert "0 days" not in email.body


def test_the_reminder_counts_days_across_the_autumn_clock_change(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    # Asked at 09:00 summer time: expires at 09:00 winter time on 26 October, 14 calendar days
    # later (not 14 x 24 hours, which would be 08:00).
    asked = datetime(2026, 10, 12, 9, 0, tzinfo=CPH)
    _ask(world, asked)
    with (
        at(datetime(2026, 10, 23, 10, 5, tzinfo=CPH)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert expire_and_remind_introductions.delay().get() == {"expired": 0, "reminded": 1}
    [email] = to(mailoutbox, "mette@odense.example")
    assert f"Please answer by {en_date(date(2026, 10, 26))} at {en_time(time(9))}" in email.body
    assert "That is in 3 days." in email.body


# --- The missing messages: an expired request ----------------------------------------------
def test_an_expired_request_is_told_to_both_sides_and_the_companys_cluster_staff(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.staff.language = "en"
    world.staff.save(update_fields=["language"])
    introduction = _ask(world)
    moment = introduction.expires_at + timedelta(minutes=5)
    results = run_three_times(
        expire_and_remind_introductions, moment, django_capture_on_commit_callbacks
    )
    assert [r["expired"] for r in results] == [1, 0, 0]
    asked = Notification.objects.get(user=world.muni_user, kind="introduction_expired_asked")
    assert asked.title == "The request from Faldvagt ApS expired"
    assert f"Nobody answered by {en_date(date(2026, 3, 16))}" in asked.body
    told = Notification.objects.get(user=world.staff)
    assert told.title == "Faldvagt ApS's request to Odense Kommune expired unanswered"
    assert not Notification.objects.filter(user=world.other_staff).exists()
    # Staff read it in their weekly summary, not in an email of its own.
    assert to(mailoutbox, "staff@welfaretech.example") == []
    from clusters.tasks import send_renewal_digests

    monday = datetime(2026, 3, 23, 7, 0, tzinfo=CPH)
    with at(monday), django_capture_on_commit_callbacks(execute=True):
        assert send_renewal_digests.delay().get() == 1
    [summary] = to(mailoutbox, "staff@welfaretech.example")
    assert "Faldvagt ApS's request to Odense Kommune expired unanswered" in summary.body


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need a server database"
)
def test_two_concurrent_runs_send_one_digest(transactional_db, mailoutbox, monkeypatch):
    """Two workers run the weekly digest at once: both read the same state and both try to
    claim; the unique index lets one through and the other sends nothing."""
    from matchmaking.introductions import digest
    from network import deliveries

    with time_machine.travel(START - timedelta(hours=1), tick=False):
        world = make_world()
    notifications.preference_set(user=world.muni_user, frequency="weekly")
    _ask(world)
    both_ready = threading.Barrier(2, timeout=30)
    original = deliveries.delivery_claim

    def claim_together(**kwargs):
        both_ready.wait()  # neither claims before the other has read who is due
        return original(**kwargs)

    monkeypatch.setattr(deliveries, "delivery_claim", claim_together)
    monkeypatch.setattr(notifications, "delivery_claim", claim_together)
    results = []

    def run():
        try:
            with at(datetime(2026, 3, 9, 7, 30, tzinfo=CPH)):
                results.append(digest.digests_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [0, 1]
    assert NotificationDelivery.objects.filter(kind="digest:weekly").count() == 1
