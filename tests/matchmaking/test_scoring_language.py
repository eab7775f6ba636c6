"""Matching across Danish, Norwegian and English through the thesaurus, and explanations free
of stop words and generic words (no database)."""

from datetime import date

import numpy as np

from matchmaking.scoring.corpus import Corpus, Document
from matchmaking.scoring.engine import Engine, Settings
from matchmaking.scoring.explain import Lookups, explain
from network.text.generic import GENERIC_CONCEPTS, is_generic

TODAY = date(2026, 12, 6).toordinal()
GENERIC_PADDING = {
    "da": "Vi søger flere borgere og løsninger til test hjemme, digital pleje hver dag.",
    "nb": "Løsningen gir pasienter hjemme bedre hjelp, og vi søker flere testpartnere.",
    "en": "Our digital solution helps patients at home every day; we are looking for tests.",
}


def company(id, language, text, **kwargs):
    padding = GENERIC_PADDING[language]
    return Document(type="sme", id=id, language=language, text=f"{text} {padding}", **kwargs)


def ranked_companies(need, companies):
    """The need's list: company ids by score, and the reasons of each kept pair."""
    corpus = Corpus.build(companies, [need])
    engine = Engine(corpus, Settings(today=TODAY, min_score=0.0))
    ranking = engine.rank_full()
    scored = {}
    for chunk in explain(engine, ranking.source_rows, ranking.target_rows, Lookups()):
        for n in range(len(chunk.score)):
            source = int(corpus.sources.ids[chunk.source_rows[n]])
            score, _values, reasons = chunk.pair(n)
            scored[source] = (score, reasons)
    order = sorted(scored, key=lambda source: -scored[source][0])
    return order, scored


NEED = Document(
    type="need",
    id=1,
    language="da",
    country="DK",
    municipality=1,
    region=1,
    focus=(1,),
    text="Hjemmemonitorering af borgere med KOL. Vi søger en løsning, der måler iltmætning, "
    "så forværring opdages tidligt og borgerne undgår indlæggelse.",
)


def cross_language_network():
    return [
        company(10, "en", "Remote monitoring for people with COPD: pulse oximetry predicts "
                "exacerbations.", country="NO", municipality=7, region=5, focus=(2,)),
        company(11, "nb", "Avstandsoppfølging av KOLS-pasienter med måling av oksygenmetning.",
                country="NO", municipality=8, region=5, focus=(3,)),
        # Local distractors in the need's own municipality and focus area, sharing only
        # generic words with it.
        company(20, "da", "Kræftgenomik: vi finder biomarkører i tumorens DNA.", country="DK",
                municipality=1, region=1, focus=(1,)),
        company(21, "da", "Vagtplanlægning og ruter i hjemmeplejen.", country="DK",
                municipality=1, region=1, focus=(1,)),
        company(22, "nb", "App for pasienter som får cellegift, med bivirkninger hjemme.",
                country="DK", municipality=1, region=1, focus=(1,)),
    ]  # fmt: skip


def test_a_danish_need_finds_an_english_and_a_norwegian_profile_through_the_thesaurus():
    order, scored = ranked_companies(NEED, cross_language_network())

    assert set(order[:2]) == {10, 11}
    for source in (10, 11):
        concepts = {c["id"] for c in scored[source][1]["text"].get("concepts", [])}
        assert "copd" in concepts
    # A Danish reader sees the Danish terms, a Norwegian one the Norwegian ones.
    copd = next(c for c in scored[11][1]["text"]["concepts"] if c["id"] == "copd")
    assert (copd["da"], copd["nb"], copd["en"]) == ("KOL", "KOLS", "COPD")


def test_the_place_and_the_focus_area_do_not_lift_an_unrelated_local_company():
    _order, scored = ranked_companies(NEED, cross_language_network())

    best_local = max(scored[source][0] for source in (20, 21, 22) if source in scored)
    assert min(scored[10][0], scored[11][0]) > best_local + 0.2


def test_an_explanation_never_lists_a_stop_word_or_a_generic_term():
    _order, scored = ranked_companies(NEED, cross_language_network())

    listed = 0
    for _score, reasons in scored.values():
        text = reasons["text"]
        for word in text.get("terms", []):
            listed += 1
            assert not is_generic(word), word
        for concept in text.get("concepts", []):
            listed += 1
            assert concept["id"] not in GENERIC_CONCEPTS
    assert listed  # the explanations do say something


def test_companies_sharing_only_generic_words_with_a_need_have_no_text_in_common():
    companies = [company(30, "da", "Vi tilbyder en løsning til borgere og pasienter hjemme.")]
    order, scored = ranked_companies(NEED, companies)

    assert all(scored[s][1]["text"] == {"code": "none"} for s in order)


def test_distinct_conditions_sharing_a_compound_tail_stay_apart():
    """hjertesvigt (heart failure) and nyresvigt (kidney failure) share no feature."""
    need = Document(type="need", id=1, language="da", text="Telemonitorering ved hjertesvigt.")
    companies = [
        company(40, "nb", "Fjernoppfølging ved hjertesvikt."),
        company(41, "da", "Hjemmedialyse ved nyresvigt."),
    ]
    order, scored = ranked_companies(need, companies)

    assert order[0] == 40
    assert (
        41 not in scored
        or "concepts" not in scored[41][1]["text"]
        or all(c["id"] != "heart_failure" for c in scored[41][1]["text"]["concepts"])
    )


def test_weights_without_geography_rank_the_same_pairs_in_any_place():
    """Geography is a tie-breaker: moving every company abroad does not change the order."""
    here = cross_language_network()
    abroad = [
        Document(**{**doc.__dict__, "country": "SE", "municipality": 99, "region": 99})
        for doc in here
    ]
    assert ranked_companies(NEED, here)[0][:2] == ranked_companies(NEED, abroad)[0][:2]
    assert np.isfinite([s for s, _r in ranked_companies(NEED, abroad)[1].values()]).all()
