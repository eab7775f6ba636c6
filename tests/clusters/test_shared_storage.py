"""Files in a store every process shares: with PORTAL_S3_BUCKET set, a member file uploaded on
`web` is read by the worker from the bucket, and a report the worker writes there is served back
through the portal's permission check. Against moto's S3 server on loopback (a real HTTP server
in this process, not a mock of boto3); nothing lands on the local disk."""

import io

import openpyxl
import pytest
from django.core.files.storage import storages
from django.urls import reverse

from clusters.models import ImportBatch, Membership
from clusters.services import importing
from projects.models import ReportExport
from tests.clusters.factories import csv_upload, valid_cvr
from tests.projects import report_data
from tests.s3 import keys, make_bucket

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """A fresh bucket, configured the way production is: through the environment."""
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    client, name = make_bucket(s3_endpoint, settings, monkeypatch)
    return client, name


def _as_another_process():
    """The worker's own storage object: what web held in memory is not there."""
    storages._storages.clear()


def test_a_member_file_goes_from_web_to_the_worker_through_the_bucket(
    client,
    cluster,
    manager,
    basic,
    bucket,
    monkeypatch,
    settings,
    django_capture_on_commit_callbacks,
):
    s3, name = bucket
    monkeypatch.setattr(importing, "INLINE_MAX_ROWS", 5)
    rows = [
        [
            valid_cvr(200 + n),
            f"Delt Lager og Sundhedsteknologi {n} ApS",
            "SMV",
            "Odense",
            f"Kontakt Nummer {n}",
            f"kontakt.{n}@delt-lager.example",
            "",
            "Basis",
            "",
        ]
        for n in range(1800)  # about 215 KB: over the 200 KB web reads itself
    ]
    upload = csv_upload(rows)
    assert upload.size > importing.INLINE_MAX_BYTES
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("clusters:import_upload", args=[cluster.slug]), {"file": upload})
    batch = ImportBatch.objects.get()
    assert batch.status == "uploaded"  # handed to the worker, not read on web
    (key,) = keys(s3, name, "cluster-imports/")
    assert key == batch.file.name
    assert s3.head_object(Bucket=name, Key=key)["ContentLength"] == upload.size

    _as_another_process()
    for callback in callbacks:
        callback()  # the worker reads the file from the bucket
    batch.refresh_from_db()
    assert (batch.status, batch.total_rows, batch.error) == ("preview", 1800, "")
    assert not Membership.objects.exists()  # a preview writes nothing
    assert not settings.MEDIA_ROOT.exists()  # nothing on the local disk


def test_a_report_the_worker_writes_to_the_bucket_is_served_back_through_the_portal(
    client, network_admin, bucket, django_capture_on_commit_callbacks, settings
):
    s3, name = bucket
    report_data.build()
    client.force_login(network_admin)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("projects:report_export_create"),
            {"start": "2023-01-01", "end": "2025-12-31", "format": "xlsx"},
        )
    export = ReportExport.objects.get()
    _as_another_process()
    for callback in callbacks:
        callback()  # the worker writes the report into the bucket
    export.refresh_from_db()
    assert export.status == "done"
    assert keys(s3, name, "funding-reports/") == [export.file.name]

    _as_another_process()  # web serves what the worker wrote
    download = client.get(reverse("projects:report_export_file", args=[export.pk]))
    assert download.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames
    assert not settings.MEDIA_ROOT.exists()  # nothing on the local disk
    # A signed URL, valid for minutes, for anything handed out directly.
    url = export.file.url
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url
