"""How long the member-list export takes, and how much memory it needs, for many members.

    .venv/bin/python benchmarks/export.py                  # 10,000 members
    .venv/bin/python benchmarks/export.py --members 2000

Without DATABASE_URL it works in a throwaway SQLite database in a temporary directory. With
DATABASE_URL (a scratch PostgreSQL database) it adds its own cluster, organisations and
memberships there and deletes them again afterwards.

Both exports are requested through the real URLs as a signed-in cluster manager and read to
the end; CSV is streamed, XLSX written to a temporary file and then streamed. Timings come from
a first pass; peak memory (tracemalloc: Python allocations during the export) from a second.
The last line printed is:

    members=<n> csv_s=<seconds> xlsx_s=<seconds> peak_mib=<MiB>
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
import warnings
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup(temporary_dir: str | None) -> None:
    # Static files are not collected in a throwaway directory, and the export needs none.
    warnings.filterwarnings("ignore", message="No directory at")
    if temporary_dir:
        os.environ["DJANGO_VAR_DIR"] = temporary_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if temporary_dir:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def _valid_cvrs(count: int):
    """Valid CVR numbers of the form 9xxxxxxx that no organisation in the database has."""
    from network.identifiers import cvr_check_digit_fix
    from network.models import Organisation

    taken = set(Organisation.objects.filter(cvr__startswith="9").values_list("cvr", flat=True))
    found, base = [], 9_000_000
    while len(found) < count:
        cvr = cvr_check_digit_fix(str(base))
        if cvr and cvr not in taken:
            found.append(cvr)
        base += 1
    return found


def create_members(count: int, tag: str) -> dict:
    """A cluster with `count` active members, each with focus areas and a contact person."""
    from django.db import transaction

    from clusters.models import Cluster, ClusterStaff, Membership, MembershipTier, Network
    from network.models import FocusArea, Municipality, Organisation, Person, User

    batch = 2000
    with transaction.atomic():
        network = Network.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
        cluster = Cluster.objects.create(
            network=network,
            name=f"Bench cluster {tag}",
            short_name="BENCH",
            slug=f"bench-{tag}",
            country="DK",
        )
        tiers = [
            MembershipTier.objects.create(cluster=cluster, name=name, annual_fee=fee, position=i)
            for i, (name, fee) in enumerate([("Basis", 2500), ("Plus", 7500), ("Premium", 15000)])
        ]
        user = User.objects.create_user(email=f"bench-{tag}@example.invalid", password=None)
        ClusterStaff.objects.create(user=user, cluster=cluster, role="manager")
        # Cluster staff must have an authenticator before they reach staff pages.
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(user, generate_totp_secret())
        municipalities = list(Municipality.objects.filter(country="DK"))
        areas = list(FocusArea.objects.all())
        cvrs = _valid_cvrs(count)
        organisations = []
        for n, cvr in enumerate(cvrs):
            municipality = municipalities[n % len(municipalities)]
            organisations.append(
                Organisation(
                    name=f"Benchmark Sundhed {n:05d} ApS",
                    slug=f"bench-{tag}-{n}",
                    kind="sme",
                    country="DK",
                    cvr=cvr,
                    municipality=municipality,
                    region_id=municipality.region_id,
                    description="",
                )
            )
        Organisation.objects.bulk_create(organisations, batch_size=batch)
        organisations = list(
            Organisation.objects.filter(slug__startswith=f"bench-{tag}-").order_by("pk")
        )
        through = Organisation.focus_areas.through
        through.objects.bulk_create(
            [
                through(organisation_id=o.pk, focusarea_id=area.pk)
                for n, o in enumerate(organisations)
                for area in areas[: 1 + n % 3]
            ],
            batch_size=batch,
        )
        people = Person.objects.bulk_create(
            [
                Person(
                    first_name=f"Kontakt{n}",
                    last_name="Benchmark",
                    email=f"kontakt{n}@bench-{tag}.example",
                    phone="+45 70 00 00 00",
                )
                for n in range(count)
            ],
            batch_size=batch,
        )
        if people[0].pk is None:
            people = list(Person.objects.filter(email__endswith=f"@bench-{tag}.example"))
        Membership.objects.bulk_create(
            [
                Membership(
                    organisation=o,
                    cluster=cluster,
                    tier=tiers[n % 3],
                    annual_fee=tiers[n % 3].annual_fee,
                    status="active",
                    period_start=date(2025, 1 + n % 12, 1),
                    period_end=date(2025 + (n % 12 + 12) // 12, (n % 12 + 12) % 12 + 1, 1)
                    - timedelta(days=1),
                    primary_contact=people[n],
                )
                for n, o in enumerate(organisations)
            ],
            batch_size=batch,
        )
    return {"cluster": cluster, "user": user, "network": network, "tag": tag}


def delete_members(created: dict) -> None:
    from clusters.models import Membership
    from network.models import Organisation, Person

    tag = created["tag"]
    Membership.objects.filter(cluster=created["cluster"]).delete()
    Membership.history.filter(cluster_id=created["cluster"].pk).delete()
    created["cluster"].delete()
    created["network"].delete()
    Organisation.objects.filter(slug__startswith=f"bench-{tag}-").delete()
    Person.objects.filter(email__endswith=f"@bench-{tag}.example").delete()
    created["user"].delete()


def _read(response) -> int:
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    if hasattr(response, "close"):
        response.close()
    return size


def run_export(client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = _read(response)
    return time.perf_counter() - started, size


def verify(client, csv_url: str, xlsx_url: str, members: int) -> None:
    """Both files hold a header row and one row per member."""
    import io

    from openpyxl import load_workbook

    text = b"".join(client.get(csv_url).streaming_content).decode("utf-8-sig")
    lines = text.count("\n")
    assert lines == members + 1, f"CSV has {lines} lines for {members} members"
    data = b"".join(client.get(xlsx_url).streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = sum(1 for _ in sheet.iter_rows(values_only=True))
    assert rows == members + 1, f"XLSX has {rows} rows for {members} members"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--no-verify", action="store_true", help="skip reading the files back")
    args = parser.parse_args(argv)

    temporary = None if os.environ.get("DATABASE_URL") else tempfile.TemporaryDirectory()
    try:
        _setup(temporary.name if temporary else None)
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        tag = uuid.uuid4().hex[:8]
        started = time.perf_counter()
        created = create_members(args.members, tag)
        print(
            f"database={connection.vendor} created {args.members} members in "
            f"{time.perf_counter() - started:.1f}s"
        )
        try:
            client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0].strip("[]"))
            client.force_login(created["user"])
            slug = created["cluster"].slug
            csv_url = reverse("clusters:member_export_csv", args=[slug])
            xlsx_url = reverse("clusters:member_export_xlsx", args=[slug])
            csv_s, csv_bytes = run_export(client, csv_url)
            xlsx_s, xlsx_bytes = run_export(client, xlsx_url)
            print(f"csv_bytes={csv_bytes} xlsx_bytes={xlsx_bytes}")

            tracemalloc.start()
            peaks = []
            for url in (csv_url, xlsx_url):
                tracemalloc.reset_peak()
                baseline = tracemalloc.get_traced_memory()[0]
                run_export(client, url)
                peaks.append(tracemalloc.get_traced_memory()[1] - baseline)
            tracemalloc.stop()
            rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"peak_csv_mib={peaks[0] / 2**20:.1f} peak_xlsx_mib={peaks[1] / 2**20:.1f} "
                f"max_rss_mib={rss_mib:.0f} (whole process, incl. creating the data)"
            )
            if not args.no_verify:
                verify(client, csv_url, xlsx_url, args.members)
        finally:
            delete_members(created)
    finally:
        if temporary:
            temporary.cleanup()
    peak_mib = max(peaks) / 2**20
    print(f"members={args.members} csv_s={csv_s:.2f} xlsx_s={xlsx_s:.2f} peak_mib={peak_mib:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
