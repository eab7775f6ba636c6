"""Files cross processes through the bucket, the way the compose deployment runs: an S3 server in
a process of its own (moto's standalone server on loopback), the portal on `web` (this test
process) and a real `celery worker` process on Redis. A member file uploaded on web is read,
previewed and imported by the worker; a report the worker writes is served back by web through
the portal's permission check. Nothing lands on either process's local disk."""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from django.core.files.storage import storages
from django.urls import reverse

from clusters.models import ImportBatch, ImportStatus, Membership
from clusters.services import importing
from projects.models import ReportExport
from tests.clusters.factories import csv_upload, valid_cvr
from tests.fault.processes import free_port, wait_for
from tests.projects import report_data
from tests.s3 import keys, make_bucket

pytestmark = pytest.mark.broker
ROWS = 800  # long names: about 220 KB, over the 200 KB that web reads itself
FILLER = "Sundheds- og Velfærdsteknologisk Udvikling og Afprøvning i Kommuner og Hospitaler " * 2


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3-compatible server as a separate process, as MinIO would run beside the portal."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, tmp_path):
    """A fresh bucket, configured through the environment, which the worker process inherits."""
    settings.MEDIA_ROOT = tmp_path / "web-media"
    client, name = make_bucket(s3_server, settings, monkeypatch)
    storages._storages.clear()
    return client, name, tmp_path


@pytest.fixture
def worker(bucket, celery_worker_process):
    """The worker starts after the bucket's environment is set, so it stores in the bucket."""
    return celery_worker_process


def _nothing_on_disk(tmp_path, key):
    """Neither web's media directory nor the worker's (its settings' default) holds the file."""
    worker_media = Path(os.environ["DJANGO_MEDIA_ROOT"])  # tests/settings.py
    return not (tmp_path / "web-media").exists() and not (worker_media / key).exists()


def test_an_import_goes_from_web_to_a_real_worker_through_the_bucket(
    client, cluster, manager, basic, bucket, worker, monkeypatch
):
    s3, name, tmp_path = bucket
    monkeypatch.setattr(importing, "INLINE_MAX_ROWS", 5)  # web hands the commit over too
    rows = [
        [
            valid_cvr(300 + n),
            f"Arbejder Lager {n} {FILLER}ApS",
            "SMV",
            "Aalborg",
            f"Kontakt Person {n}",
            f"kontakt.{n}@arbejder-lager.example",
            "",
            "Basis",
            "2026-01-01",
        ]
        for n in range(ROWS)
    ]
    upload = csv_upload(rows)
    assert upload.size > importing.INLINE_MAX_BYTES
    client.force_login(manager)

    client.post(reverse("clusters:import_upload", args=[cluster.slug]), {"file": upload})
    batch = ImportBatch.objects.get()
    (key,) = keys(s3, name, "cluster-imports/")
    assert key == batch.file.name

    def status():
        batch.refresh_from_db()
        return batch.status

    wait_for(lambda: status() in {ImportStatus.PREVIEW, ImportStatus.FAILED}, 180, "the preview")
    assert (batch.status, batch.total_rows, batch.error) == (ImportStatus.PREVIEW, ROWS, "")
    assert not Membership.objects.exists()  # a preview writes nothing
    errors = list(batch.rows.filter(outcome="error").values_list("line", "messages")[:3])
    assert (batch.change_count, errors) == (ROWS, [])

    response = client.post(reverse("clusters:import_commit", args=[cluster.slug, batch.pk]))
    assert response.status_code == 302
    try:
        wait_for(lambda: status() in {ImportStatus.COMMITTED, ImportStatus.FAILED}, 120, "import")
    except AssertionError:
        worker.log.seek(0)
        raise AssertionError(f"{batch.status}: {worker.log.read()[-6000:]}") from None
    assert (batch.status, batch.error) == (ImportStatus.COMMITTED, "")
    assert Membership.objects.filter(cluster=cluster).count() == ROWS
    assert _nothing_on_disk(tmp_path, key)


def test_a_report_the_worker_writes_is_served_back_by_web(client, network_admin, bucket, worker):
    s3, name, tmp_path = bucket
    report_data.build()
    client.force_login(network_admin)

    client.post(
        reverse("projects:report_export_create"),
        {"start": "2023-01-01", "end": "2025-12-31", "format": "xlsx"},
    )
    export = ReportExport.objects.get()

    def status():
        export.refresh_from_db()
        return export.status

    wait_for(lambda: status() in {"done", "failed"}, 180, "the worker's report")
    assert export.status == "done"
    assert keys(s3, name, "funding-reports/") == [export.file.name]

    download = client.get(reverse("projects:report_export_file", args=[export.pk]))
    assert download.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames
    assert _nothing_on_disk(tmp_path, export.file.name)
    client.logout()  # the file is the portal's: nobody signed out gets it
    assert client.get(reverse("projects:report_export_file", args=[export.pk])).status_code in {
        302,
        403,
        404,
    }
