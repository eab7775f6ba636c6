from celery import shared_task
from django.db import transaction

from network.figures import network_figures_refresh
from network.search import refresh_search_vectors


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_network_figures() -> dict:
    return network_figures_refresh().figures


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_organisation_search(organisation_ids: list[int]) -> None:
    refresh_search_vectors(organisation_ids)


def schedule_directory_refresh(organisation_ids=()) -> None:
    """After the current transaction commits: refresh search vectors and the home figures."""
    ids = list(organisation_ids)

    def enqueue():
        if ids:
            refresh_organisation_search.delay(ids)
        refresh_network_figures.delay()

    transaction.on_commit(enqueue)
