"""Executes match runs: reads the data, calls the engine, writes the results, reports progress.

Called by the services (`match_run_execute`), never directly by views or tasks.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from matchmaking import features, snapshot, store
from matchmaking.models import Match, MatchRun, MatchStatus, RunPhase
from matchmaking.scoring.components import Weights
from matchmaking.scoring.corpus import ID_BITS, TYPE_CODES, Corpus
from matchmaking.scoring.engine import QUANTUM, Engine, Ranking, Settings, Vetoes
from matchmaking.scoring.explain import explain

logger = logging.getLogger(__name__)

# Share of the progress bar each phase of a full run ends at.
PROGRESS = {RunPhase.LOADING: 10, RunPhase.SCORING: 70, RunPhase.EXPLAINING: 85}


class Reporter:
    """Progress and heartbeat of a run, written at most once a second, for pages that poll.

    Inside the run's write transaction the main connection's updates would stay invisible
    until commit (and on PostgreSQL it is busy streaming COPY), so there progress goes over a
    connection of its own. SQLite allows one writer at a time: there progress inside the
    transaction is skipped and resumes after it.

    What the fields mean while a run is active (MatchRun.phase / progress, 0-100):
    loading (0-10) reading the documents; scoring (10-70) blocks of companies scored;
    writing (85-99) reasons built and matches saved; done (100). `heartbeat_at` moves with
    every report: a running run without a heartbeat for MatchRunQuerySet.STALE_AFTER is
    taken over by the next delivery of its task.
    """

    COLUMNS = {"phase", "progress", "heartbeat_at", "sources_count", "targets_count"}
    COLUMNS |= {"pairs_scored"}

    def __init__(self, run: MatchRun):
        self.run = run
        self.last = 0.0
        self._side = None

    def __call__(self, phase: str, progress: int, *, force: bool = False, **fields) -> None:
        now = time.monotonic()
        if not force and now - self.last < 1.0:
            return
        self.last = now
        values = {"phase": phase, "progress": min(progress, 100), "heartbeat_at": timezone.now()}
        values |= fields
        if not connection.in_atomic_block:
            MatchRun.objects.filter(pk=self.run.pk).update(**values)
        elif connection.vendor == "postgresql":
            self._update_aside(values)

    def _update_aside(self, values: dict) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        assignments = ", ".join(f"{name} = %s" for name in values if name in self.COLUMNS)
        params = [value for name, value in values.items() if name in self.COLUMNS]
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {MatchRun._meta.db_table} SET {assignments} WHERE id = %s",  # noqa: S608
                [*params, self.run.pk],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


# Builds the feedback component's provider for a corpus (see scoring.engine.NoFeedback).
_feedback_factory: Callable[[Corpus], object] | None = None


def register_feedback(factory: Callable[[Corpus], object] | None) -> None:
    """Install the provider of past feedback (from an AppConfig.ready()); None: neutral."""
    global _feedback_factory
    _feedback_factory = factory


def engine_for(run: MatchRun, corpus: Corpus) -> Engine:
    settings = Settings(
        weights=Weights.from_dict(run.weights),
        top_k=run.top_k,
        min_score=run.min_score,
        today=timezone.localdate().toordinal(),
    )
    feedback = _feedback_factory(corpus) if _feedback_factory else None
    return Engine(corpus, settings, feedback, load_vetoes(corpus))


def load_vetoes(corpus: Corpus) -> Vetoes:
    """Every pair marked not relevant, by side, as rows of the corpus (one query a run).

    The company's veto is kept with the company as the organisation (as its page of vetoes
    reads them), any other with the target's owner: each leaves the pair out of that side's
    top K, so the next best fill its list."""
    from matchmaking.models_introductions import Feedback, FeedbackKind

    rows = list(
        Feedback.objects.filter(kind=FeedbackKind.NOT_RELEVANT)
        .values_list("source_id", "target_type", "target_id", "organisation_id")
        .order_by()
    )
    s, t = corpus.sources, corpus.targets
    if not rows or not s.n or not t.n:
        return Vetoes(width=max(t.n, 1))
    source_ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    target_keys = np.fromiter(
        ((TYPE_CODES.get(row[1], -1) << ID_BITS) | row[2] for row in rows),
        dtype=np.int64,
        count=len(rows),
    )
    by_company = np.fromiter((row[3] == row[0] for row in rows), dtype=bool, count=len(rows))
    source_rows = _lookup(s.ids, np.argsort(s.ids, kind="stable"), source_ids)
    t_keys = t.keys
    target_rows = _lookup(t_keys, np.argsort(t_keys, kind="stable"), target_keys)
    return Vetoes.of_rows(
        t.n,
        by_source=(source_rows[by_company], target_rows[by_company]),
        by_target=(source_rows[~by_company], target_rows[~by_company]),
    )


def _explained_rows(engine: Engine, ranking: Ranking, lookups, report=None, *, stored=None):
    """The ranking's pairs explained: store.Row objects, or (given `stored`, whether each
    pair is already stored) COPY text chunks."""
    done = 0
    total = max(len(ranking), 1)
    for chunk in explain(engine, ranking.source_rows, ranking.target_rows, lookups):
        n = len(chunk.score)
        flags = ranking.in_source_top[done : done + n], ranking.in_target_top[done : done + n]
        if stored is not None:
            yield store.copy_lines(engine.corpus, chunk, *flags, stored[done : done + n])
        else:
            yield from store.rows_of(engine.corpus, chunk, *flags)
        done += n
        if report:
            report(RunPhase.WRITING, PROGRESS[RunPhase.EXPLAINING] + 14 * done // total)


def execute_full(run: MatchRun) -> dict:
    report = Reporter(run)
    report(RunPhase.LOADING, 1, force=True)
    phases = store.PHASES
    phases.clear()
    started = time.perf_counter()
    corpus = snapshot.build()
    engine = engine_for(run, corpus)
    phases["load"] = time.perf_counter() - started
    sources, targets = corpus.sources.n, corpus.targets.n
    report(
        RunPhase.SCORING,
        PROGRESS[RunPhase.LOADING],
        force=True,
        sources_count=sources,
        targets_count=targets,
        pairs_scored=sources * targets,
    )
    span = PROGRESS[RunPhase.SCORING] - PROGRESS[RunPhase.LOADING]
    ranking = engine.rank_full(
        progress=lambda done, total: report(
            RunPhase.SCORING, PROGRESS[RunPhase.LOADING] + span * done // max(total, 1)
        )
    )
    phases["score"] = time.perf_counter() - started - phases["load"]
    report(RunPhase.WRITING, PROGRESS[RunPhase.EXPLAINING], force=True)
    lookups = features.lookups()
    try:
        with transaction.atomic():
            store.writer_lock()
            mark = time.perf_counter()
            plan = _full_run_plan(run, corpus, ranking, lookups)
            kept = ranking.take(plan.write)
            phases["plan"] = time.perf_counter() - mark
            if store.use_copy() and plan.write.sum() > COPY_FROM:
                stored = plan.stored[plan.write]
                chunks = _explained_rows(engine, kept, lookups, report, stored=stored)
                written = store.upsert_copy(chunks, run_id=run.pk)
            else:
                rows = _explained_rows(engine, kept, lookups, report)
                written = store.upsert(rows, run_id=run.pk)
            store.unflag_all(plan.unflag)
            removed = store.delete_pairs(plan.delete)
            mark = time.perf_counter()
        phases["commit"] = time.perf_counter() - mark
    finally:
        report.close()
    snapshot.store(corpus)
    store.remember_lookups(lookups)
    phases["total"] = time.perf_counter() - started
    logger.info("Full run %s: %s", run.pk, ", ".join(f"{k} {v:.2f} s" for k, v in phases.items()))
    return {
        "sources_count": sources,
        "targets_count": targets,
        "pairs_scored": sources * targets,
        "matches_written": written,
        "matches_removed": removed,
        "changed_during_run": _changed_since(corpus),
    }


COPY_FROM = 5000  # rows; fewer go through the ORM's bulk upsert
SCORE_TOLERANCE = 2  # quanta: stored scores are rounded again by the explanation


@dataclass
class FullRunPlan:
    write: np.ndarray  # bool per ranking pair: new, or its score, lists or inputs changed
    stored: np.ndarray  # bool per ranking pair: already stored (else new)
    delete: list  # pks of suggestions that left every list
    unflag: list  # pks of acted-on matches that left every list (kept, flags cleared)


def _full_run_plan(run: MatchRun, corpus: Corpus, ranking: Ranking, lookups) -> FullRunPlan:
    """What a full run must write: the difference between the stored matches and the ranking.

    A pair is rewritten when it is new, when its score or its list flags changed, or when its
    company or target was saved since the previous full run (its reasons may read
    differently at the same score, e.g. a test site's free places). Everything is rewritten
    when the previous full run used other code, weights or limits, or names the reasons quote
    (tags, places) changed. Pairs that left every list go: suggestions are deleted, matches
    someone acted on stay with their flags cleared. So the stored result equals a complete
    rewrite, while a nightly run over mostly unchanged data writes only what changed.
    """
    s, t = corpus.sources, corpus.targets
    width = max(t.n, 1)
    pair_keys = ranking.source_rows * width + ranking.target_rows
    write = np.zeros(len(ranking), dtype=bool)
    stored = store.stored_matches()
    s_order = np.argsort(s.ids, kind="stable")
    t_keys = t.keys
    t_order = np.argsort(t_keys, kind="stable")
    source_row = _lookup(s.ids, s_order, stored.source_ids)
    target_row = _lookup(t_keys, t_order, stored.target_keys)
    located = (source_row >= 0) & (target_row >= 0)
    stored_pair = np.where(located, source_row * width + target_row, -1)
    at = np.minimum(np.searchsorted(pair_keys, stored_pair), max(len(ranking) - 1, 0))
    kept = located & (len(ranking) > 0)
    if len(ranking):
        kept &= pair_keys[at] == stored_pair

    previous = _previous_full_run(run)
    if previous is None or not store.lookups_unchanged(lookups):
        write[:] = True
    else:
        write[:] = True
        same = at[kept]
        unchanged = (
            (np.abs(ranking.quantised[same] - stored.quantised[kept]) <= SCORE_TOLERANCE)
            & (ranking.in_source_top[same] == stored.in_source_top[kept])
            & (ranking.in_target_top[same] == stored.in_target_top[kept])
        )
        write[same[unchanged]] = False
        sources, targets = features.changed_since(previous.started_at - snapshot.COMMIT_MARGIN)
        touched_s = np.zeros(s.n, dtype=bool)
        touched_s[s.rows_of(sources)] = True
        touched_t = np.zeros(t.n, dtype=bool)
        touched_t[t.rows_of(targets)] = True
        write |= touched_s[ranking.source_rows] | touched_t[ranking.target_rows]

    gone = ~kept
    acted_on = gone & ~stored.suggested
    stored_pairs = np.zeros(len(ranking), dtype=bool)
    stored_pairs[at[kept]] = True
    return FullRunPlan(
        write=write,
        stored=stored_pairs,
        delete=stored.pks[gone & stored.suggested].tolist(),
        unflag=stored.pks[acted_on & (stored.in_source_top | stored.in_target_top)].tolist(),
    )


def _lookup(sorted_from: np.ndarray, order: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Row of each value in `sorted_from` (sorted by `order`), -1 where absent."""
    if sorted_from.size == 0 or values.size == 0:
        return np.full(values.shape, -1, dtype=np.int64)
    ordered = sorted_from[order]
    at = np.minimum(np.searchsorted(ordered, values), ordered.size - 1)
    return np.where(ordered[at] == values, order[at], -1).astype(np.int64)


def _previous_full_run(run: MatchRun) -> MatchRun | None:
    """The last successful full run, if it scored exactly as this one does."""
    previous = (
        MatchRun.objects.filter(kind="full", status="succeeded", started_at__isnull=False)
        .exclude(pk=run.pk)
        .order_by("-started_at")
        .first()
    )
    if previous is None:
        return None
    same = (
        previous.code_version == run.code_version
        and previous.weights == run.weights
        and previous.top_k == run.top_k
        and abs(previous.min_score - run.min_score) < 1e-9
    )
    return previous if same else None


def _changed_since(corpus: Corpus) -> list:
    """Documents saved while the run was computing: its writes may predate them."""
    sources, targets = features.changed_since(corpus.built_at)
    return sorted(sources | targets)


def _key_filter(keys) -> Q:
    by_type = defaultdict(list)
    for target_type, pk in keys:
        by_type[target_type].append(pk)
    query = Q(pk__in=[])
    for target_type, pks in by_type.items():
        query |= Q(target_type=target_type, target_id__in=pks)
    return query


def _thresholds(values, index, size: int, top_k: int) -> np.ndarray:
    """Per row: the lowest quantised score of a full list, or -1 while it is shorter."""
    thresholds = np.full(size, -1, dtype=np.int64)
    for key, count, low in values:
        row = index.get(key)
        if row is not None and count >= top_k:
            thresholds[row] = round(low * QUANTUM)
    return thresholds


def execute_incremental(run: MatchRun) -> dict:
    changed = {(kind, int(pk)) for kind, pk in run.changes}
    changed_sources = {pk for kind, pk in changed if kind == "sme"}
    changed_targets = {key for key in changed if key[0] != "sme"}
    corpus = snapshot.current(changed)
    engine = engine_for(run, corpus)
    s, t = corpus.sources, corpus.targets
    s_index = {pk: row for (_kind, pk), row in s.index().items()}
    t_index = t.index()
    k = run.top_k

    with transaction.atomic():
        store.writer_lock()
        # The lowest score of every full list (index-only scans of match_*_top).
        target_thresholds = np.full(t.n, -1, dtype=np.int64)
        source_thresholds = np.full(s.n, -1, dtype=np.int64)
        if changed_sources:
            groups = (
                Match.objects.filter(in_target_top=True)
                .values("target_type", "target_id")
                .annotate(n=Count("*"), low=Min("score"))
                .values_list("target_type", "target_id", "n", "low")
                .order_by()
            )
            target_thresholds = _thresholds(
                (((kind, pk), n, low) for kind, pk, n, low in groups), t_index, t.n, k
            )
        if changed_targets:
            groups = (
                Match.objects.filter(in_source_top=True)
                .values("source_id")
                .annotate(n=Count("*"), low=Min("score"))
                .values_list("source_id", "n", "low")
                .order_by()
            )
            source_thresholds = _thresholds(groups, s_index, s.n, k)
        old_targets = Match.objects.filter(
            source_id__in=changed_sources, in_target_top=True
        ).values_list("target_type", "target_id")
        old_sources = Match.objects.filter(
            _key_filter(changed_targets), in_source_top=True
        ).values_list("source_id", flat=True)

        partial = engine.rank_incremental(
            changed_sources=_rows(s_index, changed_sources),
            changed_targets=_rows(t_index, changed_targets),
            source_thresholds=source_thresholds,
            target_thresholds=target_thresholds,
            old_sources=_rows(s_index, old_sources),
            old_targets=_rows(t_index, old_targets),
        )
        affected_sources = set(s.ids[partial.sources].tolist()) | changed_sources
        affected_targets = (
            set(
                map(
                    _target_key,
                    zip(
                        t.types[partial.targets].tolist(),
                        t.ids[partial.targets].tolist(),
                        strict=True,
                    ),
                )
            )
            | changed_targets
        )
        written, removed = _apply(
            run,
            engine,
            partial.ranking,
            affected_sources,
            affected_targets,
            (changed_sources, changed_targets),
        )
    return {
        "sources_count": s.n,
        "targets_count": t.n,
        "pairs_scored": int(partial.sources.size * t.n + partial.targets.size * s.n),
        "matches_written": written,
        "matches_removed": removed,
    }


def _target_key(pair) -> tuple[str, int]:
    from matchmaking.scoring.corpus import TYPE_NAMES

    return TYPE_NAMES[pair[0]], pair[1]


def _rows(index: dict, keys) -> np.ndarray:
    return np.array(sorted({index[key] for key in keys if key in index}), dtype=np.int64)


def _apply(
    run,
    engine: Engine,
    ranking: Ranking,
    affected_sources: set,
    affected_targets: set,
    changed: tuple[set, set],
):
    """Write the exact lists of the affected sources and targets; keep the other flags.

    Pairs whose score and flags did not move, and which involve no changed document, are
    left as they are (their reasons cannot have changed either)."""
    s, t = engine.corpus.sources, engine.corpus.targets
    changed_sources, changed_targets = changed
    new = {}
    for si, ti, in_source, in_target, quantised in zip(
        ranking.source_rows.tolist(),
        ranking.target_rows.tolist(),
        ranking.in_source_top.tolist(),
        ranking.in_target_top.tolist(),
        ranking.quantised.tolist(),
        strict=True,
    ):
        key = (int(s.ids[si]), *_target_key((int(t.types[ti]), int(t.ids[ti]))))
        new[key] = (si, ti, in_source, in_target, quantised)

    stored = {}
    query = Q(source_id__in=affected_sources) | _key_filter(affected_targets)
    for pk, source, kind, target, status, in_source, in_target, score in Match.objects.filter(
        query
    ).values_list(
        "pk",
        "source_id",
        "target_type",
        "target_id",
        "status",
        "in_source_top",
        "in_target_top",
        "score",
    ):
        stored[(source, kind, target)] = (pk, status, in_source, in_target, score)

    keep_rows, keep_flags, remove, unflag = [], [], [], []
    for key in new.keys() | stored.keys():
        source, kind, target = key
        si_ti = new.get(key)
        old = stored.get(key)
        in_source = bool(si_ti and si_ti[2]) if source in affected_sources else bool(old and old[2])
        in_target = (
            bool(si_ti and si_ti[3]) if (kind, target) in affected_targets else bool(old and old[3])
        )
        located = si_ti or _locate(s, t, key)
        if (
            old
            and (in_source, in_target) == (old[2], old[3])
            and source not in changed_sources
            and (kind, target) not in changed_targets
            and (si_ti is None or abs(si_ti[4] - round(old[4] * QUANTUM)) <= SCORE_TOLERANCE)
        ):
            continue  # as stored
        if (in_source or in_target) and located:
            keep_rows.append((located[0], located[1]))
            keep_flags.append((in_source, in_target))
        elif old and old[1] != MatchStatus.SUGGESTED:
            unflag.append((old[0], False, False))
        elif old:
            remove.append(old[0])

    written = 0
    if keep_rows:
        order = sorted(range(len(keep_rows)), key=keep_rows.__getitem__)
        source_rows = np.array([keep_rows[i][0] for i in order], dtype=np.int64)
        target_rows = np.array([keep_rows[i][1] for i in order], dtype=np.int64)
        flags = np.array([keep_flags[i] for i in order], dtype=bool).reshape(-1, 2)
        lookups = features.lookups()

        def rows():
            done = 0
            for chunk in explain(engine, source_rows, target_rows, lookups):
                n = len(chunk.score)
                yield from store.rows_of(
                    engine.corpus, chunk, flags[done : done + n, 0], flags[done : done + n, 1]
                )
                done += n

        written = store.upsert(rows(), run_id=run.pk)
    store.unflag(unflag)
    removed = store.delete_pairs(remove)
    return written, removed


def _locate(s, t, key):
    """(source row, target row) of a stored pair still in the corpus, else None."""
    source, kind, target = key
    source_row = s.index().get(("sme", source))
    target_row = t.index().get((kind, target))
    if source_row is None or target_row is None:
        return None
    return source_row, target_row
