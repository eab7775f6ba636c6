"""An admin's thesaurus edit reaches the search: documents are indexed again with it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from network.models import Concept
from network.search import analyzer, index
from network.search.engine import search
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.SEARCH_SYNC_SECONDS = 0
    cache.clear()
    analyzer.forget()
    yield
    analyzer.forget()
    cache.clear()


def test_a_new_synonym_finds_documents_indexed_before_it(django_capture_on_commit_callbacks):
    company = OrganisationFactory(
        name="Klopotek Robotik", description="Vi bygger en zorgrobot til plejehjem."
    )
    index.rebuild()
    concept = Concept.objects.filter(merged_into__isnull=True).order_by("position").first()
    known = concept.terms("da")[0]
    assert company.pk not in {hit.object_id for hit in search(AnonymousUser(), known).hits}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        concept.terms_da = f"{concept.terms_da}\nzorgrobot"
        concept.save()
    assert len(callbacks) == 1  # one rebuild, queued once the edit committed

    found = {hit.object_id for hit in search(AnonymousUser(), known).hits}
    assert company.pk in found


def test_many_edits_at_once_ask_for_one_rebuild(django_capture_on_commit_callbacks):
    concepts = list(Concept.objects.order_by("position")[:5])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for concept in concepts:
            concept.abbreviations = concept.abbreviations
            concept.save()
    assert len(callbacks) == 1
