"""Celery tasks for saved searches' alerts (network.search.saved): registered through
CELERY_IMPORTS, run by network/schedule.py."""

from celery import shared_task

from network.notifications_tasks import RETRY


@shared_task(acks_late=True)
def saved_search_alerts(frequency: str) -> dict:
    from network.search.saved import alerts_run

    return alerts_run(frequency)


@shared_task(**RETRY)
def deliver_saved_search_email(saved_search_id: int, subject: str, body: str) -> bool:
    from network.search.saved import saved_search_email_deliver

    return saved_search_email_deliver(saved_search_id=saved_search_id, subject=subject, body=body)
