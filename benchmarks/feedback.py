"""What past feedback costs the engine: full-run blocks with and without the provider.

    .venv/bin/python benchmarks/feedback.py [--sources 4000] [--targets 3000] [--ratings 20000]

Builds a synthetic corpus (no database), a provider with `--ratings` pair ratings and a
meeting lift for one SME in ten, and times `Engine.rank_full()` with the neutral provider and
with the real one, built inside the timing (feedback weight 0.1 in both, so the only
difference is the provider); median of three interleaved runs after a warm-up.
The last line printed is:

    neutral_s=<s> feedback_s=<s> overhead_pct=<%> ratings=<n> pairs=<n>
"""

import argparse
import os
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


WORDS = [
    "fald",
    "sensor",
    "nat",
    "hjem",
    "pleje",
    "diabetes",
    "app",
    "insulin",
    "kol",
    "ilt",
    "puls",
    "demens",
    "robot",
    "skærm",
    "rehabilitering",
    "træning",
    "video",
    "data",
    "platform",
    "hospital",
    "ambulatorium",
    "borger",
    "medicin",
    "dosering",
    "alarm",
    "hjemmepleje",
    "genoptræning",
    "lunge",
    "hjerte",
    "søvn",
    "ernæring",
]


def corpus(n_sources: int, n_targets: int, rng):
    from matchmaking.scoring.corpus import Corpus, Document

    def text():
        return " ".join(rng.choice(WORDS, size=12))

    sources = [
        Document(
            "sme",
            i + 1,
            text=text(),
            focus=tuple(rng.choice(4, size=2, replace=False) + 1),
            trl=int(rng.integers(1, 10)),
        )
        for i in range(n_sources)
    ]
    kinds = ("need", "test_site", "knowledge_offer")
    targets = [
        Document(
            kinds[i % 3],
            i + 1,
            text=text(),
            focus=tuple(rng.choice(4, size=2, replace=False) + 1),
        )
        for i in range(n_targets)
    ]
    return Corpus.build(sources, targets)


def main() -> None:
    _setup()
    import numpy as np

    from matchmaking.feedback import NOT_RELEVANT, USEFUL, PastFeedback
    from matchmaking.scoring.components import Weights
    from matchmaking.scoring.engine import Engine, Settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=4000)
    parser.add_argument("--targets", type=int, default=3000)
    parser.add_argument("--ratings", type=int, default=20000)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    c = corpus(args.sources, args.targets, rng)
    t_types = {1: "need", 2: "test_site", 3: "knowledge_offer"}
    ratings = [
        (
            int(rng.integers(1, args.sources + 1)),
            t_types[int(c.targets.types[row])],
            int(c.targets.ids[row]),
            NOT_RELEVANT if rng.random() < 0.5 else USEFUL,
        )
        for row in rng.integers(0, c.targets.n, size=args.ratings)
    ]
    meetings = [(sme, "test_site", 1) for sme in range(1, args.sources + 1, 10)]
    settings = Settings(weights=Weights(feedback=0.1), top_k=25, min_score=0.2)

    def timed(make) -> float:
        started = time.perf_counter()
        make().rank_full()
        return time.perf_counter() - started

    timed(lambda: Engine(c, settings))  # warm-up
    neutral_times, feedback_times = [], []
    for _ in range(3):  # interleaved, median of three
        neutral_times.append(timed(lambda: Engine(c, settings)))
        feedback_times.append(
            timed(
                lambda: Engine(
                    c, settings, PastFeedback.build(c, ratings=ratings, meetings=meetings)
                )
            )
        )
    neutral = statistics.median(neutral_times)
    with_feedback = statistics.median(feedback_times)

    print(
        f"neutral_s={neutral:.2f} feedback_s={with_feedback:.2f} "
        f"overhead_pct={100 * (with_feedback - neutral) / neutral:.1f} "
        f"ratings={args.ratings} pairs={c.sources.n * c.targets.n}"
    )


if __name__ == "__main__":
    main()
