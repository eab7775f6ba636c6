"""Celery tasks for introductions: thin wrappers that call one service.

Registered with the worker through CELERY_IMPORTS (settings); scheduled in
matchmaking/schedule.py.
"""

from celery import shared_task
from django.db import DatabaseError

RETRY = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 30,
    "max_retries": 5,
    "time_limit": 15 * 60,
    "soft_time_limit": 14 * 60,
}


@shared_task(**RETRY)
def expire_and_remind_introductions() -> dict:
    """Hourly: unanswered requests expire; those about to expire get one reminder."""
    from matchmaking.introductions.services import introductions_expire_and_remind

    return introductions_expire_and_remind()


@shared_task(**RETRY)
def send_weekly_digests() -> int:
    """Mondays: the weekly digest to everyone who chose it (once per person and week)."""
    from matchmaking.introductions.digest import digests_send

    return digests_send(frequency="weekly")


@shared_task(**RETRY)
def send_daily_digests() -> int:
    """Every morning: the daily digest to everyone who chose it (once per person and day)."""
    from matchmaking.introductions.digest import digests_send

    return digests_send(frequency="daily")
