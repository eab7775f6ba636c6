from celery import shared_task
from django.db import transaction
from django.utils import timezone

from network import stale
from network.figures import network_figures_refresh


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_network_figures() -> dict:
    return network_figures_refresh().figures


def schedule_figures_refresh() -> None:
    """Recompute the home page's figures once the current transaction has committed."""
    transaction.on_commit(refresh_network_figures.delay)


@shared_task(acks_late=True)
def profile_staleness() -> dict:
    """Daily (schedule.py): remind owners of profiles nobody has confirmed for a long time,
    then leave out of matching those whose reminder went unanswered (network/stale.py)."""
    now = timezone.now()
    return {"reminded": stale.send_reminders(now), "stale": stale.mark_stale(now)}
