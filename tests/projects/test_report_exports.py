"""The funding report page, its drill-downs, XLSX and CSV exports, and the command."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from projects import reports
from projects.models import ReportExport
from tests.factories import ClusterStaffFactory
from tests.projects import report_data
from tests.projects.factories import ActivityFactory, ContributionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.fixture
def world():
    return report_data.build()


@pytest.fixture
def staff_a(world):
    return ClusterStaffFactory(cluster=world.a, role="coordinator").user


def _xlsx(response):
    return openpyxl.load_workbook(
        io.BytesIO(
            b"".join(response) if hasattr(response, "streaming_content") else response.content
        )
    )


def test_anonymous_outsiders_and_wrong_methods(client, world, outsider):
    url = reverse("projects:report")
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.get(reverse("projects:report_xlsx"), PERIOD).status_code == 403
    assert (
        client.get(reverse("projects:report_figure", args=["members_new"]), PERIOD).status_code
        == 403
    )


def test_staff_cannot_report_on_another_cluster_or_the_whole_network(client, world, staff_a):
    client.force_login(staff_a)
    other = {**PERIOD, "cluster": world.b.slug}
    assert client.get(reverse("projects:report"), other).status_code == 404
    assert client.get(reverse("projects:report_xlsx"), other).status_code == 404
    assert client.get(reverse("projects:report_csv"), other).status_code == 404
    assert client.get(reverse("projects:report_figure", args=["cash"]), other).status_code == 404
    # Without a cluster: the form asks for one, the export refuses.
    page = client.get(reverse("projects:report"), PERIOD)
    assert page.status_code == 200
    assert 'data-testid="report"' not in page.content.decode()
    assert client.get(reverse("projects:report_xlsx"), PERIOD).status_code == 404
    response = client.post(reverse("projects:report_export_create"), {**PERIOD, "format": "xlsx"})
    assert response.status_code == 404
    response = client.post(
        reverse("projects:report_export_create"),
        {**PERIOD, "format": "xlsx", "cluster": world.b.slug},
    )
    assert response.status_code == 404
    assert not ReportExport.objects.exists()
    # Their own cluster: yes.
    own = {**PERIOD, "cluster": world.a.slug}
    assert client.get(reverse("projects:report_xlsx"), own).status_code == 200
    assert client.post(reverse("projects:report_xlsx"), own).status_code == 405
    assert client.get(reverse("projects:report_export_create")).status_code == 405


def test_page_xlsx_and_csv_agree_with_the_engine(client, world, network_admin):
    client.force_login(network_admin)
    query = {**PERIOD, "cluster": world.a.slug}
    report = reports.build_report(start=report_data.START, end=report_data.END, cluster=world.a)
    page = client.get(reverse("projects:report"), query).content.decode()
    for key, (_number, _groups) in report_data.EXPECTED.items():
        assert f'data-figure="{key}"' in page
    assert 'data-testid="figure-members_start"' in page

    response = client.get(reverse("projects:report_xlsx"), query)
    assert response["Content-Disposition"].startswith(
        'attachment; filename="funding-report-welfare-tech-20250101-20251231.xlsx'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    names = workbook.sheetnames
    with translation.override("da"):  # the default language of the page and its exports
        assert names[0] == str(_("Summary"))
        assert names[-1] == str(_("Sources"))
        labels = {key: str(figure.label) for key, figure in report.figures.items()}
    assert len(names) == 2 + len(report.sections())
    summary = {
        row[1].value: row[2] for row in workbook[names[0]].iter_rows(min_row=7) if row[1].value
    }
    formats = {"money": "#,##0.00", "hours": "#,##0.00", "percent": '0.0"%"'}
    for figure in report.figures.values():
        cell = summary[labels[figure.key]]
        if figure.unit == "count":
            assert isinstance(cell.value, int), figure.key
            assert cell.value == figure.number
        else:  # a number with a format, never text
            assert isinstance(cell.value, int | float), figure.key
            assert Decimal(str(cell.value)) == figure.number, figure.key
            assert cell.number_format == formats[figure.unit], figure.key
    # The scope's dates are dates.
    assert isinstance(workbook[names[0]]["B2"].value, datetime.datetime)
    # Sources: exactly the rows behind each figure.
    sources = list(workbook[names[-1]].iter_rows(min_row=2, values_only=True))
    for figure in report.figures.values():
        if figure.key == "co_financing_share":
            continue
        listed = [row for row in sources if row[0] == labels[figure.key]]
        assert len(listed) == figure.rows.count(), figure.key
    contribution_rows = [r for r in sources if r[0] == labels["cash"]]
    assert sum(r[11] for r in contribution_rows) == 25000

    response = client.get(reverse("projects:report_csv"), query)
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    totals = {}
    for line in lines[1:]:
        totals.setdefault(line[5], line[3])  # each figure's total comes first
    for figure in report.figures.values():
        expected = "" if figure.number is None else figure.number
        assert Decimal(totals[figure.key]) == Decimal(expected), figure.key


def test_drill_down_page_lists_the_rows_counted(client, world, network_admin):
    client.force_login(network_admin)
    url = reverse("projects:report_figure", args=["participants"])
    page = client.get(url, {**PERIOD, "cluster": world.a.slug})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 3
    page = client.get(url, {**PERIOD, "cluster": world.a.slug, "group": "other"})
    assert page.context["page"].paginator.count == 1
    page = client.get(reverse("projects:report_figure", args=["members_end"]), PERIOD)
    body = page.content.decode()
    for name in ("Org1 ApS", "Org2 Kommune", "B2 Universitet"):
        assert name in body
    assert "Org3 ApS" not in body
    assert (
        client.get(reverse("projects:report_figure", args=["nonsense"]), PERIOD).status_code == 404
    )


def test_report_page_query_count_is_bounded(
    client, world, network_admin, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(network_admin)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("projects:report"), PERIOD)
    for n in range(20):
        activity = ActivityFactory(cluster=world.a, date=datetime.date(2025, 5, 1 + n))
        ParticipantFactory(activity=activity, people=3)
        ContributionFactory(project=None, activity=activity, date=activity.date)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        client.get(reverse("projects:report"), PERIOD)


def test_large_periods_are_written_in_the_background(
    client,
    world,
    network_admin,
    outsider,
    staff_a,
    tmp_path,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    client.force_login(network_admin)
    long_period = {"start": "2023-01-01", "end": "2025-12-31"}
    page = client.get(reverse("projects:report"), long_period).content.decode()
    assert reverse("projects:report_export_create") in page
    # A GET download of a long period goes back to the page instead.
    assert client.get(reverse("projects:report_xlsx"), long_period).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:report_export_create"), {**long_period, "format": "xlsx"}
        )
    export = ReportExport.objects.get()
    assert response["Location"] == export.get_absolute_url()
    export.refresh_from_db()
    assert (export.status, export.progress) == ("done", 100)
    status = client.get(export.get_absolute_url(), headers={"HX-Request": "true"})
    assert 'data-testid="export-download"' in status.content.decode()
    assert "hx-trigger" not in status.content.decode()
    download = client.get(reverse("projects:report_export_file", args=[export.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    with translation.override("da"):
        assert str(_("Sources")) in workbook.sheetnames
    # Somebody else's export is not theirs to see.
    for user in (outsider, staff_a):
        client.force_login(user)
        assert client.get(export.get_absolute_url()).status_code == 404
        assert (
            client.get(reverse("projects:report_export_file", args=[export.pk])).status_code == 404
        )
    # Kept for a while, then purged with its file.
    from projects.services import report_exports_purge

    path = export.file.path
    assert report_exports_purge() == 0
    assert report_exports_purge(now=export.created_at + datetime.timedelta(days=8)) == 1
    assert not ReportExport.objects.exists()
    import os

    assert not os.path.exists(path)


def test_a_running_export_page_polls(client, network_admin, world):
    export = ReportExport.objects.create(
        requested_by=network_admin,
        start=report_data.START,
        end=report_data.END,
        format="csv",
        status="running",
        progress=40,
    )
    client.force_login(network_admin)
    body = client.get(export.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "40 %" in body


def test_command_writes_xlsx_and_csv(world, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command(
        "funding_report",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--cluster",
        "welfare-tech",
        "--format",
        "xlsx",
        "--output",
        str(out),
        "--language",
        "en",
        stdout=io.StringIO(),
    )
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[0] == "Summary"
    assert workbook.sheetnames[-1] == "Sources"
    out = tmp_path / "report.csv"
    call_command(
        "funding_report",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "csv",
        "--output",
        str(out),
        "--language",
        "en",
        stdout=io.StringIO(),
    )
    lines = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    totals = {line[5]: line[3] for line in lines[1:] if line[2] == "Total"}
    assert totals["members_end"] == "3"
    assert totals["co_financing_share"] == "4.90" or Decimal(
        totals["co_financing_share"]
    ) == Decimal("4.9")
    with pytest.raises(CommandError, match="No cluster"):
        call_command(
            "funding_report",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--cluster",
            "nope",
            "--output",
            str(out),
        )
    with pytest.raises(CommandError, match="before"):
        call_command(
            "funding_report", "--from", "2025-02-01", "--to", "2025-01-01", "--output", str(out)
        )


def test_xlsx_text_is_never_a_formula(client, world, network_admin):
    world.orgs["org1"].name = '=HYPERLINK("http://evil.example","klik")'
    world.orgs["org1"].save()
    client.force_login(network_admin)
    response = client.get(reverse("projects:report_xlsx"), PERIOD)
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [
        cell
        for row in workbook.worksheets[-1].iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")
    ]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)


def test_many_rows_go_to_the_background_too(client, world, network_admin, monkeypatch):
    from projects import services

    client.force_login(network_admin)
    page = client.get(reverse("projects:report"), PERIOD).content.decode()
    assert 'data-testid="download-xlsx"' in page
    monkeypatch.setattr(services, "SYNC_REPORT_ROWS", 5)
    page = client.get(reverse("projects:report"), PERIOD).content.decode()
    assert 'data-testid="download-xlsx"' not in page
    assert reverse("projects:report_export_create") in page
    assert client.get(reverse("projects:report_xlsx"), PERIOD).status_code == 302
