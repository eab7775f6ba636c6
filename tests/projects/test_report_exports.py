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

from projects import exports, reports
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
        assert names[:3] == [str(_("Cover")), str(_("Definitions")), str(_("Figures"))]
        figures_sheet = workbook[str(_("Figures"))]
        labels = {fid: str(figure.label) for fid, figure in report.figures.items()}
        total_label = str(_("Total"))
    # The Figures sheet: each figure's total with its currency, typed and formatted.
    totals = {
        (row[1].value, row[3].value or None): row[4]
        for row in figures_sheet.iter_rows(min_row=2)
        if row[2].value == total_label
    }
    formats = {"money": "#,##0.00", "hours": "#,##0.00", "percent": '0.00"%"'}
    for fid, figure in report.figures.items():
        cell = totals[(labels[fid], figure.currency)]
        if figure.unit == "count":
            assert isinstance(cell.value, int), fid
            assert cell.value == figure.number
        else:  # a number with a format, never text
            assert isinstance(cell.value, int | float), fid
            assert Decimal(str(cell.value)) == figure.number, fid
            assert cell.number_format == formats[figure.unit], fid
    # One sheet of rows per figure (a share lists the co-financing's rows): exactly its rows.
    with translation.override("da"):
        _fixed, titles = exports.sheet_titles(report)
    assert set(titles) == {fid for fid in report.figures if "share" not in fid}
    for fid, title in titles.items():
        assert workbook[title].max_row - 1 == report.figures[fid].rows.count(), fid
    with translation.override("da"):
        cash = workbook[titles["cash.DKK"]]
        header = [c.value for c in next(cash.iter_rows(max_row=1))]
        cash_column = header.index(str(_("Cash")))
        currency_column = header.index(str(_("Currency")))
    rows = list(cash.iter_rows(min_row=2, values_only=True))
    assert sum(r[cash_column] for r in rows) == 25000
    assert {r[currency_column] for r in rows} == {"DKK"}

    response = client.get(reverse("projects:report_csv"), query)
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    totals = {}
    for line in lines[1:]:
        key = f"{line[9]}.{line[6]}" if line[6] else line[9]
        totals.setdefault(key, line[7])  # each figure's total comes first
    for fid, figure in report.figures.items():
        expected = "" if figure.number is None else figure.number
        assert Decimal(totals[fid]) == Decimal(expected), fid
    # Every line names the scope, the period and (for amounts) the currency.
    assert {tuple(line[:3]) for line in lines[1:]} == {("Welfare Tech", "2025-01-01", "2025-12-31")}


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
        assert str(_("Definitions")) in workbook.sheetnames
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
    assert workbook.sheetnames[:3] == ["Cover", "Definitions", "Figures"]
    assert workbook["Cover"]["B8"].value == "the portal (scheduled run)"
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
    lines = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    totals = {(line[9], line[6]): line[7] for line in lines[1:] if line[5] == "Total"}
    assert totals[("members_end", "")] == "3"
    assert totals[("co_financing_share", "DKK")] == "6.30"
    assert totals[("budget", "NOK")] == "100000.00"
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
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(min_row=2)
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
