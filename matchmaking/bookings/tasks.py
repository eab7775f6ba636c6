"""Periodic work for bookings: thin wrappers around services."""

from celery import shared_task

from matchmaking.bookings.services import (
    bookings_expire_and_remind,
    evaluation_reminders_send,
    site_tests_running_refresh,
)


# Each task's soft limit comes before its hard one: the settings' soft limit (for the longest
# tasks) would otherwise be above it, and Celery refuses to send such a task.
@shared_task(
    name="matchmaking.bookings.tasks.refresh_tests_running", time_limit=300, soft_time_limit=270
)
def refresh_tests_running() -> int:
    """Each night: the tests that started or ended with the day, into every site's count."""
    return site_tests_running_refresh()


@shared_task(
    name="matchmaking.bookings.tasks.send_evaluation_reminders",
    time_limit=600,
    soft_time_limit=540,
)
def send_evaluation_reminders() -> int:
    """Each morning: both sides of tests that just ended are asked to evaluate them."""
    return evaluation_reminders_send()


@shared_task(
    name="matchmaking.bookings.tasks.expire_and_remind_requests",
    time_limit=600,
    soft_time_limit=540,
)
def expire_and_remind_requests() -> dict:
    """Hourly: requests the site has not answered in time, and dates it proposed that the
    company has not accepted in time, expire; those about to expire remind the side that must
    answer once. (The name is kept from when only requests expired: beat and queued messages
    call it by name.)"""
    return bookings_expire_and_remind()
