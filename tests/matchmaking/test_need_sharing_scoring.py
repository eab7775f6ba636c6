"""Matching sees a shared need: a company that fits a need several organisations have ranks it
higher, and the reason says so (the engine without the database, then a run through the
portal)."""

from datetime import date

import numpy as np
import pytest

from matchmaking.scoring import components as comp
from matchmaking.scoring.corpus import Corpus, Document
from matchmaking.scoring.engine import Engine, Settings
from matchmaking.scoring.explain import Lookups, explain
from matchmaking.templatetags.matchmaking_tags import reason_sentences

TODAY = date(2026, 11, 23).toordinal()
TEXT = "Vi søger faldsensorer der opdager fald om natten i eget hjem"


def rank(shared_counts):
    """One company; identical needs, joined by `shared_counts` other organisations each."""
    sources = [
        Document(type="sme", id=1, text="Alarmer og sensorer til plejecentre", focus=(1,),
                 tags=(11,), country="DK", municipality=1, region=1, trl=5)
    ]  # fmt: skip
    targets = [
        Document(type="need", id=n + 1, text=TEXT, focus=(1,), tags=(10,), country="DK",
                 municipality=2, region=1, shared=count)
        for n, count in enumerate(shared_counts)
    ]  # fmt: skip
    engine = Engine(Corpus.build(sources, targets), Settings(today=TODAY, top_k=10, min_score=0))
    ranking = engine.rank_full()
    out = {}
    for chunk in explain(engine, ranking.source_rows, ranking.target_rows, Lookups()):
        for n in range(len(chunk.score)):
            out[int(engine.corpus.targets.ids[chunk.target_rows[n]])] = chunk.pair(n)
    return out


def test_a_need_shared_by_more_organisations_ranks_higher_with_the_reason():
    pairs = rank([0, 1, 3])
    alone, one, three = (pairs[n][0] for n in (1, 2, 3))
    assert three < 1
    assert alone < one < three
    assert one - alone == pytest.approx(comp.SHARED_BONUS_EACH, abs=1e-5)
    assert "shared" not in pairs[1][1]
    assert pairs[3][1]["shared"] == pytest.approx(3 * comp.SHARED_BONUS_EACH)
    assert pairs[3][2]["shared"] == {"code": "shared", "count": 3}


def test_the_bonus_is_capped():
    pairs = rank([3, 10])
    assert pairs[1][0] == pytest.approx(pairs[2][0])
    assert comp.shared_bonus(10) == pytest.approx(comp.SHARED_BONUS_MAX)


def test_a_need_nobody_joined_scores_as_before():
    # No bonus, no extra reason: the scores of unshared needs do not move.
    assert float(comp.shared_bonus(0)) == 0.0


def test_the_reason_reads_as_a_sentence(settings):
    settings.LANGUAGE_CODE = "en"

    class Match:
        reasons = {"shared": {"code": "shared", "count": 2}}
        components = {"shared": 0.04}

    from django.utils import translation

    with translation.override("en"):
        sentences = reason_sentences(Match(), focus_names={}, today=date(2026, 11, 23))
    assert sentences == ["A shared need: 2 more municipalities, regions or hospitals have it too"]


@pytest.mark.django_db
def test_a_run_ranks_the_shared_need_above_its_twin_and_says_why(
    client, django_capture_on_commit_callbacks
):
    from matchmaking import sharing
    from matchmaking.models import Match
    from matchmaking.services import match_run_full_now
    from tests.conftest import person_with_login
    from tests.factories import OrganisationFactory, focus_area, municipality
    from tests.matchmaking.factories import NeedFactory

    area = focus_area("prevention-predictive-health")
    company = OrganisationFactory(
        name="Faldvagt ApS",
        description="Vi udvikler faldsensorer der opdager fald om natten i eget hjem.",
        municipality=municipality("Odense"),
        readiness_level=6,
        focus_areas=[area],
    )
    needs = []
    for name in ("Aarhus", "Aalborg"):
        owner = OrganisationFactory(
            name=f"{name} Kommune", kind="municipality", cvr="", municipality=municipality(name)
        )
        needs.append(
            NeedFactory(owner=owner, title="Faldsensorer om natten", description=TEXT,
                        municipality=municipality(name), focus_areas=[area])
        )  # fmt: skip
    alone, shared = needs
    for name in ("Vejle", "Kolding"):
        joiner = OrganisationFactory(name=f"{name} Kommune", kind="municipality", cvr="")
        admin = person_with_login(joiner, "admin", f"admin@{name.lower()}.example")
        sharing.need_join(need=shared, organisation=joiner, user=admin)
    match_run_full_now()
    mine = {m.need_id: m for m in Match.objects.filter(source=company)}
    assert mine[shared.pk].score > mine[alone.pk].score
    assert mine[shared.pk].reasons["shared"] == {"code": "shared", "count": 2}
    assert "shared" not in mine[alone.pk].reasons


# --- geography: the places of those who joined count as the owner's does -----------------------
def engine_for(joined_places):
    """A company in municipality 5 (region 2); one need placed in municipality 2 (region 1),
    joined by organisations at `joined_places`."""
    sources = [
        Document(type="sme", id=1, text="Alarmer og sensorer til plejecentre", focus=(1,),
                 tags=(11,), country="DK", municipality=5, region=2, trl=5)
    ]  # fmt: skip
    targets = [
        Document(type="need", id=1, text=TEXT, focus=(1,), tags=(10,), country="DK",
                 municipality=2, region=1, shared=len(joined_places),
                 joined_places=tuple(joined_places)),
        Document(type="need", id=2, text=TEXT, focus=(1,), country="DK", municipality=3, region=1),
    ]  # fmt: skip
    return Engine(Corpus.build(sources, targets), Settings(today=TODAY, top_k=10, min_score=0))


def explained(engine):
    lookups = Lookups(municipality_names={2: "Aalborg", 5: "Vejle"}, region_names={2: "Syd"})
    rows = np.array([0, 0]), np.array([0, 1])
    chunk = next(explain(engine, *rows, lookups))
    return chunk, [chunk.pair(n) for n in range(2)]


def test_a_company_near_an_organisation_that_joined_gets_the_geography_reason():
    alone = explained(engine_for([]))[1][0]
    chunk, (near, other) = explained(engine_for([(None, 1, "DK"), (5, 2, "DK")]))
    near_score, components, reasons = near
    assert alone[2]["geography"]["code"] == "country"
    assert reasons["geography"] == {"code": "municipality", "name": "Vejle"}
    assert components["geography"] == 1.0
    weight = Settings().weights.normalised()[comp.COMPONENTS.index("geography")]
    bonus = 2 * comp.SHARED_BONUS_EACH
    assert near_score - alone[0] == pytest.approx(weight * (1.0 - 0.3) + bonus, abs=1e-5)
    assert chunk.region_ids.tolist() == [2, 1]  # of the closest place; the other need's own
    assert other[2]["geography"]["code"] == "country"  # another need: unchanged


def test_a_joined_place_no_closer_than_the_needs_own_changes_nothing():
    alone = explained(engine_for([]))[1][0]
    pair = explained(engine_for([(None, None, "NO")]))[1][0]
    assert pair[1]["geography"] == alone[1]["geography"]
    assert pair[2]["geography"] == alone[2]["geography"]


def test_blocks_of_some_targets_score_joined_places_as_a_full_block_does():
    # The incremental run scores blocks of the changed targets only.
    engine = engine_for([(4, 1, "DK"), (5, 2, "DK")])
    rows = np.array([0])
    full, _valid = engine.block(rows)
    for targets in ([0], [1], [1, 0]):
        part, _valid = engine.block(rows, np.array(targets))
        assert part.tolist() == full[:, targets].tolist()


@pytest.mark.django_db
def test_a_company_near_a_joiner_gets_the_reason_until_the_joiner_leaves(
    django_capture_on_commit_callbacks,
):
    from matchmaking import sharing
    from matchmaking.models import Match
    from matchmaking.services import match_run_full_now
    from tests.conftest import person_with_login
    from tests.factories import OrganisationFactory, focus_area, municipality
    from tests.matchmaking.factories import NeedFactory

    area = focus_area("prevention-predictive-health")
    vejle = municipality("Vejle")
    company = OrganisationFactory(
        name="Faldvagt ApS",
        description="Vi udvikler faldsensorer der opdager fald om natten i eget hjem.",
        municipality=vejle,
        readiness_level=6,
        focus_areas=[area],
    )
    owner = OrganisationFactory(
        name="Aalborg Kommune", kind="municipality", cvr="", municipality=municipality("Aalborg")
    )
    need = NeedFactory(owner=owner, title="Faldsensorer om natten", description=TEXT,
                       municipality=municipality("Aalborg"), focus_areas=[area])  # fmt: skip
    joiner = OrganisationFactory(
        name="Vejle Kommune", kind="municipality", cvr="", municipality=vejle
    )
    admin = person_with_login(joiner, "admin", "admin@vejle.example")
    sharing.need_join(need=need, organisation=joiner, user=admin)
    match_run_full_now()
    match = Match.objects.get(source=company, need=need)
    assert match.reasons["geography"] == {"code": "municipality", "name": "Vejle"}
    assert match.target_region_id == vejle.region_id
    with django_capture_on_commit_callbacks(execute=True):
        sharing.need_leave(need=need, organisation=joiner, user=admin)
    match = Match.objects.get(source=company, need=need)
    assert match.reasons["geography"] == {"code": "country", "country": "DK"}
    assert match.target_region_id == owner.municipality.region_id
