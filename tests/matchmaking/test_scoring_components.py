"""Each component's value and reason on hand-made pairs (no database)."""

from datetime import date, timedelta

import numpy as np
import pytest

from matchmaking.scoring import components as comp
from matchmaking.scoring.corpus import Corpus, Document
from matchmaking.scoring.engine import Engine, Settings
from matchmaking.scoring.explain import Lookups, explain

TODAY = date(2026, 11, 23)


def sme(id=1, **kwargs):
    return Document(type="sme", id=id, **{"country": "DK", "language": "da", **kwargs})


def need(id=1, **kwargs):
    return Document(type="need", id=id, **{"country": "DK", "language": "da", **kwargs})


def explain_pair(source, target, *, weights=None, lookups=None):
    """(score, components, reasons) of one pair, whatever the thresholds."""
    corpus = Corpus.build([source], [target])
    settings = Settings(
        weights=weights or comp.Weights(), top_k=5, min_score=0.0, today=TODAY.toordinal()
    )
    engine = Engine(corpus, settings)
    chunk = next(explain(engine, np.array([0]), np.array([0]), lookups or Lookups()))
    return chunk.pair(0)


def test_focus_overlap_is_shared_areas_over_geometric_mean_and_names_them():
    _score, values, reasons = explain_pair(
        sme(text="a", focus=(1, 2)), need(text="b", focus=(2, 3, 4, 5))
    )
    assert values["focus"] == pytest.approx(1 / np.sqrt(2 * 4), abs=1e-4)
    assert reasons["focus"] == {"code": "shared", "areas": [2]}


def test_identical_focus_areas_count_fully_and_none_in_common_counts_nothing():
    _s, same, _r = explain_pair(sme(focus=(1, 2), tags=(9,)), need(focus=(2, 1), tags=(9,)))
    _s, none, reasons = explain_pair(sme(focus=(1,), tags=(9,)), need(focus=(3,), tags=(9,)))
    assert same["focus"] == 1.0
    assert none["focus"] == 0.0
    assert reasons["focus"] == {"code": "none"}


def test_tag_overlap_quotes_the_tag_names():
    lookups = Lookups(tag_names={7: "faldforebyggelse", 8: "sensorer", 9: "KOL"})
    _s, values, reasons = explain_pair(sme(tags=(7, 8)), need(tags=(8, 7, 9)), lookups=lookups)
    assert values["tags"] == pytest.approx(2 / np.sqrt(6), abs=1e-4)
    assert sorted(reasons["tags"]["tags"]) == ["faldforebyggelse", "sensorer"]


def test_danish_compound_words_meet_their_parts():
    """'faldsensorer' (one word) and 'sensorer der opdager fald' share fall and sensor."""
    _s, values, reasons = explain_pair(
        sme(text="Vi sælger faldsensorer til plejecentre."),
        need(text="Vi søger sensorer, der opdager fald hos beboere."),
    )
    assert values["text"] > 0.2
    assert reasons["text"]["code"] == "terms"
    assert {"fall", "sensor"} <= {concept["id"] for concept in reasons["text"]["concepts"]}


def test_norwegian_text_is_stemmed_and_compounds_split():
    """Bokmål: 'kolspasienter' and 'pasienter med kols'; 'oppfølgingen' and 'oppfølging'."""
    _s, values, reasons = explain_pair(
        sme(text="Digital oppfølging av kolspasienter i hjemmet.", language="nb"),
        need(
            text="Pasienter med kols trenger bedre oppfølgingen etter utskrivning.", language="nb"
        ),
    )
    assert values["text"] > 0.3
    concepts = {concept["id"]: concept for concept in reasons["text"]["concepts"]}
    assert concepts["copd"]["nb"] == "KOLS"
    assert concepts["copd"]["da"] == "KOL"
    assert "pasienter" not in reasons["text"]["terms"]  # generic in this domain


def test_english_and_danish_profiles_meet_on_shared_stems():
    _s, values, _r = explain_pair(
        sme(text="Telemedicine platform with sensors for dementia care.", language="en"),
        need(text="Sensorer og telemedicine til borgere med demens.", language="da"),
    )
    assert values["text"] > 0


def test_stop_words_alone_are_no_common_ground():
    _s, values, reasons = explain_pair(
        sme(text="Vi er og har det med til for af", focus=(1,)),
        need(text="og det er med til for af har vi", focus=(1,)),
    )
    assert values["text"] == 0.0
    assert reasons["text"] == {"code": "none"}


@pytest.mark.parametrize(
    ("source", "target", "value", "code"),
    [
        ({"municipality": 5, "region": 2}, {"municipality": 5, "region": 2}, 1.0, "municipality"),
        ({"municipality": 5, "region": 2}, {"municipality": 6, "region": 2}, 0.6, "region"),
        ({"municipality": 5, "region": 2}, {"municipality": 9, "region": 3}, 0.3, "country"),
        ({"municipality": 5, "region": 2}, {"country": "NO", "region": 20}, 0.0, "elsewhere"),
        ({}, {}, 0.3, "country"),
    ],
)
def test_geography_counts_the_tiers_the_two_share(source, target, value, code):
    lookups = Lookups(municipality_names={5: "Odense"}, region_names={2: "Region Syddanmark"})
    _s, values, reasons = explain_pair(
        sme(focus=(1,), **source), need(focus=(1,), **target), lookups=lookups
    )
    assert values["geography"] == pytest.approx(value)
    assert reasons["geography"]["code"] == code
    if code == "region":
        assert reasons["geography"]["name"] == "Region Syddanmark"
    if code == "municipality":
        assert reasons["geography"]["name"] == "Odense"
    if code == "elsewhere":
        assert reasons["geography"]["countries"] == ["DK", "NO"]


def test_missing_places_never_count_as_the_same_place():
    level, value = comp.geography(
        comp.encode_places([0], -1),
        comp.encode_places([0], -1),
        np.array([1]),
        comp.encode_places([0], -2),
        comp.encode_places([0], -2),
        np.array([1]),
    )
    assert level.tolist() == [comp.GEO_COUNTRY]
    assert value.tolist() == pytest.approx([0.3])


@pytest.mark.parametrize(
    ("trl", "value", "code"),
    [(6, 1.0, "fits"), (4, 0.5, "below"), (9, 0.2, "above"), (0, 0.5, "unknown")],
)
def test_readiness_inside_the_range_counts_fully_and_near_misses_less(trl, value, code):
    _s, values, reasons = explain_pair(
        sme(focus=(1,), trl=trl or None), need(focus=(1,), trl_min=5, trl_max=7)
    )
    assert values["readiness"] == pytest.approx(value)
    assert reasons["readiness"]["code"] == code
    assert (reasons["readiness"]["min"], reasons["readiness"]["max"]) == (5, 7)


def test_readiness_three_levels_outside_is_a_hard_filter():
    distance, value = comp.readiness(np.array([3, 4, 5]), np.array([6]), np.array([8]))
    assert comp.readiness_allowed(distance).tolist() == [False, True, True]
    assert value.tolist() == pytest.approx([0.0, 0.2, 0.5])


def test_readiness_of_a_target_open_to_every_level_says_so():
    _s, values, reasons = explain_pair(sme(focus=(1,), trl=2), need(focus=(1,)))
    assert values["readiness"] == 1.0
    assert reasons["readiness"] == {"code": "any"}


def _availability(**target):
    base = {
        "types": np.array([target.pop("type", comp.TYPE_NEED)]),
        "deadline": np.array([0]),
        "available_from": np.array([0]),
        "available_until": np.array([0]),
        "capacity": np.array([-1]),
        "running": np.array([0]),
    }
    for name, value in target.items():
        base[name] = np.array([value])
    active, value, code, days = comp.availability(today=TODAY.toordinal(), **base)
    return bool(active[0]), float(value[0]), comp.AVAILABILITY_CODES[code[0]], int(days[0])


def test_availability_of_needs_by_deadline():
    in_12 = (TODAY + timedelta(days=12)).toordinal()
    in_60 = (TODAY + timedelta(days=60)).toordinal()
    passed = (TODAY - timedelta(days=1)).toordinal()
    assert _availability(deadline=in_12) == (
        True,
        pytest.approx(0.5 + 0.5 * 12 / 14),
        "deadline",
        12,
    )
    assert _availability(deadline=in_60)[:2] == (True, 1.0)
    assert _availability(deadline=0)[1:3] == (1.0, "no_deadline")
    assert _availability(deadline=passed)[0] is False  # hard filter


def test_availability_of_test_sites():
    site = {"type": comp.TYPE_TEST_SITE}
    assert _availability(**site, capacity=3, running=1) == (True, 1.0, "room", 2)
    assert _availability(**site, capacity=2, running=2)[1:3] == (
        pytest.approx(comp.FULLY_BOOKED),
        "fully_booked",
    )
    opens = (TODAY + timedelta(days=20)).toordinal()
    assert _availability(**site, available_from=opens)[1:] == (pytest.approx(0.8), "opens", 20)
    closes = (TODAY + timedelta(days=10)).toordinal()
    assert _availability(**site, available_until=closes)[1:] == (
        pytest.approx(comp.CLOSING_SOON),
        "closes",
        10,
    )
    ended = (TODAY - timedelta(days=1)).toordinal()
    assert _availability(**site, available_until=ended)[0] is False


def test_knowledge_offers_are_always_available():
    assert _availability(type=comp.TYPE_OFFER) == (True, 1.0, "open_offer", 0)


def test_deadline_reason_gives_days_and_date():
    _s, _v, reasons = explain_pair(
        sme(focus=(1,)), need(focus=(1,), deadline=TODAY + timedelta(days=12))
    )
    assert reasons["availability"] == {"code": "deadline", "days": 12, "date": "2026-12-05"}


def test_feedback_is_neutral_without_a_provider():
    _s, values, reasons = explain_pair(sme(focus=(1,)), need(focus=(1,)))
    assert values["feedback"] == 0.5
    assert reasons["feedback"] == {"code": "none"}


def test_score_is_the_weighted_mean_of_the_components_and_stays_in_0_1():
    weights = comp.Weights(focus=2, tags=0, text=0, geography=1, readiness=1, availability=0)
    score, values, _r = explain_pair(
        sme(focus=(1,), municipality=5, region=2, trl=6),
        need(focus=(1, 2), municipality=6, region=2, trl_min=5, trl_max=7),
        weights=weights,
    )
    expected = (2 * values["focus"] + 1 * values["geography"] + 1 * values["readiness"]) / 4
    assert score == pytest.approx(expected, abs=1e-5)
    assert 0 <= score <= 1


def test_weights_must_be_non_negative_with_a_positive_sum():
    with pytest.raises(ValueError, match="non-negative"):
        comp.Weights(focus=0, tags=0, text=0, geography=0, readiness=0, availability=0).normalised()
    with pytest.raises(ValueError, match="non-negative"):
        comp.Weights(focus=-1).normalised()
    assert comp.Weights().normalised().sum() == pytest.approx(1.0)
