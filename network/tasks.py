from celery import shared_task
from django.core.cache import cache
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


REBUILD_PENDING = "network-search-rebuild-pending"


@shared_task(acks_late=True)
def rebuild_search_index() -> int:
    """Index everything again: the thesaurus changed, so every document's concept keys may."""
    from network.search import analyzer, index

    cache.delete(REBUILD_PENDING)  # an edit from now on asks for another rebuild
    analyzer.forget()  # this worker reads the edited thesaurus now, not in five minutes
    return index.rebuild()


def thesaurus_changed(**_kwargs) -> None:
    """A concept was added, edited, merged or deleted (admin or migration-free code path)."""
    from network.search import analyzer

    analyzer.forget()
    # Many concepts saved at once (a merge, a script) ask for one rebuild, not one each.
    if cache.add(REBUILD_PENDING, 1, timeout=600):
        transaction.on_commit(rebuild_search_index.delay)


@shared_task(acks_late=True)
def purge_deleted_offers() -> int:
    """Every few minutes (schedule.py): test sites and knowledge offers deleted longer ago than
    their undo time are deleted for good."""
    from network.services import offers_purge_deleted

    return offers_purge_deleted()
