"""The thesaurus network admins edit: loaded by migration, edited in the admin, used by the
next full match run; merges refuse a concept merged into itself."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from matchmaking import services
from matchmaking.models import Match
from network.concepts import concept_merge, current_thesaurus
from network.models import Concept
from tests.factories import OrganisationFactory, UserFactory
from tests.matchmaking.factories import NeedFactory

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_shipped_thesaurus():
    copd = Concept.objects.get(slug="copd")
    assert copd.terms("da")[0] == "KOL"
    assert "KOLS" in copd.terms("nb")
    assert Concept.objects.count() >= 300
    assert current_thesaurus().labels("copd") == {"da": "KOL", "nb": "KOLS", "en": "COPD"}


@pytest.fixture
def superuser():
    return UserFactory(email="root@network.example", is_staff=True, is_superuser=True)


@pytest.fixture
def unknown_words():
    """A Danish need and an English company that share a meaning the thesaurus lacks."""
    company = OrganisationFactory(
        name="Hookah Health ApS",
        description="Screening of waterpipe smokers for early lung damage.",
        language="en",
    )
    need = NeedFactory(
        owner=OrganisationFactory(name="Vejle Kommune", kind="municipality", cvr=""),
        title="Vandpiberygere",
        description="Vi vil finde vandpiberygere tidligt.",
    )
    return company, need


def concept_ids(match):
    return {concept["id"] for concept in match.reasons["text"].get("concepts", [])}


def test_a_concept_an_admin_adds_changes_the_next_run(client, superuser, unknown_words):
    company, need = unknown_words
    services.match_run_full_now()
    before = Match.objects.filter(source=company, need=need).first()
    assert before is None or "waterpipe" not in concept_ids(before)

    client.force_login(superuser)
    response = client.post(
        reverse("admin:network_concept_add"),
        {
            "slug": "waterpipe",
            "terms_da": "vandpiberygning\nvandpiberygere",
            "terms_nb": "vannpiperøyking",
            "terms_en": "waterpipe smoking\nwaterpipe smokers",
            "abbreviations": "",
            "merged_into": "",
        },
    )
    assert response.status_code == 302
    assert Concept.history.filter(slug="waterpipe").count() == 1  # kept with history

    services.match_run_full_now()
    match = Match.objects.get(source=company, need=need)
    assert "waterpipe" in concept_ids(match)
    if before is not None:
        assert match.score > before.score


def test_a_merged_concept_lends_its_terms_to_the_one_it_was_merged_into():
    fall = Concept.objects.get(slug="fall")
    spare = Concept.objects.create(slug="tumble", terms_en="tumble\ntumbles", position=9999)
    assert current_thesaurus().lookup(("tumbl",)) == "tumble"

    concept_merge(concept=spare, into=fall)

    thesaurus = current_thesaurus()
    assert thesaurus.lookup(("tumbl",)) == "fall"
    assert "tumble" not in thesaurus.concepts


def test_a_concept_merged_into_itself_is_refused_and_nothing_changes(client, superuser):
    fall = Concept.objects.get(slug="fall")
    itself = gettext("A concept cannot be merged into itself.")
    with pytest.raises(ValidationError) as refused:
        concept_merge(concept=fall, into=fall)
    assert refused.value.messages == [itself]
    fall.refresh_from_db()
    assert fall.merged_into is None

    client.force_login(superuser)
    response = client.post(
        reverse("admin:network_concept_change", args=[fall.pk]),
        {"slug": "fall", "terms_da": "fald", "terms_nb": "fall", "terms_en": "fall",
         "abbreviations": "", "merged_into": str(fall.pk)},
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    assert itself in response.content.decode()
    fall.refresh_from_db()
    assert fall.merged_into is None
    assert fall.terms("da")[0] == "fald"


def test_a_merge_in_a_circle_is_refused():
    fall = Concept.objects.get(slug="fall")
    prevention = Concept.objects.get(slug="fall_prevention")
    concept_merge(concept=prevention, into=fall)
    with pytest.raises(ValidationError):
        concept_merge(concept=fall, into=prevention)
    fall.refresh_from_db()
    assert fall.merged_into is None
