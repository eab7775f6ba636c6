"""How long reading, reviewing and writing a large member list takes, and that importing the
same file again changes nothing.

    .venv/bin/python benchmarks/import_members.py                 # 10,000 rows
    .venv/bin/python benchmarks/import_members.py --rows 2000

Without DATABASE_URL it works in a throwaway SQLite database in a temporary directory (with
DATABASE_URL it uses that database and leaves the imported rows there: use a scratch one); the
uploaded files always go to a temporary directory.
The file goes through the same services as the upload page: a file this large is read and
written by the Celery tasks (eagerly, in this process, when no broker is configured).
The last line printed is:

    rows=<n> preview_s=<seconds> commit_s=<seconds> reimport_s=<seconds> reimport_changes=<n>
"""

import argparse
import os
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup(temporary_dir: str, *, migrate: bool) -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    # The uploaded files go there too, not into the project's var/media.
    os.environ["DJANGO_VAR_DIR"] = temporary_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def member_file(rows: int, tag: str) -> bytes:
    from clusters.imports import TEMPLATE_HEADERS
    from network.identifiers import cvr_check_digit_fix
    from network.models import Municipality, Organisation

    taken = set(Organisation.objects.filter(cvr__startswith="8").values_list("cvr", flat=True))
    towns = list(Municipality.objects.filter(country="DK").values_list("name", flat=True))
    lines = [";".join(TEMPLATE_HEADERS)]
    base, n = 8_000_000, 0
    while n < rows:
        cvr = cvr_check_digit_fix(str(base))
        base += 1
        if not cvr or cvr in taken:
            continue
        lines.append(
            ";".join(
                [
                    cvr,
                    f"Import {tag} {n:05d} ApS",
                    "SMV",
                    towns[n % len(towns)],
                    f"Kontakt {n} Hansen",
                    f"kontakt{n}@import-{tag}.example",
                    "+45 70 00 00 00",
                    ["Basis", "Plus"][n % 2],
                    f"2025-{1 + n % 12:02d}-01",
                ]
            )
        )
        n += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)

    temporary = tempfile.TemporaryDirectory()
    try:
        _setup(temporary.name, migrate=not os.environ.get("DATABASE_URL"))
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        from clusters import services
        from clusters.models import (
            Cluster,
            ImportBatch,
            Membership,
            MembershipTier,
            Network,
            RowOutcome,
        )
        from network.models import User

        tag = uuid.uuid4().hex[:8]
        network = Network.objects.create(name=f"Import bench {tag}", slug=f"import-{tag}")
        cluster = Cluster.objects.create(
            network=network,
            name=f"Import {tag}",
            short_name="IMP",
            slug=f"import-{tag}",
            country="DK",
        )
        for position, (name, fee) in enumerate([("Basis", 2500), ("Plus", 7500)]):
            MembershipTier.objects.create(
                cluster=cluster, name=name, annual_fee=fee, position=position
            )
        user = User.objects.create_user(email=f"import-{tag}@example.invalid", password=None)
        data = member_file(args.rows, tag)
        print(f"database={connection.vendor} file_bytes={len(data)}")

        def upload() -> tuple[ImportBatch, float]:
            started = time.perf_counter()
            batch = services.import_batch_create(
                cluster=cluster,
                actor=user,
                uploaded_file=SimpleUploadedFile("members.csv", data, "text/csv"),
            )
            batch.refresh_from_db()
            return batch, time.perf_counter() - started

        batch, preview_s = upload()
        assert batch.status == "preview", (batch.status, batch.error)
        assert batch.counts.get("new") == args.rows, batch.counts
        started = time.perf_counter()
        services.import_batch_start_commit(batch=batch, actor=user)
        batch.refresh_from_db()
        commit_s = time.perf_counter() - started
        assert batch.status == "committed", (batch.status, batch.error)
        members = Membership.objects.filter(cluster=cluster).count()
        assert members == args.rows, members
        print(f"preview {args.rows} rows: {preview_s:.1f}s, commit: {commit_s:.1f}s")

        again, reimport_s = upload()
        changes = again.rows.exclude(outcome=RowOutcome.UNCHANGED).count()
        print(f"re-import: {again.counts}")
    finally:
        temporary.cleanup()
    print(
        f"rows={args.rows} preview_s={preview_s:.2f} commit_s={commit_s:.2f} "
        f"reimport_s={reimport_s:.2f} reimport_changes={changes}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
