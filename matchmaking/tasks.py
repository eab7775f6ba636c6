"""Celery tasks: thin wrappers that take a run id and call one service.

acks_late with reject-on-worker-lost (settings): a worker killed mid-run leaves the message
unacknowledged, Redis hands it out again and the run is taken over from the start. Database
hiccups are retried with exponential backoff; anything else marks the run failed.
"""

from celery import shared_task
from django.db import DatabaseError

from matchmaking import services
from matchmaking.models import RunTrigger

FULL_RUN_LIMIT = 20 * 60
INCREMENTAL_LIMIT = 5 * 60

RETRY = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 4,
}


@shared_task(time_limit=FULL_RUN_LIMIT + 60, soft_time_limit=FULL_RUN_LIMIT, **RETRY)
def full_match_run(run_id: int) -> int | None:
    run = services.match_run_execute(run_id=run_id)
    return run.matches_written if run else None


@shared_task(time_limit=INCREMENTAL_LIMIT + 30, soft_time_limit=INCREMENTAL_LIMIT, **RETRY)
def incremental_match_run(run_id: int) -> int | None:
    run = services.match_run_execute(run_id=run_id)
    return run.matches_written if run else None


@shared_task(acks_late=True)
def scheduled_full_match_run() -> int:
    """Nightly (schedule.py): refits the vocabulary and catches up on anything missed."""
    return services.match_run_request(trigger=RunTrigger.SCHEDULE).pk


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60)
def vacuum_matches() -> bool:
    """After a full run rewrote many matches (services.match_run_execute queues it)."""
    from matchmaking import store

    return store.vacuum()
