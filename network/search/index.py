"""Keeping the index up to date: one path, the same on both databases.

`sync()` reads, per kind, the items changed since the kind's watermark (their `updated_at`,
with a margin for transactions that committed late) and re-indexes those whose row differs.
It runs before a search (at most every SEARCH_SYNC_SECONDS, shared through the cache), on the
network's change hooks as soon as a service's transaction commits (network.hooks: profile and
item saves, moderation, staleness, merges), and from `manage.py search_index` (rebuild).
Whatever wrote the row (a service, the admin, an import, a bulk load), it is found by its
`updated_at`, so there is no signal to forget. Deleted items drop out of results at once
(visibility joins the live tables) and out of the index on the next rebuild or re-index.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from network.models import SearchDocument, SearchTerm, SearchWatermark
from network.search.analyzer import analyzer
from network.search.keys import document_keys, text_words
from network.search.sources import sources

logger = logging.getLogger(__name__)

MARGIN = timedelta(minutes=2)
BATCH = 500
TEXT_LIMIT = 6000
SYNC_KEY = "network-search-sync"
VERSION_KEY = "network-search-version"


def index_version() -> int:
    """A number that changes whenever the index does (cached counts name it in their key)."""
    return cache.get(VERSION_KEY) or 0


def _changed() -> None:
    if not cache.add(VERSION_KEY, 1, timeout=None):
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # evicted in between
            cache.set(VERSION_KEY, 1, timeout=None)


def _sort_title(title: str) -> str:
    return " ".join(text_words(title))[:300]


def index_items(kind: str, ids) -> int:
    """(Re)index the given items of one kind; ids that no longer exist leave the index."""
    source = sources().get(kind)
    ids = list(dict.fromkeys(ids))
    if source is None or not ids:
        return 0
    text_analyzer = analyzer()
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        documents = source.documents(batch)
        rows, vocabulary = [], set()
        for document in documents:
            lead = document.lead
            body = f"{document.title} {lead} {document.body}"
            facets = " ".join(document.facets)
            rows.append(
                SearchDocument(
                    kind=kind,
                    object_id=document.object_id,
                    title=document.title[:300],
                    sort_title=_sort_title(document.title),
                    text=" ".join(f"{document.lead} {document.body}".split())[:TEXT_LIMIT],
                    title_keys=document_keys(document.title, text_analyzer),
                    lead_keys=document_keys(lead, text_analyzer),
                    body_keys=document_keys(body, text_analyzer) + (f"{facets} " if facets else ""),
                    source_updated_at=document.updated_at,
                )
            )
            vocabulary.update(word for word in text_words(body) if not word.isdigit())
        with transaction.atomic():
            SearchDocument.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=[
                    "title",
                    "sort_title",
                    "text",
                    "title_keys",
                    "lead_keys",
                    "body_keys",
                    "source_updated_at",
                    "indexed_at",
                ],
            )
            SearchTerm.objects.bulk_create(
                [SearchTerm(term=word[:100]) for word in sorted(vocabulary)],
                ignore_conflicts=True,
                batch_size=BATCH,
            )
            gone = set(batch) - {document.object_id for document in documents}
            if gone:
                SearchDocument.objects.filter(kind=kind, object_id__in=gone).delete()
        written += len(rows)
    if ids:
        _changed()
    return written


def sync() -> int:
    """Index what changed since the last sync, kind by kind; returns how many were indexed."""
    watermarks = dict(SearchWatermark.objects.values_list("kind", "updated_at"))
    written = 0
    for kind, source in sources().items():
        changed = source.objects()
        if kind in watermarks:
            changed = changed.filter(updated_at__gte=watermarks[kind] - MARGIN)
        rows = list(changed.values_list("pk", "updated_at"))
        if not rows:
            continue
        indexed = dict(
            SearchDocument.objects.filter(
                kind=kind, object_id__in=[pk for pk, _ in rows]
            ).values_list("object_id", "source_updated_at")
        )
        stale = [pk for pk, updated in rows if indexed.get(pk) != updated]
        written += index_items(kind, stale)
        newest = max(updated for _, updated in rows)
        if kind not in watermarks or newest > watermarks[kind]:
            SearchWatermark.objects.update_or_create(kind=kind, defaults={"updated_at": newest})
    return written


def maybe_sync() -> None:
    """`sync()` unless one ran within SEARCH_SYNC_SECONDS (anywhere, through the cache)."""
    seconds = getattr(settings, "SEARCH_SYNC_SECONDS", 10)
    if seconds and not cache.add(SYNC_KEY, 1, timeout=seconds):
        return
    try:
        sync()
    except Exception:  # a search still answers from the index as it is
        logger.exception("search index sync failed")


def rebuild() -> int:
    """Index everything again and drop what no longer exists (`manage.py search_index`)."""
    written = 0
    for kind, source in sources().items():
        ids = list(source.objects().values_list("pk", flat=True))
        written += index_items(kind, ids)
        SearchDocument.objects.filter(kind=kind).exclude(object_id__in=ids).delete()
        newest = (
            source.objects().order_by("-updated_at").values_list("updated_at", flat=True).first()
        )
        if newest:
            SearchWatermark.objects.update_or_create(kind=kind, defaults={"updated_at": newest})
    SearchDocument.objects.exclude(kind__in=list(sources())).delete()
    cache.delete(SYNC_KEY)
    _changed()
    return written


def on_item_changed(kind: str, pk: int) -> None:
    """network.hooks listener: a service's save committed; index the item now."""
    index_items(kind, [pk])


def on_items_changed(kind: str, pks) -> None:
    index_items(kind, pks)
