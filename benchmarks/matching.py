"""How fast the matching engine is on the large demo: full run, incremental run, naive loop.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_match \\
        .venv/bin/python benchmarks/matching.py [--seed] [--incremental-runs 5] [--sample 300]

Needs a scratch database with `seed_demo --size large` in it (`--seed` runs it first when the
database has fewer than 10,000 companies). It then

1. times a full run (read every profile and target, score all pairs, keep the top K both
   ways, explain and write the matches) through the same service the Celery task calls;
2. times incremental runs: one company edits its profile through the directory's service and
   the run its commit queues is executed (median of several companies);
3. times the engine's scoring alone (every pair, top K per company and per target) and a
   naive pure-Python loop (dicts and sets, a heap per company) computing the same components
   for a sample of companies against every target; `speedup_vs_naive` compares their time per
   pair (neither reads nor writes the database); the ratio to the whole full run is printed too.

The full run is timed twice: first as a complete rewrite (as after a deployment that changed
the code: every kept pair is explained, streamed and compared with the stored match; only
those that differ are updated), then again with nothing changed (the nightly case: only pairs
whose score, lists or documents changed are even explained). The last line reports the
complete rewrite; the line before it, its phases (wall clock).

Peak memory is the process's maximum resident set size. The last line printed is:

    full_run_s=<s> incremental_s=<s> speedup_vs_naive=<x> peak_mib=<MiB> pairs=<n>
"""

import argparse
import heapq
import math
import os
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup() -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full_run():
    from matchmaking.models import RunTrigger
    from matchmaking.services import match_run_full_now

    started = time.perf_counter()
    run = match_run_full_now(trigger=RunTrigger.COMMAND)
    seconds = time.perf_counter() - started
    if run is None or run.status != "succeeded":
        raise SystemExit(f"full run failed: {run and run.error}")
    return run, seconds


def incremental_runs(count: int) -> list[float]:
    """Edit `count` companies' profiles one by one; time the run each commit queues."""
    from django.db import transaction

    from matchmaking import services
    from network.models import Organisation
    from network.services import organisation_save

    ids = list(
        Organisation.objects.filter(kind="sme", is_public=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    step = max(1, len(ids) // count)
    timings = []
    queued = []
    # Keep the run the commit queues instead of sending it, and execute it here, timed.
    services._enqueue = lambda run: queued.append(run.pk)
    for pk in ids[::step][:count]:
        organisation = Organisation.objects.get(pk=pk)
        organisation.description += " Vi tilbyder nu også sensorer til faldforebyggelse."
        with transaction.atomic():
            organisation_save(
                organisation=organisation,
                focus_areas=list(organisation.focus_areas.all()),
                tags=list(organisation.tags.all()),
            )
        while queued:
            started = time.perf_counter()
            run = services.match_run_execute(run_id=queued.pop())
            timings.append(time.perf_counter() - started)
            if run and run.status != "succeeded":
                raise SystemExit(f"incremental run failed: {run.error}")
    return timings


def engine_scoring() -> tuple[float, int]:
    """The engine's scoring alone, the same work as the naive loop: (seconds, pairs)."""
    from django.utils import timezone

    from matchmaking import snapshot
    from matchmaking.models import MatchCriteria
    from matchmaking.scoring.components import Weights
    from matchmaking.scoring.engine import Engine, Settings

    criteria = MatchCriteria.current()
    corpus = snapshot.build()
    settings = Settings(
        weights=Weights.from_dict(criteria.weights()),
        top_k=criteria.top_k,
        min_score=criteria.min_score,
        today=timezone.localdate().toordinal(),
    )
    started = time.perf_counter()
    Engine(corpus, settings).rank_full()
    return time.perf_counter() - started, corpus.sources.n * corpus.targets.n


def naive_loop(sample: int, top_k: int) -> tuple[float, int]:
    """The same components with dicts and sets, pair by pair; (seconds, pairs)."""
    from datetime import date

    from matchmaking import snapshot
    from matchmaking.scoring import components as comp

    corpus = snapshot.build()
    s, t = corpus.sources, corpus.targets
    weights = comp.Weights().normalised().tolist()
    today = date.today().toordinal()

    def rows(matrix):
        matrix = matrix.tocsr()
        return [
            dict(
                zip(
                    matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]].tolist(),
                    matrix.data[matrix.indptr[i] : matrix.indptr[i + 1]].tolist(),
                    strict=True,
                )
            )
            for i in range(matrix.shape[0])
        ]

    def sets(matrix):
        matrix = matrix.tocsr()
        return [
            set(matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]].tolist())
            for i in range(matrix.shape[0])
        ]

    n = min(sample, s.n)
    s_text, t_text = rows(s.text[:n]), rows(t.text)
    s_focus, t_focus = sets(s.focus[:n]), sets(t.focus)
    s_tags, t_tags = sets(s.tags[:n]), sets(t.tags)
    targets = [
        (
            t_text[j],
            t_focus[j],
            t_tags[j],
            int(t.municipality[j]),
            int(t.region[j]),
            int(t.country[j]),
            int(t.trl_min[j]),
            int(t.trl_max[j]),
            int(t.deadline[j]),
        )
        for j in range(t.n)
    ]

    def overlap(a, b):
        return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0

    started = time.perf_counter()
    for i in range(n):
        text_i, focus_i, tags_i = s_text[i], s_focus[i], s_tags[i]
        mun, reg, cty, trl = (
            int(s.municipality[i]),
            int(s.region[i]),
            int(s.country[i]),
            int(s.trl[i]),
        )
        heap = []
        for j, (text_j, focus_j, tags_j, t_mun, t_reg, t_cty, low, high, deadline) in enumerate(
            targets
        ):
            if deadline and deadline < today:
                continue
            cosine = sum(w * text_j.get(term, 0.0) for term, w in text_i.items())
            focus, tags = overlap(focus_i, focus_j), overlap(tags_i, tags_j)
            if not (focus or tags or cosine):
                continue
            level = (cty and cty == t_cty) + (reg and reg == t_reg) + (mun and mun == t_mun)
            if trl:
                distance = max(low - trl, trl - high, 0)
                if distance >= 3:
                    continue
                ready = (1.0, 0.5, 0.2)[distance]
            else:
                ready = 0.5
            avail = 1.0 if not deadline else 0.5 + 0.5 * min(max(deadline - today, 0), 14) / 14
            score = (
                weights[0] * focus
                + weights[1] * tags
                + weights[2] * min(cosine / comp.TEXT_FULL, 1.0)
                + weights[3] * (0.0, 0.3, 0.6, 1.0)[level]
                + weights[4] * ready
                + weights[5] * avail
                + weights[6] * 0.5
            )
            if len(heap) < top_k:
                heapq.heappush(heap, (score, j))
            elif score > heap[0][0]:
                heapq.heapreplace(heap, (score, j))
    return time.perf_counter() - started, n * t.n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="store_true", help="seed_demo --size large if needed")
    parser.add_argument("--incremental-runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=300, help="companies in the naive loop")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a scratch PostgreSQL database (see the docstring).")
    _setup()

    from django.core.management import call_command

    from matchmaking.models import MatchCriteria
    from network.models import Organisation

    if Organisation.objects.filter(kind="sme").count() < 10_000:
        if not args.seed:
            raise SystemExit("Fewer than 10,000 companies: run seed_demo --size large (--seed).")
        call_command("seed_demo", size="large", verbosity=1, force=True)  # a scratch database

    from django.core.cache import cache

    from matchmaking import store

    cache.delete(store.LOOKUPS_KEY)  # the first run rewrites everything, as after a deploy
    run, full_s = full_run()
    print(
        f"full run: {run.sources_count} companies x {run.targets_count} targets, "
        f"{run.matches_written} matches written, {run.matches_removed} removed, {full_s:.2f} s"
    )
    from matchmaking import store as match_store

    print("phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in match_store.PHASES.items()))
    started = time.perf_counter()
    if match_store.vacuum():  # in production a task of its own, queued by the rewrite
        print(f"vacuum after the rewrite (a separate task): {time.perf_counter() - started:.2f} s")
    again, again_s = full_run()
    print(
        f"full run again (nothing changed): {again.matches_written} matches written, "
        f"{again.matches_removed} removed, {again_s:.2f} s"
    )
    timings = incremental_runs(args.incremental_runs)
    incremental_s = statistics.median(timings)
    print("incremental runs: " + ", ".join(f"{t:.3f}" for t in timings) + " s")
    engine_s, engine_pairs = engine_scoring()
    naive_s, naive_pairs = naive_loop(args.sample, MatchCriteria.current().top_k)
    per_pair_naive = naive_s / max(naive_pairs, 1)
    per_pair_engine = engine_s / max(engine_pairs, 1)
    pairs = run.pairs_scored
    per_pair_full = full_s / max(pairs, 1)
    print(
        f"engine scoring alone (all pairs, top K both ways): {engine_s:.2f} s, "
        f"{per_pair_engine * 1e9:.0f} ns/pair"
    )
    print(
        f"naive loop: {naive_pairs} pairs in {naive_s:.2f} s, {per_pair_naive * 1e9:.0f} ns/pair: "
        f"{per_pair_naive / per_pair_engine:.0f}x the engine's scoring, "
        f"{per_pair_naive / per_pair_full:.0f}x the whole full run's time per pair"
    )
    print(
        f"full_run_s={full_s:.2f} incremental_s={incremental_s:.3f} "
        f"speedup_vs_naive={per_pair_naive / per_pair_engine:.0f} peak_mib={_peak_mib():.0f} "
        f"pairs={pairs}"
    )


if __name__ == "__main__":
    main()
