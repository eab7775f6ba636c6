"""Ranking: the obvious order, top K both ways, chunking and determinism (no database)."""

from datetime import date

import numpy as np
import pytest

from matchmaking.scoring.corpus import TYPE_CODES, Corpus, Document
from matchmaking.scoring.engine import Engine, Settings
from matchmaking.scoring.explain import Lookups, explain

TODAY = date(2026, 11, 23).toordinal()

WORDS = [
    "fald",
    "sensor",
    "nat",
    "demens",
    "diabetes",
    "app",
    "insulin",
    "kol",
    "ilt",
    "puls",
    "hjerte",
    "rehabilitering",
    "træning",
    "robot",
    "medicin",
    "dosering",
    "video",
    "konsultation",
    "hjemmepleje",
    "plejecenter",
    "sygehus",
    "data",
    "algoritme",
    "screening",
    "kræft",
    "lunge",
    "astma",
    "søvn",
    "ernæring",
    "ensomhed",
]


def themed_network():
    """Three SMEs, three targets; SME n is about exactly what target n is about."""
    themes = [
        ("faldsensorer der opdager fald om natten", (1,), (10,)),
        ("app til diabetes og insulin dosering", (2,), (11,)),
        ("robot der hjælper med træning og rehabilitering", (3,), (12,)),
    ]
    sources = [
        Document(type="sme", id=100 + n, text=text, focus=focus, tags=tags, country="DK",
                 municipality=1, region=1, trl=5)
        for n, (text, focus, tags) in enumerate(themes)
    ]  # fmt: skip
    targets = [
        Document(type=kind, id=n + 1, text=f"Vi søger {text}", focus=focus, tags=tags,
                 country="DK", municipality=2, region=1)
        for n, ((text, focus, tags), kind) in enumerate(
            zip(themes, ("need", "test_site", "knowledge_offer"), strict=True)
        )
    ]  # fmt: skip
    return sources, targets


def random_network(n_sources, n_targets, seed=7):
    rng = np.random.default_rng(seed)

    def text():
        return " ".join(rng.choice(WORDS, size=rng.integers(3, 12)))

    def ids(upper, most):
        return tuple(int(x) for x in rng.choice(upper, size=rng.integers(0, most), replace=False))

    sources = [
        Document(type="sme", id=i + 1, text=text(), focus=ids(4, 3), tags=ids(30, 4),
                 country="DK", municipality=int(rng.integers(1, 9)), region=int(rng.integers(1, 4)),
                 trl=int(rng.integers(0, 10)), listed=bool(rng.random() > 0.1))
        for i in range(n_sources)
    ]  # fmt: skip
    kinds = ("need", "test_site", "knowledge_offer")
    targets = []
    for i in range(n_targets):
        low = int(rng.integers(1, 8))
        targets.append(
            Document(type=kinds[i % 3], id=i + 1, text=text(), focus=ids(4, 3), tags=ids(30, 4),
                     country="DK", municipality=int(rng.integers(1, 9)),
                     region=int(rng.integers(1, 4)), trl_min=low, trl_max=low + 2,
                     capacity=int(rng.integers(1, 4)) if i % 3 == 1 else None,
                     tests_running=int(rng.integers(0, 3)), listed=bool(rng.random() > 0.2))
        )  # fmt: skip
    return sources, targets


def ranked(sources, targets, **settings):
    corpus = Corpus.build(sources, targets)
    engine = Engine(corpus, Settings(today=TODAY, **settings))
    ranking = engine.rank_full()
    pairs = {}
    for chunk in explain(engine, ranking.source_rows, ranking.target_rows, Lookups()):
        for n in range(len(chunk.score)):
            s = int(corpus.sources.ids[chunk.source_rows[n]])
            t = int(corpus.targets.ids[chunk.target_rows[n]])
            pairs[(s, t)] = chunk.score[n]
    flags = {
        (int(corpus.sources.ids[s]), int(corpus.targets.ids[t])): (bool(a), bool(b))
        for s, t, a, b in zip(
            ranking.source_rows, ranking.target_rows, ranking.in_source_top,
            ranking.in_target_top, strict=True,
        )
    }  # fmt: skip
    return pairs, flags


def test_each_company_gets_its_own_theme_first():
    sources, targets = themed_network()
    pairs, _flags = ranked(sources, targets, top_k=3, min_score=0.0)
    for n, source in enumerate(sources):
        mine = {t: score for (s, t), score in pairs.items() if s == source.id}
        assert max(mine, key=mine.get) == n + 1, mine


def test_pairs_with_nothing_in_common_are_not_matched():
    sources, targets = themed_network()
    pairs, _flags = ranked(sources, targets, top_k=3, min_score=0.0)
    # Each SME shares focus, tags and words only with its own theme's target.
    assert set(pairs) == {(100, 1), (101, 2), (102, 3)}


def test_min_score_drops_weak_pairs():
    sources, targets = random_network(40, 30)
    loose, _ = ranked(sources, targets, top_k=50, min_score=0.0)
    strict, _ = ranked(sources, targets, top_k=50, min_score=0.5)
    assert strict
    assert len(strict) < len(loose)
    assert min(strict.values()) >= 0.5 - 1e-6


def test_keeps_the_top_k_of_every_source_and_every_target():
    sources, targets = random_network(120, 60)
    k = 5
    _pairs, flags = ranked(sources, targets, top_k=k, min_score=0.0)
    everything, _ = ranked(sources, targets, top_k=1000, min_score=0.0)
    listed_targets = {t.id for t in targets if t.listed}
    listed_sources = {s.id for s in sources if s.listed}
    kind = {t.id: TYPE_CODES[t.type] for t in targets}
    for source in sources:
        mine = sorted(
            ((score, t) for (s, t), score in everything.items()
             if s == source.id and t in listed_targets),
            key=lambda x: (-x[0], kind[x[1]], x[1]),  # ties: the lower (type, id) first
        )  # fmt: skip
        expected = {t for _score, t in mine[:k]}
        kept = {t for (s, t), (in_source, _b) in flags.items() if s == source.id and in_source}
        assert kept == expected
    for target in targets:
        theirs = sorted(
            ((score, s) for (s, t), score in everything.items()
             if t == target.id and s in listed_sources),
            key=lambda x: (-x[0], x[1]),
        )  # fmt: skip
        expected = {s for _score, s in theirs[:k]}
        kept = {s for (s, t), (_a, in_target) in flags.items() if t == target.id and in_target}
        assert kept == expected


def test_unlisted_targets_stay_out_of_company_lists_and_unlisted_companies_out_of_target_lists():
    sources, targets = random_network(80, 40)
    _pairs, flags = ranked(sources, targets, top_k=5, min_score=0.0)
    unlisted_t = {t.id for t in targets if not t.listed}
    unlisted_s = {s.id for s in sources if not s.listed}
    assert unlisted_t
    assert unlisted_s
    for (s, t), (in_source, in_target) in flags.items():
        assert not (in_source and t in unlisted_t)
        assert not (in_target and s in unlisted_s)


@pytest.mark.parametrize("chunk_cells", [50, 997, 10_000_000])
def test_chunk_size_does_not_change_the_result(chunk_cells):
    sources, targets = random_network(150, 70)
    reference, reference_flags = ranked(sources, targets, top_k=4, min_score=0.1)
    pairs, flags = ranked(sources, targets, top_k=4, min_score=0.1, chunk_cells=chunk_cells)
    assert flags == reference_flags
    assert pairs == pytest.approx(reference)


def test_the_same_input_gives_the_same_pairs_and_scores():
    sources, targets = random_network(100, 50)
    first = ranked(sources, targets, top_k=3, min_score=0.0)
    second = ranked(list(reversed(sources)), list(reversed(targets)), top_k=3, min_score=0.0)
    assert first[1] == second[1]
    assert first[0] == pytest.approx(second[0])
