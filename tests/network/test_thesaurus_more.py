"""The concepts added to the thesaurus after 0015 (network migration 0018): a fresh database
has at least 400, each new one has Danish, Norwegian and English terms, texts in the three
languages meet on them, and the migration adds only what an older database lacks."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from matchmaking import services
from matchmaking.models import Match
from network.concepts import current_thesaurus
from network.models import Concept
from network.search.keys import document_keys
from network.text.analysis import Analyzer, is_concept
from network.text.thesaurus import DATA, LANGUAGES, parse, term_key
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import NeedFactory

migration = import_module("network.migrations.0018_thesaurus_more_concepts")

pytestmark = pytest.mark.django_db


def concepts(text: str, language: str) -> set:
    analyzer = Analyzer(thesaurus=current_thesaurus())
    return {f[1:] for f, _word in analyzer.features(text, language) if is_concept(f)}


def test_a_fresh_database_has_at_least_400_concepts_with_every_new_one_in_three_languages():
    assert Concept.objects.count() >= 400
    assert len(migration.ADDED) >= 80
    rows = {row.slug: row for row in Concept.objects.filter(slug__in=migration.ADDED)}
    assert set(rows) == set(migration.ADDED)
    for slug, row in rows.items():
        for language in LANGUAGES:
            assert row.terms(language), f"{slug} has no {language} term"


def test_no_new_term_belongs_to_another_concept():
    """Terms are matched by their stems, so two spellings of one stem would be one term."""
    shipped = parse(DATA.read_text(encoding="utf-8"))
    owner = {}
    for concept in shipped:
        if concept.id in migration.ADDED:
            continue
        for term in concept.all_terms():
            owner.setdefault(term_key(term), concept.id)
    for concept in shipped:
        if concept.id not in migration.ADDED:
            continue
        for term in concept.all_terms():
            key = term_key(term)
            assert owner.setdefault(key, concept.id) == concept.id, (concept.id, term)


@pytest.mark.parametrize(
    ("concept", "da", "nb", "en"),
    [
        ("cardiac_arrest", "Borgeren fik hjertestop", "Pasienten fikk hjertestans",
         "after a cardiac arrest"),
        ("walker", "Sensor på rollatoren", "Sensor på rullatoren", "a walking frame with sensors"),
        ("shower_toilet", "Vasketoilet i plejeboligen", "Dusjtoalett i omsorgsboligen",
         "a shower toilet for residents"),
        ("reablement", "Hverdagsrehabilitering i kommunen", "Hverdagsrehabilitering i kommunen",
         "reablement after discharge"),
        ("postnatal_depression", "Kvinder med fødselsdepression", "Kvinner med fødselsdepresjon",
         "women with postnatal depression"),
        ("sterile_services", "Sterilcentralen på sygehuset", "Sterilsentralen på sykehuset",
         "the hospital's sterile services"),
        ("hypoglycaemia", "Alarm ved lavt blodsukker", "Varsling ved hypoglykemi",
         "hypoglycaemia alerts"),
        ("communication_aid", "Et kommunikationshjælpemiddel", "Et kommunikasjonshjelpemiddel",
         "augmentative and alternative communication"),
        ("notified_body", "Certificeret af et bemyndiget organ",
         "Sertifisert av et teknisk kontrollorgan", "certified by a notified body"),
    ],
)  # fmt: skip
def test_danish_norwegian_and_english_texts_share_the_new_concept(concept, da, nb, en):
    assert concept in concepts(da, "da")
    assert concept in concepts(nb, "nb")
    assert concept in concepts(en, "en")


def test_the_search_keys_of_a_danish_and_an_english_text_share_the_concept():
    analyzer = Analyzer(thesaurus=current_thesaurus())
    danish = document_keys("Vi tilbyder træning med el-kørestol", analyzer).split()
    english = document_keys("Training for powered wheelchair users", analyzer).split()
    assert "c_powered_wheelchair" in danish
    assert "c_powered_wheelchair" in english


def test_a_danish_need_finds_an_english_profile_through_a_new_concept():
    company = OrganisationFactory(
        name="Restore Care Ltd",
        description="Reablement programmes that let frail people manage on their own again.",
        language="en",
    )
    need = NeedFactory(
        owner=OrganisationFactory(name="Vejle Kommune", kind="municipality", cvr=""),
        title="Hverdagsrehabilitering",
        description="Vi vil styrke hverdagsrehabiliteringen af borgere efter sygdom.",
    )
    services.match_run_full_now()
    match = Match.objects.get(source=company, need=need)
    assert "reablement" in {item["id"] for item in match.reasons["text"].get("concepts", [])}


# -- the migration on a database migrated before the concepts shipped ---------------------


def run_forwards():
    migration.add_concepts(django_apps, None)


def run_backwards():
    migration.remove_added_concepts(django_apps, None)


def test_the_migration_adds_only_missing_concepts_after_the_others_and_keeps_edits():
    missing = ["reablement", "drone", "mindfulness"]
    Concept.objects.filter(slug__in=missing).delete()
    edited = Concept.objects.get(slug="chatbot")
    edited.terms_da = "chatbot\nsamtalerobot"
    edited.save()
    last = max(Concept.objects.values_list("position", flat=True))
    count = Concept.objects.count()

    run_forwards()

    assert Concept.objects.count() == count + len(missing)
    added = Concept.objects.filter(slug__in=missing)
    assert all(row.position > last for row in added)
    assert Concept.objects.get(slug="reablement").terms("nb")[0] == "hverdagsrehabilitering"
    assert Concept.objects.get(slug="chatbot").terms("da") == ["chatbot", "samtalerobot"]
    history = Concept.history.filter(slug__in=missing, history_type="+")
    assert {entry.history_change_reason for entry in history} == {migration.REASON}
    assert history.count() == len(missing)

    run_forwards()  # again: nothing more
    assert Concept.objects.count() == count + len(missing)
    assert Concept.history.filter(slug__in=missing, history_type="+").count() == len(missing)


def test_backwards_removes_only_what_it_added_and_nobody_touched_since():
    Concept.objects.filter(slug__in=["reablement", "drone", "mindfulness"]).delete()
    run_forwards()
    drone = Concept.objects.get(slug="drone")
    drone.terms_en = "drone\ndrones\nUAV"
    drone.save()  # an admin's edit: kept
    mindfulness = Concept.objects.get(slug="mindfulness")
    Concept.objects.create(
        slug="meditation_app", terms_en="meditation app", merged_into=mindfulness, position=9999
    )  # a concept merged into it: kept
    shipped_before = Concept.objects.filter(slug="chatbot").count()

    run_backwards()

    assert not Concept.objects.filter(slug="reablement").exists()
    assert Concept.objects.filter(slug="drone").exists()
    assert Concept.objects.filter(slug="mindfulness").exists()
    assert Concept.objects.filter(slug="chatbot").count() == shipped_before  # from 0015: kept
