"""Search quality: the judged queries (benchmarks/search_queries.py) on the current database.

    .venv/bin/python benchmarks/search.py [--quiet]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python benchmarks/search.py

Loads the matching benchmark's judged set and a few named organisations through the portal's
services (everything published and public), builds the search index the way a running site
keeps it (network.search.index), and asks each query as an anonymous visitor would. An
expectation is met when the item is in the top 5. Prints each query with its top 5, then:

    met=<percent> expectations=<n> queries=<n> vendor=<sqlite|postgresql> median_ms=<x>

Without DATABASE_URL the data goes to a temporary SQLite file (migrated, removed after); with
one, everything is written inside a transaction that is rolled back at the end.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.match_quality import _setup, load_into_database, load_judged  # noqa: E402
from benchmarks.search_queries import NAMED, QUERIES  # noqa: E402


class RollbackError(Exception):
    """Raised to undo everything the run wrote."""


def load_named() -> dict:
    from network.models import Municipality, Organisation
    from network.models.moderation import ReviewStatus
    from network.services import organisation_save

    odense = Municipality.objects.get(country="DK", name="Odense")
    bergen = Municipality.objects.get(country="NO", name="Bergen")
    ids = {}
    for name, kind, language, description in NAMED:
        place = bergen if language == "nb" else odense
        organisation = Organisation(
            name=name,
            kind=kind,
            country=place.country,
            municipality=place,
            description=description,
            language=language,
            is_published=True,
            review_status=ReviewStatus.PUBLISHED,
        )
        organisation_save(organisation=organisation, focus_areas=[], tags=[])
        ids[("organisation", organisation.pk)] = f"org:{name}"
    return ids


def load_corpus() -> dict:
    """Everything the queries are judged against; (kind, pk) -> the name the table uses."""
    companies, targets = load_judged()
    company_ids, target_ids = load_into_database(companies, targets)
    refs = {("organisation", pk): key for key, pk in company_ids.items()}
    refs |= {(kind, pk): key for key, (kind, pk) in target_ids.items()}
    refs |= load_named()
    from network.search.index import rebuild

    rebuild()
    return refs


def run_queries(refs: dict, *, top: int = 5) -> list[dict]:
    from django.contrib.auth.models import AnonymousUser

    from network.search.engine import search

    rows = []
    for query, expected, note in QUERIES:
        started = time.perf_counter()
        results = search(AnonymousUser(), query, page_size=top)
        elapsed = time.perf_counter() - started
        found = [
            refs.get((hit.kind, hit.object_id), f"{hit.kind}:{hit.title}") for hit in results.hits
        ]
        rows.append(
            {
                "query": query,
                "note": note,
                "expected": expected,
                "found": found,
                "met": [ref for ref in expected if ref in found],
                "ms": elapsed * 1000,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    scratch = _setup(keep=False)
    from django.conf import settings
    from django.db import connection, transaction

    settings.SEARCH_SYNC_SECONDS = 10**6  # the index is built once, below
    rows = []
    try:
        with transaction.atomic():
            refs = load_corpus()
            run_queries(refs)  # warm the analyser and caches
            rows = run_queries(refs)
            raise RollbackError
    except RollbackError:
        pass
    finally:
        if scratch:
            os.unlink(scratch)
    expectations = sum(len(row["expected"]) for row in rows)
    met = sum(len(row["met"]) for row in rows)
    if not args.quiet:
        for row in rows:
            mark = "ok " if len(row["met"]) == len(row["expected"]) else "MISS"
            print(f"{mark} {row['query']!r:32} ({row['note']}) want {row['expected']}")
            print(f"     top5: {row['found']}")
    print(
        f"met={100 * met / expectations:.1f}% expectations={expectations} "
        f"queries={len(rows)} vendor={connection.vendor} "
        f"median_ms={statistics.median(row['ms'] for row in rows):.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
