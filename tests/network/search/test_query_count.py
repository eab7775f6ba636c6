"""A search page costs the same number of queries whether it finds three items or sixty."""

import pytest
from django.urls import reverse

from network.search import index
from tests.factories import KnowledgeOfferFactory, OrganisationFactory, TestSiteFactory
from tests.matchmaking.factories import NeedFactory

pytestmark = pytest.mark.django_db

# Session and user (signed in), vocabulary, trigram neighbours, counts, page, one per kind
# shown (4), plus the page's own (the template's cluster menu and notifications).
MAX_QUERIES = 16


def make(n: int) -> None:
    for number in range(n):
        OrganisationFactory(name=f"Sensorfirma {number}", description="Faldsensorer til ældre.")
        TestSiteFactory(name=f"Sensorlab {number}", description="Afprøvning af faldsensorer.")
        KnowledgeOfferFactory(title=f"Sensorviden {number}", competence="Faldsensorer og data.")
        NeedFactory(title=f"Sensorbehov {number}", description="Vi søger faldsensorer.")
    index.sync()


@pytest.mark.parametrize("n", [1, 15])
@pytest.mark.parametrize("query", ["faldsensorer", "faldsensorr", "faldsens"])
def test_anonymous_search_page_query_count(client, django_assert_max_num_queries, n, query):
    make(n)
    client.get(reverse("search"), {"q": "warm"})  # the throttled sync has run
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("search"), {"q": query})
    counts = response.context["results"].counts
    assert (counts["test_site"], counts["knowledge_offer"], counts["need"]) == (n, n, n)


def test_signed_in_search_page_query_count(client, django_assert_max_num_queries, owner):
    make(15)
    client.force_login(owner)
    client.get(reverse("search"), {"q": "warm"})
    with django_assert_max_num_queries(MAX_QUERIES + 4):
        response = client.get(reverse("search"), {"q": "faldsensorer", "kind": "need"})
    assert len(response.context["results"].hits) == 15


def test_counts_are_kept_for_the_same_search_until_the_index_changes(settings):
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from network.search.engine import search

    settings.SEARCH_SYNC_SECONDS = 10**6
    make(2)
    visitor = AnonymousUser()
    search(visitor, "warm")  # the throttled sync has run
    with CaptureQueriesContext(connection) as counted:
        first = search(visitor, "faldsensorer")
    with CaptureQueriesContext(connection) as again:
        second = search(visitor, "faldsensorer")
    assert len(again) == len(counted) - 2  # the counts and the ranked page were kept
    assert second.counts == first.counts
    assert [hit.object_id for hit in second.hits] == [hit.object_id for hit in first.hits]
    TestSiteFactory(name="Sensorlab ny", description="Afprøvning af faldsensorer.")
    index.sync()
    assert search(visitor, "faldsensorer").counts["test_site"] == 3


def test_an_item_hidden_after_its_page_was_kept_is_not_shown(settings):
    from django.contrib.auth.models import AnonymousUser

    from network.models import TestSite
    from network.search.engine import search

    settings.SEARCH_SYNC_SECONDS = 10**6  # the index does not know of the change below
    make(2)
    visitor = AnonymousUser()
    first = search(visitor, "faldsensorer", kind="test_site")
    hidden = first.hits[0].object_id
    TestSite.objects.filter(pk=hidden).update(is_public=False)
    again = search(visitor, "faldsensorer", kind="test_site")
    assert hidden not in [hit.object_id for hit in again.hits]
    assert len(again.hits) == len(first.hits) - 1
