"""Periodic work for bookings: thin wrappers around services."""

from celery import shared_task

from matchmaking.bookings.services import site_tests_running_refresh


@shared_task(name="matchmaking.bookings.tasks.refresh_tests_running", time_limit=300)
def refresh_tests_running() -> int:
    """Each night: the tests that started or ended with the day, into every site's count."""
    return site_tests_running_refresh()
