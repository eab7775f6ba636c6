"""Notification emails and the introductions' periodic tasks reach a real worker through
Redis: the worker knows them (CELERY_IMPORTS) and sends each email once."""

import time

import pytest

from network import notifications
from network.models import Notification
from network.notifications_tasks import deliver_notification_email
from tests.factories import UserFactory

pytestmark = pytest.mark.broker


def test_a_notification_email_is_sent_by_a_real_worker(celery_worker_process):
    user = UserFactory(email="anna@faldvagt.example", language="en")
    note = notifications.notification_send(
        user=user,
        kind="test",
        template="emails/matchmaking/introduction_expired.txt",
        context={"target_name": "Plejecenter", "url": "http://x/"},
    )
    # Enqueued when the transaction committed; the worker sends it and records when.
    deadline = time.monotonic() + 60
    while Notification.objects.get(pk=note.pk).emailed_at is None:
        assert time.monotonic() < deadline, "the worker did not send the email"
        time.sleep(0.2)
    # Delivered twice (a redelivered message): the second does nothing.
    assert deliver_notification_email.delay(note.pk).get(timeout=60) is False
    assert Notification.objects.filter(user=user).count() == 1


def test_the_worker_runs_the_introductions_periodic_tasks(celery_worker_process):
    from matchmaking.introductions.tasks import (
        expire_and_remind_introductions,
        send_weekly_digests,
    )

    assert expire_and_remind_introductions.delay().get(timeout=60) == {
        "expired": 0,
        "reminded": 0,
    }
    assert send_weekly_digests.delay().get(timeout=60) == 0
