"""The last full run's corpus, kept in the shared cache so incremental runs start in milliseconds.

An incremental run loads it, re-reads what changed since it was built (by `updated_at`, with a
margin for transactions still open then), drops what no longer exists, and so works on current
data without re-reading every profile. Any worker can use it (Redis in production). Without it
(first run, cache flushed) the corpus is built from the database, which is only slower.
"""

import logging
from datetime import timedelta

import numpy as np
from django.core.cache import cache
from django.utils import timezone

from matchmaking import features
from matchmaking.scoring import code_version
from matchmaking.scoring.corpus import TYPE_NAMES, Corpus
from network.concepts import current_thesaurus

logger = logging.getLogger(__name__)

TIMEOUT = 8 * 24 * 3600  # longer than the interval between nightly full runs
# Rows saved this long before the snapshot was read may have committed after it (requests
# commit within a second or two).
COMMIT_MARGIN = timedelta(seconds=10)
# Write a patched snapshot back when this many documents had to be re-read.
WRITE_BACK_AFTER = 25


def _key() -> str:
    return f"matchmaking:corpus:{code_version()}"


def build() -> Corpus:
    """A fresh corpus of everything, from the database."""
    built_at = timezone.now()
    corpus = Corpus.build(
        features.load_sources(), features.load_targets(), thesaurus=current_thesaurus()
    )
    corpus.built_at = built_at
    return corpus


def store(corpus: Corpus) -> None:
    try:
        cache.set(_key(), corpus, TIMEOUT)
    except Exception:  # a full cache must not fail the run that produced the matches
        logger.warning("Could not keep the matching corpus in the cache", exc_info=True)


def load() -> Corpus | None:
    try:
        return cache.get(_key())
    except Exception:
        logger.warning("Could not read the matching corpus from the cache", exc_info=True)
        return None


def current(changed: set[tuple[str, int]]) -> Corpus:
    """The corpus as of now: the cached one brought up to date, or a freshly built one."""
    corpus = load()
    if corpus is None:
        corpus = build()
        store(corpus)
        return corpus
    refreshed_at = timezone.now()
    sources, targets = features.changed_since(corpus.built_at - COMMIT_MARGIN)
    sources |= {key for key in changed if key[0] == "sme"}
    targets |= {key for key in changed if key[0] != "sme"}
    corpus.patch(
        sources=features.load_sources({pk for _type, pk in sources}),
        targets=features.load_targets(targets),
        drop=sources | targets,
    )
    gone = set()
    # New and edited documents were saved after the snapshot; deleted ones (and needs that
    # left "open" without a save, which cannot happen through the services) show as a
    # different count or sum of ids per type. Only then are all keys compared.
    if features.fingerprints() != corpus_fingerprints(corpus):
        source_keys, target_keys = features.current_keys()
        gone = (corpus.keys("sources") - source_keys) | (corpus.keys("targets") - target_keys)
        missing_sources = source_keys - corpus.keys("sources")
        missing_targets = target_keys - corpus.keys("targets")
        corpus.patch(
            sources=features.load_sources({pk for _type, pk in missing_sources}),
            targets=features.load_targets(missing_targets),
            drop=gone,
        )
        sources |= missing_sources
        targets |= missing_targets
    if len(sources) + len(targets) + len(gone) >= WRITE_BACK_AFTER:
        corpus.built_at = refreshed_at
        store(corpus)
    return corpus


def corpus_fingerprints(corpus: Corpus) -> dict:
    """{type: (count, sum of ids)} of the documents in the corpus (see features.fingerprints)."""
    out = {}
    for side in (corpus.sources, corpus.targets):
        for code in np.unique(side.types).tolist():
            ids = side.ids[side.types == code]
            out[TYPE_NAMES[code]] = (int(ids.size), int(ids.sum()))
    return out
