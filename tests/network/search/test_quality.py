"""The judged queries (benchmarks/search_queries.py): each expected item is in the top 5, on
whichever database the tests run (SQLite here, PostgreSQL in CI)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from benchmarks.search import load_corpus
from benchmarks.search_queries import QUERIES
from network.search.engine import search


@pytest.fixture(scope="module")
def refs(django_db_setup, django_db_blocker):
    """The judged set and the named organisations, loaded once for all queries inside one
    transaction that is rolled back after them: nothing they wrote (profiles, figures, the
    index) is left for the tests that come after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield load_corpus()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected", "note"), QUERIES, ids=[q[0] for q in QUERIES])
def test_judged_query_finds_its_items_in_the_top_five(refs, settings, query, expected, note):
    settings.SEARCH_SYNC_SECONDS = 10**6
    results = search(AnonymousUser(), query, page_size=5)
    top = [refs.get((hit.kind, hit.object_id)) for hit in results.hits]
    missing = [ref for ref in expected if ref not in top]
    assert not missing, f"{query!r} ({note}): {missing} not in {top}"
