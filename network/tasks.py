from celery import shared_task
from django.db import transaction

from network.figures import network_figures_refresh


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_network_figures() -> dict:
    return network_figures_refresh().figures


def schedule_figures_refresh() -> None:
    """Recompute the home page's figures once the current transaction has committed."""
    transaction.on_commit(refresh_network_figures.delay)
