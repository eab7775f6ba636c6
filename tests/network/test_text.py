"""The language layer (network.text): normalising, stemming, compounds, stop words and the
thesaurus, without the database."""

import pytest

from network.text.analysis import Analyzer, is_concept
from network.text.generic import GENERIC_CONCEPTS, candidates, is_generic
from network.text.normalise import fold, tokens
from network.text.stemming import stem
from network.text.thesaurus import LANGUAGES, load, parse


def key(word: str) -> str:
    return stem(fold(word))


def concepts(text: str, language: str, analyzer=None) -> set:
    analyzer = analyzer or Analyzer()
    return {f[1:] for f, _w in analyzer.features(text, language) if is_concept(f)}


@pytest.mark.parametrize(
    ("typed", "folded"),
    [("Træning", "traening"), ("traening", "traening"), ("SØVN", "soevn"), ("Læsø", "laesoe"),
     ("Ålborg", "aalborg"), ("aalborg", "aalborg"), ("Apné", "apne"), ("Müller", "mueller")],
)  # fmt: skip
def test_folding_writes_the_scandinavian_letters_one_way(typed, folded):
    assert fold(typed) == folded


def test_tokens_are_folded_words_split_at_punctuation():
    assert tokens("KOLS-pasienter, type 2-diabetes!") == [
        "kols", "pasienter", "type", "2", "diabetes"
    ]  # fmt: skip


def test_numbers_count_only_inside_a_term():
    assert concepts("type 1-diabetes", "da") == {"type1_diabetes", "diabetes"}
    assert concepts("diabetes type 2", "nb") == {"type2_diabetes", "diabetes"}
    assert Analyzer().features("2026 24 7", "da") == []


@pytest.mark.parametrize(
    "forms",
    [
        ("hospital", "hospitals", "hospitalet", "hospitaler"),
        ("sygehus", "sykehus", "sygehuset", "sykehusene"),
        ("hjertesvigt", "hjertesvikt"),
        ("medicin", "medisin", "medicine"),
        ("sensor", "sensorer", "sensors", "sensorerne", "sensorene"),
        ("træning", "trening", "traening"),
        ("rehabilitering", "rehabilitation", "rehabilitasjon"),
        ("monitorering", "monitoring"),
        ("klinisk", "clinical", "clinic", "klinik"),
        ("aktivitet", "activity"),
        ("terapi", "therapy"),
        ("pleje", "pleie"),
        ("dokumentation", "dokumentasjon", "documentation"),
        ("demens", "demensen"),
        ("måler", "måleren"),
    ],
)
def test_the_stemmer_treats_cognates_and_inflections_of_the_three_languages_alike(forms):
    assert len({key(form) for form in forms}) == 1, {form: key(form) for form in forms}


def test_the_stemmer_keeps_different_words_apart():
    assert key("ernæring") != key("erne")
    assert key("medication") == key("medikation") == key("medikasjon") != key("medical")
    assert concepts("mobilitet og bevægelighed", "da") == {"mobility"}
    assert key("nyresvikt") != key("hjertesvikt")
    assert key("fald") != key("felt")


def test_compounds_split_against_the_lexicon_with_the_linking_s():
    analyzer = Analyzer()
    assert analyzer.split(fold("faldsensorer")) == ["fald", "sensorer"]
    assert analyzer.split(fold("kolspasienter")) == ["kols", "pasienter"]
    assert analyzer.split(fold("sensorer")) == []  # not a compound


def test_a_compound_finds_the_concepts_of_its_parts():
    assert {"fall", "sensor"} <= concepts("Vi sælger faldsensorer.", "da")
    assert "copd" in concepts("Oppfølging av kolspasienter.", "nb")


def test_corpus_words_extend_the_lexicon():
    plain = Analyzer()
    assert plain.split(fold("vandpibesensorer")) == []
    taught = Analyzer(lexicon=frozenset({"vandpibe"}))
    assert taught.split(fold("vandpibesensorer")) == ["vandpibe", "sensorer"]


def test_a_compound_that_is_a_concept_does_not_share_its_generic_part():
    analyzer = Analyzer(lexicon=frozenset({"svigt", "nyre", "hjerte"}))
    heart = {f for f, _w in analyzer.features("hjertesvigt", "da")}
    kidney = {f for f, _w in analyzer.features("nyresvigt", "da")}
    assert "@heart_failure" in heart
    assert "@kidney_failure" in kidney
    assert not heart & kidney


@pytest.mark.parametrize(
    ("concept", "texts"),
    [
        ("copd", [("KOL", "da"), ("KOLS", "nb"), ("COPD", "en"),
                  ("chronic obstructive pulmonary disease", "en")]),
        ("fall", [("fald", "da"), ("fall", "nb"), ("falls", "en")]),
        ("dementia", [("demens", "da"), ("demente", "nb"), ("dementia", "en")]),
        ("hand_hygiene", [("håndhygiejne", "da"), ("håndhygiene", "nb"), ("hand hygiene", "en")]),
        ("medication_dispenser", [("medicindispenser", "da"), ("medisindispenser", "nb"),
                                  ("medication dispenser", "en")]),
        ("sleep_apnoea", [("søvnapnø", "da"), ("søvnapné", "nb"), ("sleep apnoea", "en"),
                          ("sleep apnea", "en")]),
        ("pressure_ulcer", [("tryksår", "da"), ("trykksår", "nb"), ("pressure ulcer", "en")]),
        ("hospital", [("sygehus", "da"), ("sykehus", "nb"), ("hospital", "en")]),
        ("heart_failure", [("hjertesvigt", "da"), ("hjertesvikt", "nb"),
                           ("heart failure", "en")]),
    ],
)  # fmt: skip
def test_terms_of_the_three_languages_and_abbreviations_name_one_concept(concept, texts):
    for text, language in texts:
        assert concept in concepts(text, language), (text, language)


def test_stop_words_and_generic_words_are_no_features():
    text = "Vi søger en løsning til borgere hjemme og pasienter, flere test og digital pleje."
    assert Analyzer().features(text, "da") == []
    assert (
        Analyzer().features("Løsningen gir pasienter trygghet hjemme", "nb")
        == [("@safety", "trygghet")][: 0 if "safety" in GENERIC_CONCEPTS else 1]
    )


@pytest.mark.parametrize(
    "word", ["søger", "løsningen", "test", "flere", "borgere", "hjemme", "pasienter", "løsninger",
             "pleje", "digital", "år", "dag", "og", "the", "så"],
)  # fmt: skip
def test_the_issue_s_generic_words_are_generic(word):
    assert is_generic(word)


def test_candidates_rank_words_by_the_share_of_texts_that_use_them():
    texts = ["fald og sensorer", "fald hos ældre", "sensorer til fald", "demens"]
    ranked = candidates(texts, share=0.5)
    assert ranked[0][:2] == (key("fald"), "fald")
    assert ranked[0][2] == pytest.approx(0.75)
    assert all(share >= 0.5 for _k, _w, share in ranked)


def test_the_shipped_thesaurus_is_well_formed():
    thesaurus = load()
    assert len(thesaurus.concepts) >= 300
    for concept in thesaurus.concepts.values():
        assert all(concept.terms[language] for language in LANGUAGES), concept.id
    assert thesaurus.labels("copd") == {"da": "KOL", "nb": "KOLS", "en": "COPD"}


def test_a_thesaurus_file_with_a_repeated_id_or_missing_columns_is_refused():
    with pytest.raises(ValueError, match="unique"):
        parse("fall\tfald\tfall\tfall\nfall\tfald\tfall\tfall\n")
    with pytest.raises(ValueError, match="line 1"):
        parse("fall\tfald\n")
