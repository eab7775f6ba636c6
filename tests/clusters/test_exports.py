"""Staff export the member list they filtered, as CSV and as XLSX, streamed."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.clusters.factories import active_membership, application, valid_cvr
from tests.factories import OrganisationFactory, PersonFactory, focus_area

pytestmark = pytest.mark.django_db


def export_url(cluster, fmt, **params):
    url = reverse(f"clusters:member_export_{fmt}", args=[cluster.slug])
    return url + ("?" + urlencode(params, doseq=True) if params else "")


def read_csv(response, dialect="standard") -> list[list[str]]:
    """The rows, read by Python's csv module with the dialect's separator."""
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    if dialect == "excel-da":
        assert text.startswith("\ufeff")  # so Excel reads it as UTF-8
        return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    assert not text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text, newline="")))


def read_xlsx(response):
    from openpyxl import load_workbook

    assert response.streaming
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def members(cluster, other_cluster, basic, premium):
    sensor = OrganisationFactory(
        name="Sensorfirma ApS",
        cvr=valid_cvr(1),
        focus_areas=[focus_area("health-data")],
    )
    active_membership(
        cluster,
        organisation=sensor,
        tier=premium,
        start=date(2025, 3, 1),
        primary_contact=PersonFactory(
            first_name="Jens", last_name="Hansen", email="jens@sensor.example", phone="+45 1234"
        ),
    )
    active_membership(
        cluster,
        organisation=OrganisationFactory(name="=HYPERLINK(evil) ApS", cvr=valid_cvr(2)),
        tier=basic,
        start=date(2025, 1, 1),
    )
    application(cluster, organisation=OrganisationFactory(name="Ansøger ApS", cvr=valid_cvr(3)))
    active_membership(
        other_cluster, organisation=OrganisationFactory(name="Fremmed ApS", cvr=valid_cvr(4))
    )


def test_csv_is_streamed_with_a_header_and_only_this_clusters_members(
    client, cluster, manager, members
):
    client.force_login(manager)
    response = client.get(export_url(cluster, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="welfare-tech-')
    assert response["Cache-Control"] == "private, no-store"
    rows = read_csv(response)
    header = rows[0]
    assert header[:2] == ["Organisation", "CVR number"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Sensorfirma ApS", "'=HYPERLINK(evil) ApS", "Ansøger ApS"}
    sensor = by_name["Sensorfirma ApS"]
    assert sensor["Tier"] == "Premium"
    assert sensor["Annual fee"] == "12000.00"
    assert sensor["Period start"] == "2025-03-01"
    assert sensor["Period end"] == "2026-02-28"
    assert sensor["Contact"] == "Jens Hansen"
    assert sensor["Contact phone"] == "+45 1234"  # a phone number is not a formula
    assert sensor["Focus areas"] == focus_area("health-data").name


def test_csv_is_filtered_like_the_list(client, cluster, manager, members):
    client.force_login(manager)
    rows = read_csv(client.get(export_url(cluster, "csv", status="applied")))
    assert [row[0] for row in rows[1:]] == ["Ansøger ApS"]
    rows = read_csv(client.get(export_url(cluster, "csv", q="jens@sensor")))
    assert [row[0] for row in rows[1:]] == ["Sensorfirma ApS"]
    rows = read_csv(client.get(export_url(cluster, "csv", status="active", ordering="-name")))
    assert [row[0] for row in rows[1:]] == ["Sensorfirma ApS", "'=HYPERLINK(evil) ApS"]


def test_the_list_links_to_exports_with_its_filters(client, cluster, manager, members):
    client.force_login(manager)
    page = client.get(
        reverse("clusters:member_list", args=[cluster.slug]) + "?status=active&page=1"
    ).content.decode()
    assert export_url(cluster, "csv") + "?status=active&amp;dialect=excel-da" in page
    assert export_url(cluster, "csv") + "?status=active&amp;dialect=standard" in page
    assert export_url(cluster, "xlsx") + "?status=active" in page


def test_csv_for_danish_excel_has_bom_semicolons_decimal_commas_and_danish_dates(
    client, cluster, manager, members
):
    client.force_login(manager)
    rows = read_csv(client.get(export_url(cluster, "csv", dialect="excel-da")), "excel-da")
    header = rows[0]
    assert header[:2] == ["Organisation", "CVR number"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    sensor = by_name["Sensorfirma ApS"]
    assert sensor["Annual fee"] == "12000,00"
    assert sensor["Period start"] == "01-03-2025"
    assert sensor["Period end"] == "28-02-2026"
    assert "'=HYPERLINK(evil) ApS" in by_name


def test_the_chosen_csv_dialect_is_remembered(client, cluster, manager, members):
    client.force_login(manager)
    read_csv(client.get(export_url(cluster, "csv", dialect="excel-da")), "excel-da")
    rows = read_csv(client.get(export_url(cluster, "csv")), "excel-da")
    assert len(rows) == 4
    read_csv(client.get(export_url(cluster, "csv", dialect="standard")))
    assert len(read_csv(client.get(export_url(cluster, "csv")))) == 4


@pytest.mark.parametrize("dialect", ["standard", "excel-da"])
def test_every_column_is_protected_against_formulas(client, cluster, manager, basic, dialect):
    evil = "=1+2"
    contact = PersonFactory(first_name="@SUM(A1)", last_name="x", email="-2+3@x.example")
    contact.phone = "+cmd|' /C calc'!A0"
    contact.save()
    active_membership(
        cluster,
        organisation=OrganisationFactory(name=evil, cvr=valid_cvr(7)),
        tier=basic,
        primary_contact=contact,
    )
    client.force_login(manager)
    rows = read_csv(client.get(export_url(cluster, "csv", dialect=dialect)), dialect)
    for value in rows[1]:
        assert not value.startswith(("=", "+", "-", "@")), value
    assert rows[1][0] == "'=1+2"


def test_xlsx_has_typed_cells_a_bold_header_and_frozen_panes(client, cluster, manager, members):
    client.force_login(manager)
    response = client.get(export_url(cluster, "xlsx", status="active"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="welfare-tech-')
    workbook = read_xlsx(response)
    sheet = workbook["Members"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "Organisation"
    assert all(cell.font.bold for cell in sheet[1])
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Sensorfirma ApS", "=HYPERLINK(evil) ApS"}  # filtered: no applicant
    sensor = by_name["Sensorfirma ApS"]
    assert sensor["Period start"] == datetime(2025, 3, 1)  # a real date cell
    assert Decimal(str(sensor["Annual fee"])) == Decimal("12000")  # a number, not text
    fee_cell = sheet.cell(row=2, column=header.index("Annual fee") + 1)
    assert fee_cell.data_type == "n"
    assert fee_cell.number_format == "#,##0.00"  # shown as money, with two decimals
    date_cell = sheet.cell(row=2, column=header.index("Period start") + 1)
    assert date_cell.is_date
    # A name that looks like a formula stays text.
    formula_like = next(c for c in sheet["A"] if c.value == "=HYPERLINK(evil) ApS")
    assert formula_like.data_type == "s"
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Member list"] == "Welfare Tech"
    assert about["Members"] == 2
    assert about["Status"] == "Active"


def test_a_search_that_looks_like_a_formula_stays_text_on_the_about_sheet(
    client, cluster, manager, members
):
    client.force_login(manager)
    workbook = read_xlsx(client.get(export_url(cluster, "xlsx", q="=HYPERLINK(evil)")))
    about = {row[0].value: row[1] for row in workbook["About"].iter_rows()}
    assert about["Search"].value == "=HYPERLINK(evil)"
    assert about["Search"].data_type == "s"  # text, never run as a formula
    names = [row[0] for row in workbook["Members"].iter_rows(min_row=2, values_only=True)]
    assert names == ["=HYPERLINK(evil) ApS"]


def test_exports_of_an_empty_list_have_the_header_only(client, cluster, manager):
    client.force_login(manager)
    rows = read_csv(client.get(export_url(cluster, "csv")))
    assert len(rows) == 1
    sheet = read_xlsx(client.get(export_url(cluster, "xlsx")))["Members"]
    assert sheet.max_row == 1


def test_export_reads_members_in_chunks_with_a_constant_number_of_queries(
    client, cluster, basic, manager, django_assert_max_num_queries, monkeypatch
):
    from clusters import exports

    for n in range(25):
        active_membership(
            cluster,
            organisation=OrganisationFactory(
                name=f"Medlem {n:02d} ApS", cvr=valid_cvr(10 + n), focus_areas=[focus_area()]
            ),
            tier=basic,
            primary_contact=PersonFactory(),
        )
    client.force_login(manager)
    client.get(export_url(cluster, "csv"))  # warm the session
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    # session, user, cluster check, then per chunk of 10: the rows and their focus areas
    with django_assert_max_num_queries(15):
        rows = read_csv(client.get(export_url(cluster, "csv")))
    assert len(rows) == 26
