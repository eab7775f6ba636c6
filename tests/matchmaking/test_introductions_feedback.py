"""Feedback changes the ranking in the predicted direction, and the reasons say so."""

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation

from matchmaking import feedback, services
from matchmaking.feedback import reason_sentence
from matchmaking.introductions import services as introductions
from matchmaking.models import Feedback, Match, MatchCriteria
from matchmaking.scoring.components import FEEDBACK_NEUTRAL
from matchmaking.scoring.corpus import Corpus, Document
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, TagFactory, TestSiteFactory, focus_area
from tests.matchmaking.factories import NeedFactory


# --- The provider, without the database --------------------------------------------------------
def _corpus():
    sources = [Document("sme", 1, text="fald sensor"), Document("sme", 2, text="diabetes app")]
    targets = [
        Document("need", 10, text="fald"),
        Document("test_site", 20, text="fald sensor"),
        Document("test_site", 21, text="sensor"),
        Document("knowledge_offer", 30, text="app"),
    ]
    return Corpus.build(sources, targets)


def test_not_relevant_demotes_the_pair_and_meetings_lift_the_kind():
    corpus = _corpus()
    provider = feedback.PastFeedback.build(
        corpus,
        ratings=[(1, "test_site", 20, feedback.NOT_RELEVANT), (2, "knowledge_offer", 30, 1.0)],
        meetings=[(1, "test_site", 1), (99, "need", 3)],  # an unknown SME is ignored
    )
    s, t = corpus.sources.index(), corpus.targets.index()
    rows = np.array([s[("sme", 1)], s[("sme", 2)]])
    columns = np.arange(corpus.targets.n)
    block = provider.block(rows, columns)
    value = {(sme, key): float(block[i, t[key]]) for i, sme in enumerate((1, 2)) for key in t}
    assert value[(1, ("test_site", 20))] == feedback.NOT_RELEVANT  # its own rating wins
    assert value[(1, ("test_site", 21))] == feedback.lift_for(1)  # the kind that led to a meeting
    assert value[(1, ("need", 10))] == FEEDBACK_NEUTRAL
    assert value[(2, ("knowledge_offer", 30))] == feedback.USEFUL
    assert value[(2, ("test_site", 21))] == FEEDBACK_NEUTRAL
    # The explained pairs get the same values as the scored blocks.
    si = np.repeat(rows, columns.size)
    ti = np.tile(columns, rows.size)
    assert np.array_equal(provider.pairs(si, ti), block.ravel())


def test_without_feedback_the_provider_is_neutral():
    corpus = _corpus()
    provider = feedback.PastFeedback.build(corpus, ratings=[], meetings=[])
    assert provider.block(np.array([0, 1]), np.arange(4)) == np.float32(FEEDBACK_NEUTRAL)
    assert set(provider.pairs(np.array([0, 1]), np.array([0, 3])).tolist()) == {FEEDBACK_NEUTRAL}


def test_more_meetings_lift_more():
    assert FEEDBACK_NEUTRAL < feedback.lift_for(1) < feedback.lift_for(2) == feedback.lift_for(5)


# --- Through real runs ---------------------------------------------------------------------------
@pytest.fixture
def network(db):
    """One SME, and a need and two test sites that fit it exactly as well as each other."""
    criteria = MatchCriteria.current()
    criteria.weight_feedback = 0.2
    criteria.save()
    prevention = focus_area("prevention-predictive-health")
    fall = TagFactory(name="faldforebyggelse")
    sme = OrganisationFactory(
        name="Faldvagt ApS",
        description="Faldsensorer til natten, der opdager fald i eget hjem.",
        readiness_level=6,
        focus_areas=[prevention],
        tags=[fall],
    )
    municipality = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    text = "Faldsensorer til natten, der opdager fald i eget hjem."
    sites = []
    for _n in range(2):
        site = TestSiteFactory(
            owner=municipality, name="Plejecenter", description=text, trl_min=4, trl_max=8
        )
        site.focus_areas.set([prevention])
        site.tags.set([fall])
        sites.append(site)
    need = NeedFactory(
        owner=municipality,
        title="Plejecenter",
        description=text,
        status="open",
        trl_min=4,
        trl_max=8,
        focus_areas=[prevention],
        tags=[fall],
    )
    return {
        "sme": sme,
        "user": person_with_login(sme, "admin", "anna@faldvagt.example"),
        "municipality": municipality,
        "muni_user": person_with_login(municipality, "member", "mette@odense.example"),
        "sites": sites,
        "need": need,
    }


def _ranking(sme):
    return list(
        Match.objects.filter(source=sme, in_source_top=True).values_list(
            "target_type", "target_id", "score", "reasons__feedback__code"
        )
    )


def test_marking_a_target_not_relevant_moves_it_down_and_says_why(network, client, settings):
    services.match_run_full_now()
    first, second = network["sites"]
    before = _ranking(network["sme"])
    keys = [(kind, pk) for kind, pk, _score, _code in before]
    assert keys.index(("test_site", first.pk)) < keys.index(("test_site", second.pk))

    match = Match.objects.get(source=network["sme"], test_site=first)
    introductions.match_feedback_record(
        match=match,
        user=network["user"],
        organisation_id=network["sme"].pk,
        kind="not_relevant",
        reason="We do not work with nursing homes.",
    )
    services.match_run_full_now()
    after = _ranking(network["sme"])
    keys = [(kind, pk) for kind, pk, _score, _code in after]
    # Out of the company's own top K (the next best take its place) ...
    assert ("test_site", first.pk) not in keys
    scores = {(kind, pk): (score, code) for kind, pk, score, code in after}
    old = {(kind, pk): score for kind, pk, score, _code in before}
    # ... and scored lower, saying why, where the test site's own list keeps it.
    kept = Match.objects.get(source=network["sme"], test_site=first)
    assert (kept.in_source_top, kept.in_target_top) == (False, True)
    assert kept.score < old[("test_site", first.pk)]
    assert kept.reasons["feedback"]["code"] == "negative"
    assert scores[("test_site", second.pk)] == (old[("test_site", second.pk)], "none")
    settings.LANGUAGE_CODE = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(network["user"])
    page = client.get(reverse("matchmaking:my_matches")).content.decode()
    # Marked not relevant by the company: no longer in its list at all (until undone).
    assert f"#site-{first.pk}" not in page
    assert f"#site-{second.pk}" in page
    with translation.override("en"):
        assert reason_sentence({"code": "negative"}).startswith("Ranked lower by past feedback")


def test_a_meeting_through_a_test_site_lifts_test_sites_above_needs(network):
    services.match_run_full_now()
    need, (first, second) = network["need"], network["sites"]
    before = [(kind, pk) for kind, pk, _score, _code in _ranking(network["sme"])]
    assert before.index(("need", need.pk)) < before.index(("test_site", second.pk))

    match = Match.objects.get(source=network["sme"], test_site=first)
    introduction = introductions.introduction_request(
        match=match, user=network["user"], message="May we test?"
    )
    introductions.introduction_accept(introduction=introduction, user=network["muni_user"])
    introductions.introduction_mark_met(
        introduction=introduction, user=network["user"], outcome="promising"
    )
    services.match_run_full_now()
    after = _ranking(network["sme"])
    order = [(kind, pk) for kind, pk, _score, _code in after]
    assert order.index(("test_site", second.pk)) < order.index(("need", need.pk))
    codes = {(kind, pk): code for kind, pk, _score, code in after}
    assert codes[("test_site", second.pk)] == "positive"
    assert codes[("need", need.pk)] == "none"
    with translation.override("en"):
        assert reason_sentence({"code": "positive"}).startswith("Ranked higher by past feedback")


def test_a_meeting_reported_as_not_a_fit_lifts_nothing(network):
    services.match_run_full_now()
    match = Match.objects.get(source=network["sme"], test_site=network["sites"][0])
    introduction = introductions.introduction_request(
        match=match, user=network["user"], message="May we test?"
    )
    introductions.introduction_accept(introduction=introduction, user=network["muni_user"])
    introductions.introduction_mark_met(
        introduction=introduction, user=network["user"], outcome="no_fit"
    )
    services.match_run_full_now()
    codes = {code for _kind, _pk, _score, code in _ranking(network["sme"])}
    assert codes == {"none"}


def test_feedback_outlives_a_match_a_run_deletes(network):
    services.match_run_full_now()
    first = network["sites"][0]
    match = Match.objects.get(source=network["sme"], test_site=first)
    introductions.match_feedback_record(
        match=match,
        user=network["user"],
        organisation_id=network["sme"].pk,
        kind="not_relevant",
        reason="Not for us.",
    )
    match.delete()  # as a run does with a suggested match that left the lists
    rating = Feedback.objects.get()
    assert rating.match is None
    assert (rating.source, rating.target_type, rating.target_id) == (
        network["sme"],
        "test_site",
        first.pk,
    )
    services.match_run_full_now()
    back = Match.objects.get(source=network["sme"], test_site=first)
    assert back.reasons["feedback"]["code"] == "negative"  # still demoted, not forgotten
