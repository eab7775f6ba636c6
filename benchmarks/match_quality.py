"""How good the matches are: a full match run over a judged set, scored with nDCG@10.

    .venv/bin/python benchmarks/match_quality.py [--quiet] [--keep]

The judged set (benchmarks/judged/) holds 74 companies and 36 needs, test sites and knowledge
offers written in Danish, Norwegian and English, with judgements made from the texts alone
(2: clear fit, 1: partial fit, 0: judged not relevant; unjudged pairs count as 0). Distractors
share generic words ("borgere", "hjemme", "pasienter", "løsningen") or a place with a target.

The script loads the set into a scratch database through the portal's own services
(organisation_save, need_save, offer_save; everything published), runs a full match run
(match_run_full_now, the code the Celery task calls) and reads each target's list as its
owner sees it: the stored matches by score. It prints every target's top 10 with the grades
and the reasons' words, the share of relevant pairs found in the top 10 within one language
and across languages, and, last:

    ndcg10=<x> p5=<x> r10=<x> baseline_ndcg10=<x> targets=<n> pairs=<n>

nDCG@10 uses gains 2^grade - 1; p5 counts grades >= 1 in the top 5; r10 is the share of the
relevant pairs in the top 10. The baseline ranks the same texts by plain TF-IDF cosine
(lower-cased words, no stemming, no stop words). Without DATABASE_URL the scratch database is a
temporary SQLite file, migrated first and removed after (`--keep` keeps it).
"""

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "benchmarks" / "judged"
FOCUS = {
    "P": "prevention-predictive-health",
    "E": "equality-near-citizen",
    "D": "health-data",
    "T": "personalised-treatment",
}
COUNTRY_OF = {
    "København": "DK",
    "Odense": "DK",
    "Aarhus": "DK",
    "Aalborg": "DK",
    "Vejle": "DK",
    "Esbjerg": "DK",
    "Kolding": "DK",
    "Oslo": "NO",
    "Bergen": "NO",
    "Trondheim": "NO",
    "Tromsø": "NO",
    "Stavanger": "NO",
}


def load_judged() -> tuple[list, list]:
    companies = json.loads((JUDGED / "companies.json").read_text(encoding="utf-8"))
    targets = json.loads((JUDGED / "targets.json").read_text(encoding="utf-8"))
    return companies, targets


# -- metrics (pure) ----------------------------------------------------------------------------
def dcg(gains: list[float]) -> float:
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at(ranked: list[str], judged: dict, k: int = 10) -> float:
    gains = [2 ** judged.get(key, 0) - 1 for key in ranked[:k]]
    ideal = sorted((2**grade - 1 for grade in judged.values()), reverse=True)[:k]
    best = dcg(ideal)
    return dcg(gains) / best if best else 0.0


def precision_at(ranked: list[str], judged: dict, k: int = 5) -> float:
    return sum(1 for key in ranked[:k] if judged.get(key, 0) > 0) / k


def recall_at(ranked: list[str], judged: dict, k: int = 10) -> float:
    relevant = {key for key, grade in judged.items() if grade > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


# -- baseline: plain TF-IDF cosine -------------------------------------------------------------
WORD = re.compile(r"\w{2,}")


def tfidf_rankings(companies: list, targets: list) -> dict:
    texts = {c["key"]: c["text"] for c in companies}
    texts |= {t["key"]: f"{t['title']}\n{t['text']}" for t in targets}
    bags = {key: Counter(WORD.findall(text.lower())) for key, text in texts.items()}
    df = Counter(word for bag in bags.values() for word in bag)
    n = len(bags)
    vectors = {}
    for key, bag in bags.items():
        vector = {w: c * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors[key] = {w: v / norm for w, v in vector.items()}
    out = {}
    for target in targets:
        tv = vectors[target["key"]]
        scored = []
        for company in companies:
            cv = vectors[company["key"]]
            cosine = sum(v * cv.get(w, 0.0) for w, v in tv.items())
            if cosine > 0:
                scored.append((-cosine, company["key"]))
        out[target["key"]] = [key for _s, key in sorted(scored)]
    return out


# -- loading through the services --------------------------------------------------------------
def _setup(keep: bool) -> str | None:
    warnings.filterwarnings("ignore", message="No directory at")
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        handle, scratch = tempfile.mkstemp(prefix="match_quality_", suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    template = _migrated_template()
    if scratch and template.exists():
        shutil.copyfile(template, scratch)
    call_command("migrate", verbosity=0, interactive=False)
    if scratch and not template.exists():
        shutil.copyfile(scratch, template)  # the next run skips migrating from scratch
    return scratch


def _migrated_template() -> Path:
    """A migrated empty SQLite database, named by the migration files it has seen."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/0*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return Path(tempfile.gettempdir()) / f"match_quality_{digest.hexdigest()[:12]}.sqlite3"


def load_into_database(companies: list, targets: list) -> tuple[dict, dict]:
    """Create every company and target through the services; ({key: pk}, {key: (type, pk)})."""
    from django.db import transaction

    from matchmaking.models import Need
    from matchmaking.services import need_save
    from network.models import FocusArea, KnowledgeOffer, Municipality, Organisation, TestSite
    from network.models.moderation import ReviewStatus
    from network.services import offer_save, organisation_save

    focus = {slug: area for area in FocusArea.objects.all() for slug in [area.slug]}
    municipalities = {
        (m.country, m.name): m for m in Municipality.objects.filter(name__in=COUNTRY_OF)
    }

    def place(name):
        return municipalities[(COUNTRY_OF[name], name)]

    published = {"is_published": True, "review_status": ReviewStatus.PUBLISHED}
    company_ids, target_ids = {}, {}
    with transaction.atomic():
        for row in companies:
            municipality = place(row["muni"])
            organisation = Organisation(
                name=f"Judged company {row['key']}",
                kind="sme",
                country=municipality.country,
                municipality=municipality,
                description=row["text"],
                language=row["lang"],
                readiness_level=row["trl"],
                **published,
            )
            organisation_save(
                organisation=organisation,
                focus_areas=[focus[FOCUS[f]] for f in row["focus"]],
                tags=[],
            )
            company_ids[row["key"]] = organisation.pk
        for row in targets:
            municipality = place(row["muni"])
            owner = Organisation(
                name=f"Judged {row['owner']} {row['key']}",
                kind=row["owner"],
                country=municipality.country,
                municipality=municipality,
                language=row["lang"],
                **published,
            )
            organisation_save(organisation=owner, focus_areas=[], tags=[])
            areas = [focus[FOCUS[f]] for f in row["focus"]]
            common = {"owner": owner, "language": row["lang"], "trl_min": 3, "trl_max": 9}
            if row["type"] == "need":
                need = Need(
                    title=row["title"],
                    description=row["text"],
                    status="open",
                    visibility="public",
                    **common,
                    **published,
                )
                need_save(need=need, focus_areas=areas, tags=[])
                target_ids[row["key"]] = ("need", need.pk)
            elif row["type"] == "test_site":
                site = TestSite(
                    name=row["title"],
                    description=row["text"],
                    site_type="nursing_home",
                    capacity=2,
                    **common,
                    **published,
                )
                offer_save(offer=site, focus_areas=areas, tags=[])
                target_ids[row["key"]] = ("test_site", site.pk)
            else:
                offer = KnowledgeOffer(
                    title=row["title"],
                    competence=row["text"],
                    method="clinical_study",
                    **common,
                    **published,
                )
                offer_save(offer=offer, focus_areas=areas, tags=[])
                target_ids[row["key"]] = ("knowledge_offer", offer.pk)
    return company_ids, target_ids


def engine_rankings(company_ids: dict, target_ids: dict) -> tuple[dict, dict]:
    """Each target's companies by stored score (its owner's list); and the pairs' reasons."""
    from matchmaking.models import Match

    key_of = {pk: key for key, pk in company_ids.items()}
    rankings, reasons = {}, {}
    for key, (target_type, pk) in target_ids.items():
        matches = (
            Match.objects.filter(target_type=target_type, target_id=pk)
            .order_by("-score", "source_id")
            .values_list("source_id", "score", "reasons")
        )
        rankings[key] = [key_of[source] for source, _score, _r in matches if source in key_of]
        for source, score, why in matches:
            if source in key_of:
                reasons[(key, key_of[source])] = (score, why)
    return rankings, reasons


def component_table(company_ids: dict, target_ids: dict):
    """Every component's value for every company x target pair, as the engine computes them:
    (company keys, target keys, array targets x companies x components)."""
    import numpy as np
    from django.utils import timezone

    from matchmaking import features
    from matchmaking.scoring.components import COMPONENTS
    from matchmaking.scoring.corpus import Corpus
    from matchmaking.scoring.engine import Engine, Settings
    from matchmaking.scoring.explain import Lookups, explain

    corpus = Corpus.build(features.load_sources(), features.load_targets())
    engine = Engine(corpus, Settings(min_score=0.0, today=timezone.localdate().toordinal()))
    s, t = corpus.sources, corpus.targets
    rows = np.repeat(np.arange(s.n), t.n)
    columns = np.tile(np.arange(t.n), s.n)
    table = np.zeros((t.n, s.n, len(COMPONENTS)))
    for chunk in explain(engine, rows, columns, Lookups()):
        for n in range(len(chunk.score)):
            values = json.loads(chunk.components[n])
            table[chunk.target_rows[n], chunk.source_rows[n]] = [values[c] for c in COMPONENTS]
    company_of = {pk: key for key, pk in company_ids.items()}
    target_of = {pair: key for key, pair in target_ids.items()}
    companies = [company_of[int(pk)] for pk in s.ids]
    names = {1: "need", 2: "test_site", 3: "knowledge_offer"}
    targets = [target_of[(names[int(k)], int(pk))] for k, pk in zip(t.types, t.ids, strict=True)]
    return companies, targets, table


def tune(company_ids: dict, target_ids: dict, judged_targets: list) -> None:
    """nDCG@10 of a grid of weights over the same pairs; prints the best few."""
    import itertools

    import numpy as np

    from matchmaking.scoring.components import COMPONENTS

    companies, targets, table = component_table(company_ids, target_ids)
    judged = {t["key"]: t["judged"] for t in judged_targets}
    common = (table[:, :, :3] > 0).any(axis=2)  # focus, tags or text in common
    grid = {
        "focus": (0.0, 0.02, 0.05, 0.1, 0.25),
        "tags": (0.15,),
        "text": (0.25, 0.5, 0.8),
        "geography": (0.0, 0.02, 0.05, 0.15),
        "readiness": (0.0, 0.02, 0.05, 0.1),
        "availability": (0.0, 0.02, 0.1),
        "feedback": (0.0,),
    }

    def per_target(combination) -> np.ndarray:
        weights = np.array(combination)
        scores = table @ (weights / weights.sum())
        scores[~common] = -1
        values = np.zeros(len(targets))
        for row, key in enumerate(targets):
            order = np.lexsort((np.arange(len(companies)), -scores[row]))
            ranked = [companies[i] for i in order if scores[row, i] >= 0]
            values[row] = ndcg_at(ranked, judged[key])
        return values

    combinations = list(itertools.product(*(grid[c] for c in COMPONENTS)))
    values = np.array([per_target(combination) for combination in combinations])
    results = sorted(zip(values.mean(axis=1).tolist(), combinations, strict=True), reverse=True)
    # Held out: choose on every other target, measure on the rest (and the other way round),
    # so the figure is not only the set the weights were chosen on.
    halves = np.arange(len(targets)) % 2 == 0
    held_out = []
    for chosen_on in (halves, ~halves):
        best = int(np.argmax(values[:, chosen_on].mean(axis=1)))
        held_out.append(values[best, ~chosen_on].mean())
    print(f"held-out nDCG@10 (weights chosen on the other half): {np.mean(held_out):.3f}")
    print("best weights on the judged set (nDCG@10; focus tags text geography readiness ...):")
    for value, combination in results[:10]:
        pairs = zip(COMPONENTS, combination, strict=True)
        print(f"  {value:.3f} " + " ".join(f"{c}={w}" for c, w in pairs))
    old = (0.25, 0.15, 0.25, 0.15, 0.1, 0.1, 0.0)
    print(f"  previous defaults: {dict(results_lookup(results)).get(old, 'not in grid')}")


def results_lookup(results):
    return [(combination, round(value, 3)) for value, combination in results]


def _words(why: dict) -> str:
    text = why.get("text", {})
    concepts = [concept["en"] for concept in text.get("concepts", [])]
    return ", ".join(concepts + [f"'{word}'" for word in text.get("terms", [])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="only the summary lines")
    parser.add_argument("--keep", action="store_true", help="keep the scratch SQLite file")
    parser.add_argument("--tune", action="store_true", help="also search a grid of weights")
    args = parser.parse_args()
    companies, targets = load_judged()
    scratch = _setup(args.keep)
    try:
        from matchmaking.models import RunTrigger
        from matchmaking.services import match_run_full_now

        company_ids, target_ids = load_into_database(companies, targets)
        run = match_run_full_now(trigger=RunTrigger.COMMAND)
        if run is None or run.status != "succeeded":
            raise SystemExit(f"full run failed: {run and run.error}")
        rankings, reasons = engine_rankings(company_ids, target_ids)
        if args.tune:
            tune(company_ids, target_ids, targets)
    finally:
        if scratch and not args.keep:
            Path(scratch).unlink(missing_ok=True)
    baseline = tfidf_rankings(companies, targets)
    language = {c["key"]: c["lang"] for c in companies}

    totals = Counter()
    found = Counter()
    relevant_by_kind = Counter()
    for target in targets:
        key, judged = target["key"], target["judged"]
        ranked = rankings[key]
        totals["ndcg"] += ndcg_at(ranked, judged)
        totals["p5"] += precision_at(ranked, judged)
        totals["r10"] += recall_at(ranked, judged)
        totals["baseline"] += ndcg_at(baseline[key], judged)
        for company, grade in judged.items():
            if grade > 0:
                kind = "same" if language[company] == target["lang"] else "cross"
                relevant_by_kind[kind] += 1
                found[kind] += company in ranked[:10]
        if args.quiet:
            continue
        print(f"\n{key} [{target['lang']}, {target['type']}] {target['title']}")
        own, plain = ndcg_at(ranked, judged), ndcg_at(baseline[key], judged)
        print(f"  nDCG@10 {own:.3f}  baseline {plain:.3f}")
        for rank, company in enumerate(ranked[:10], 1):
            score, why = reasons[(key, company)]
            grade = judged.get(company, "-")
            lang = language[company]
            print(f"  {rank:2}. {company} [{lang}] g={grade} {score:.3f}  {_words(why)}")
        missed = [c for c, g in judged.items() if g > 0 and c not in ranked[:10]]
        if missed:
            print(f"  missed: {', '.join(missed)}")
    n = len(targets)
    pairs = sum(len(t["judged"]) for t in targets)
    same = found["same"] / max(relevant_by_kind["same"], 1)
    cross = found["cross"] / max(relevant_by_kind["cross"], 1)
    print(f"\nrelevant pairs in the top 10: same language {same:.2f}, across languages {cross:.2f}")
    print(
        f"ndcg10={totals['ndcg'] / n:.3f} p5={totals['p5'] / n:.3f} r10={totals['r10'] / n:.3f} "
        f"baseline_ndcg10={totals['baseline'] / n:.3f} targets={n} pairs={pairs}"
    )


if __name__ == "__main__":
    main()
