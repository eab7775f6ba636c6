"""A long funding report written by a real Celery worker through Redis, then downloaded."""

import io
import time
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from projects import services
from projects.models import ReportExport
from tests.factories import UserFactory
from tests.projects import report_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_export_runs_on_a_worker_and_is_offered_for_download(celery_worker_process, client):
    report_data.build()
    admin = UserFactory(email="admin@network.example", is_network_admin=True)
    export = services.report_export_create(
        user=admin,
        start=date(2023, 1, 1),
        end=date(2025, 12, 31),
        cluster=None,
        fmt="xlsx",
        language="en",
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if not export.is_running:
            break
        time.sleep(0.5)
    assert export.status == "done", export.error
    client.force_login(admin)
    response = client.get(reverse("projects:report_export_file", args=[export.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[:3] == ["Cover", "Definitions", "Figures"]
    export.file.delete(save=False)
    ReportExport.objects.all().delete()
