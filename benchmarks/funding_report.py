"""How long the funding report takes for a network of realistic size: figures, XLSX, CSV.

    .venv/bin/python benchmarks/funding_report.py                 # 3,000 members
    .venv/bin/python benchmarks/funding_report.py --members 1000

Works in a throwaway SQLite database in a temporary directory (no DATABASE_URL) with invented
rows: members of two clusters, projects with partners and contributions, activities with
participants, budgets. The report covers two years for the whole network. The last line is:

    members=<n> projects=<n> participants=<n> contributions=<n> figures_s=<s> xlsx_s=<s>
    xlsx_kib=<n> csv_s=<s> queries=<n>
"""

import argparse
import os
import random
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup(temporary_dir: str) -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["DJANGO_VAR_DIR"] = temporary_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def create(members: int) -> dict:
    from django.db import transaction

    from clusters.models import Cluster, Membership, Network
    from network.models import Organisation
    from projects.models import (
        Activity,
        ActivityParticipant,
        Budget,
        Contribution,
        Project,
        ProjectPartner,
    )

    rng = random.Random(6)
    kinds = ["sme"] * 7 + ["municipality", "hospital", "university"]
    start = date(2024, 1, 1)
    with transaction.atomic():
        network = Network.objects.create(name="Bench", slug="bench")
        clusters = [
            Cluster.objects.create(
                network=network,
                name=f"Bench {i}",
                short_name=f"B{i}",
                slug=f"bench-{i}",
                country="DK",
            )
            for i in range(2)
        ]
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Org {i}", slug=f"org-{i}", kind=rng.choice(kinds), country="DK")
            for i in range(members)
        )
        Membership.objects.bulk_create(
            Membership(
                organisation=o,
                cluster=clusters[i % 2],
                status=rng.choice(["active"] * 9 + ["lapsed"]),
                period_start=start + timedelta(days=rng.randrange(0, 700)),
                annual_fee=Decimal(rng.choice([5000, 10000, 25000])),
            )
            for i, o in enumerate(organisations)
        )
        projects = Project.objects.bulk_create(
            Project(
                title=f"Project {i}",
                status="running",
                lead_cluster=clusters[i % 2],
                start=start + timedelta(days=rng.randrange(0, 700)),
            )
            for i in range(members // 10)
        )
        ProjectPartner.objects.bulk_create(
            ProjectPartner(project=p, organisation=o)
            for p in projects
            for o in {rng.choice(organisations) for _ in range(4)}
        )
        contributions = Contribution.objects.bulk_create(
            Contribution(
                project=p,
                organisation=rng.choice(organisations),
                date=p.start + timedelta(days=rng.randrange(0, 200)),
                hours=Decimal(rng.randrange(1, 200)),
                hourly_rate=Decimal(800),
                cash=Decimal(rng.choice([0, 0, 10000])),
                currency="DKK",
                funding_source=rng.choice(["private", "region", "ministry"]),
            )
            for p in projects
            for _ in range(10)
        )
        activities = Activity.objects.bulk_create(
            Activity(
                kind="workshop",
                date=start + timedelta(days=rng.randrange(0, 730)),
                cluster=clusters[i % 2],
                title=f"Activity {i}",
            )
            for i in range(members // 5)
        )
        participants = ActivityParticipant.objects.bulk_create(
            ActivityParticipant(activity=a, organisation=o, kind=o.kind, people=rng.randint(1, 3))
            for a in activities
            for o in {rng.choice(organisations) for _ in range(15)}
        )
        for cluster in clusters:
            for source in ("ministry", "region", "private"):
                Budget.objects.create(
                    cluster=cluster,
                    funding_source=source,
                    period_start=start,
                    period_end=date(2025, 12, 31),
                    amount=Decimal(5_000_000),
                )
    return {
        "projects": len(projects),
        "participants": len(participants),
        "contributions": len(contributions),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary_dir:
        _setup(temporary_dir)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from projects import exports, reports

        counts = create(args.members)
        period = {"start": date(2024, 1, 1), "end": date(2025, 12, 31)}
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = reports.build_report(**period)
        figures_s = time.perf_counter() - began
        began = time.perf_counter()
        content = exports.report_xlsx(report, language="da")
        xlsx_s = time.perf_counter() - began
        began = time.perf_counter()
        exports.report_csv(reports.build_report(**period), language="da")
        csv_s = time.perf_counter() - began
        print(
            f"members={args.members} projects={counts['projects']} "
            f"participants={counts['participants']} contributions={counts['contributions']} "
            f"figures_s={figures_s:.2f} xlsx_s={xlsx_s:.2f} xlsx_kib={len(content) // 1024} "
            f"csv_s={csv_s:.2f} queries={len(queries.captured_queries)}"
        )


if __name__ == "__main__":
    main()
