"""Celery tasks for events: thin wrappers that take ids and call one service."""

from celery import shared_task
from django.db import DatabaseError

from matchmaking.events import services

SCHEDULE_LIMIT = 120


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    max_retries=3,
    time_limit=SCHEDULE_LIMIT + 30,
    soft_time_limit=SCHEDULE_LIMIT,
)
def schedule_event(event_id: int) -> dict:
    return services.event_schedule(event_id=event_id)


@shared_task(acks_late=True)
def send_event_reminders() -> int:
    return services.event_reminders_send()
