"""A pair one side marked not relevant does not take a place in that side's top K: the next
best fill the list (after the veto's own incremental run and after a full run alike), the other
side may still keep the pair, and undo brings it back on the next run."""

import numpy as np
import pytest

from matchmaking import actions, runner, services
from matchmaking.models import Match, MatchCriteria, MatchRun
from matchmaking.models_introductions import Feedback
from matchmaking.scoring.corpus import TYPE_NAMES, Corpus
from matchmaking.scoring.engine import Engine, Settings, Vetoes
from matchmaking.scoring.explain import Lookups, explain
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import NeedFactory
from tests.matchmaking.test_scoring_engine import TODAY, random_network

TOP_K = 3


# -- the engine alone ---------------------------------------------------------------------------
def _lists(ranking):
    by_source, by_target = {}, {}
    for s, t, in_source, in_target in zip(
        ranking.source_rows.tolist(),
        ranking.target_rows.tolist(),
        ranking.in_source_top.tolist(),
        ranking.in_target_top.tolist(),
        strict=True,
    ):
        if in_source:
            by_source.setdefault(s, set()).add(t)
        if in_target:
            by_target.setdefault(t, set()).add(s)
    return by_source, by_target


def _order(engine, ranking):
    """Every source's and target's candidates, best first, from a ranking with a large K."""
    by_source, by_target = {}, {}
    for chunk in explain(engine, ranking.source_rows, ranking.target_rows, Lookups()):
        for n in range(len(chunk.score)):
            s, t = int(chunk.source_rows[n]), int(chunk.target_rows[n])
            score = round(float(chunk.score[n]), 6)
            if ranking_flags(ranking, s, t)[0]:
                by_source.setdefault(s, []).append((-score, int(engine.t_keys[t]), t))
            if ranking_flags(ranking, s, t)[1]:
                by_target.setdefault(t, []).append((-score, int(engine.s_keys[s]), s))
    return (
        {s: [t for *_key, t in sorted(v)] for s, v in by_source.items()},
        {t: [s for *_key, s in sorted(v)] for t, v in by_target.items()},
    )


def ranking_flags(ranking, s, t):
    at = np.flatnonzero((ranking.source_rows == s) & (ranking.target_rows == t))
    return bool(ranking.in_source_top[at[0]]), bool(ranking.in_target_top[at[0]])


def test_engine_leaves_each_side_s_vetoes_out_of_its_top_k_and_the_next_best_fill_it():
    sources, targets = random_network(60, 45)
    corpus = Corpus.build(sources, targets)
    settings = {"today": TODAY, "min_score": 0.0, "chunk_cells": 600}  # many small blocks
    k = 4
    everything = Engine(corpus, Settings(top_k=1000, **settings))
    source_order, target_order = _order(everything, everything.rank_full())

    # Each source vetoes its two best, each target its best; a few vetoes of unknown rows.
    source_vetoes = [(s, order[i]) for s, order in source_order.items() for i in (0, 1)]
    target_vetoes = [(order[0], t) for t, order in target_order.items()]
    vetoes = Vetoes.of_rows(
        corpus.targets.n,
        by_source=([p[0] for p in source_vetoes] + [-1], [p[1] for p in source_vetoes] + [3]),
        by_target=([p[0] for p in target_vetoes], [p[1] for p in target_vetoes]),
    )
    engine = Engine(corpus, Settings(top_k=k, **settings), vetoes=vetoes)
    ranking = engine.rank_full()
    by_source, by_target = _lists(ranking)

    vetoed_s, vetoed_t = set(source_vetoes), set(target_vetoes)
    for s, order in source_order.items():
        expected = [t for t in order if (s, t) not in vetoed_s][:k]
        assert by_source.get(s, set()) == set(expected), s
    for t, order in target_order.items():
        expected = [s for s in order if (s, t) not in vetoed_t][:k]
        assert by_target.get(t, set()) == set(expected), t
    # A pair one side vetoed stays in the other side's list where it belongs there.
    kept_for_targets = [p for p in source_vetoes if p[0] in by_target.get(p[1], set())]
    assert kept_for_targets
    for s, t in kept_for_targets:
        assert ranking_flags(ranking, s, t) == (False, True)


def test_engine_incremental_lists_leave_vetoes_out_as_the_full_run_does():
    sources, targets = random_network(40, 30, seed=11)
    corpus = Corpus.build(sources, targets)
    settings = Settings(today=TODAY, min_score=0.0, top_k=3, chunk_cells=500)
    plain = Engine(corpus, settings).rank_full()
    s_rows, t_rows = plain.source_rows, plain.target_rows
    first_s = s_rows[plain.in_source_top][::3]
    first_t = t_rows[plain.in_source_top][::3]
    last_s = s_rows[plain.in_target_top][1::4]
    last_t = t_rows[plain.in_target_top][1::4]
    vetoes = Vetoes.of_rows(corpus.targets.n, (first_s, first_t), (last_s, last_t))
    engine = Engine(corpus, settings, vetoes=vetoes)
    full = engine.rank_full()
    everyone = engine.rank_incremental(
        changed_sources=np.arange(corpus.sources.n),
        changed_targets=np.arange(corpus.targets.n),
        source_thresholds=np.full(corpus.sources.n, -1, dtype=np.int64),
        target_thresholds=np.full(corpus.targets.n, -1, dtype=np.int64),
        old_sources=np.zeros(0, np.int64),
        old_targets=np.zeros(0, np.int64),
    ).ranking
    assert _lists(everyone) == _lists(full)
    by_source, by_target = _lists(full)
    for s, t in zip(first_s.tolist(), first_t.tolist(), strict=True):
        assert t not in by_source.get(s, set())
    for s, t in zip(last_s.tolist(), last_t.tolist(), strict=True):
        assert s not in by_target.get(t, set())


# -- through the runs and the actions ------------------------------------------------------------
@pytest.fixture
def falls_network(db):
    """Seven fall-sensor companies and seven fall needs, all fitting each other, K=3."""
    MatchCriteria.objects.update_or_create(
        key="default", defaults={"top_k": TOP_K, "min_score": 0.1}
    )
    # Each one's text more diluted than the last: the lists are ordered well apart.
    other = [
        *("kræft", "genomik", "tandpleje", "apotek", "vaccine", "hørelse", "syn", "allergi"),
        *("astma", "hjerte", "nyre", "lever", "migræne", "psoriasis", "gigt", "tinnitus"),
        *("eksem", "ryg", "knæ", "hofte", "skulder"),
    ]
    companies, needs = [], []
    for n in range(7):
        companies.append(
            OrganisationFactory(
                name=f"Faldsensor {n} ApS",
                description="Sensorer der opdager fald om natten i eget hjem. "
                + " ".join(other[: 3 * n]),
                readiness_level=6,
            )
        )
        needs.append(
            NeedFactory(
                title=f"Fald om natten {n}",
                description="Vi søger sensorer, der opdager fald om natten i eget hjem. "
                + " ".join(other[-3 * n :] if n else []),
                trl_min=4,
                trl_max=8,
            )
        )
    run = services.match_run_full_now()
    assert run.status == "succeeded", run.error
    return {"companies": companies, "needs": needs}


def company_list(company):
    """The company's kept list as its page reads it: its top K, without what it vetoed."""
    vetoed = set(
        Feedback.objects.filter(
            source=company, organisation=company, kind="not_relevant"
        ).values_list("target_id", flat=True)
    )
    ids = Match.objects.filter(source=company, in_source_top=True).values_list(
        "target_id", flat=True
    )
    return [pk for pk in ids if pk not in vetoed]


def need_list(need):
    vetoed = set(
        Feedback.objects.filter(
            target_type="need", target_id=need.pk, organisation=need.owner, kind="not_relevant"
        ).values_list("source_id", flat=True)
    )
    ids = Match.objects.filter(need=need, in_target_top=True).values_list("source_id", flat=True)
    return [pk for pk in ids if pk not in vetoed]


def stored_lists():
    return {
        (m.source_id, m.target_type, m.target_id): (m.in_source_top, m.in_target_top)
        for m in Match.objects.all()
        if m.in_source_top or m.in_target_top
    }


def ranked_from_scratch():
    """{pair: (in_source, in_target)} of a full ranking over the current corpus and vetoes."""
    from matchmaking import snapshot

    corpus = snapshot.current(set())
    criteria = MatchCriteria.current()
    run = MatchRun(weights=criteria.weights(), top_k=criteria.top_k, min_score=criteria.min_score)
    ranking = runner.engine_for(run, corpus).rank_full()
    s, t = corpus.sources, corpus.targets
    return {
        (int(s.ids[si]), TYPE_NAMES[int(t.types[ti])], int(t.ids[ti])): (bool(a), bool(b))
        for si, ti, a, b in zip(
            ranking.source_rows.tolist(),
            ranking.target_rows.tolist(),
            ranking.in_source_top.tolist(),
            ranking.in_target_top.tolist(),
            strict=True,
        )
    }


def _veto(match, side, capture):
    with capture(execute=True):
        feedback = actions.match_veto(
            match=match, user=None, side=side, reason_code="already_known"
        )
    assert MatchRun.objects.filter(kind="incremental", status="succeeded").exists()
    return feedback


def test_a_company_that_vetoes_still_sees_k_matches_after_the_incremental_and_a_full_run(
    falls_network, django_capture_on_commit_callbacks
):
    company = falls_network["companies"][0]
    before = company_list(company)
    assert len(before) == TOP_K
    vetoed = before[:2]
    vetoes = []
    for pk in vetoed:
        match = Match.objects.get(source=company, need_id=pk)
        vetoes.append(_veto(match, actions.COMPANY, django_capture_on_commit_callbacks))

    # After the veto's own (incremental) runs: K matches, the vetoed ones not among them.
    after = company_list(company)
    assert len(after) == TOP_K
    assert not set(vetoed) & set(after)
    assert set(before) - set(vetoed) <= set(after)
    assert not Match.objects.filter(source=company, need_id__in=vetoed, in_source_top=True)
    assert stored_lists() == ranked_from_scratch()  # as a full run would keep them

    run = services.match_run_full_now()
    assert run.status == "succeeded", run.error
    assert sorted(company_list(company)) == sorted(after)
    assert stored_lists() == ranked_from_scratch()

    # Undo: the pair comes back on the next run (the undo's own incremental run).
    with django_capture_on_commit_callbacks(execute=True):
        actions.match_veto_undo(feedback=vetoes[0], side=actions.COMPANY)
    back = company_list(company)
    assert vetoed[0] in back
    assert len(back) == TOP_K
    assert stored_lists() == ranked_from_scratch()
    services.match_run_full_now()
    assert sorted(company_list(company)) == sorted(back)


def test_a_target_s_owner_that_vetoes_still_sees_k_companies_after_both_runs(
    falls_network, django_capture_on_commit_callbacks
):
    need = falls_network["needs"][0]
    before = need_list(need)
    assert len(before) == TOP_K
    vetoed = before[:2]
    vetoes = []
    for pk in vetoed:
        match = Match.objects.get(source_id=pk, need=need)
        vetoes.append(_veto(match, actions.TARGET, django_capture_on_commit_callbacks))

    after = need_list(need)
    assert len(after) == TOP_K
    assert not set(vetoed) & set(after)
    assert set(before) - set(vetoed) <= set(after)
    assert not Match.objects.filter(source_id__in=vetoed, need=need, in_target_top=True)
    assert stored_lists() == ranked_from_scratch()

    services.match_run_full_now()
    assert sorted(need_list(need)) == sorted(after)
    assert stored_lists() == ranked_from_scratch()

    with django_capture_on_commit_callbacks(execute=True):
        actions.match_veto_undo(feedback=vetoes[1], side=actions.TARGET)
    back = need_list(need)
    assert vetoed[1] in back
    assert len(back) == TOP_K
    assert stored_lists() == ranked_from_scratch()
    services.match_run_full_now()
    assert sorted(need_list(need)) == sorted(back)


def test_a_pair_one_side_vetoed_stays_in_the_other_side_s_list(
    falls_network, django_capture_on_commit_callbacks
):
    """The company's veto frees its own place, not the need's: the need keeps the company
    among its K (here its only candidate), and the need's people still see it."""
    company = OrganisationFactory(
        name="GlucoApp ApS",
        description="App til diabetes med insulindosering og blodsukkermålinger.",
        readiness_level=5,
    )
    need = NeedFactory(
        title="Diabetes app",
        description="Vi søger en app til diabetes med støtte til insulindosering.",
        trl_min=3,
        trl_max=7,
    )
    services.match_run_full_now()
    match = Match.objects.get(source=company, need=need)
    assert (match.in_source_top, match.in_target_top) == (True, True)
    _veto(match, actions.COMPANY, django_capture_on_commit_callbacks)
    for _run in range(2):  # after the veto's incremental run, then after a full run
        kept = Match.objects.get(source=company, need=need)
        assert (kept.in_source_top, kept.in_target_top) == (False, True)
        assert company.pk in need_list(need)
        assert need.pk not in company_list(company)
        services.match_run_full_now()


def test_the_company_s_page_lists_k_matches_after_a_veto(
    client, falls_network, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from tests.conftest import person_with_login

    company = falls_network["companies"][0]
    client.force_login(person_with_login(company, "member", "m@faldsensor0.example"))
    page = client.get(reverse("matchmaking:my_matches")).context["page"]
    shown = [m.target_id for m in page]
    assert len(shown) == TOP_K
    match = Match.objects.get(source=company, need_id=shown[0])
    _veto(match, actions.COMPANY, django_capture_on_commit_callbacks)
    services.match_run_full_now()
    page = client.get(reverse("matchmaking:my_matches")).context["page"]
    now = [m.target_id for m in page]
    assert len(now) == TOP_K
    assert shown[0] not in now
