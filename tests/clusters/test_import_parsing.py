"""The pure half of the import: reading files and checking rows, without a database."""

import io
from datetime import date, datetime

import pytest

from clusters import imports

REFERENCE = imports.Reference(
    country="DK",
    municipalities={("DK", "odense"): 1, ("DK", "0461"): 1, ("DK", "københavn"): 2},
    kinds={"sme": "sme", "smv": "sme", "kommune": "municipality"},
    tiers={"basis": 10, "premium": 11},
    today=date(2025, 6, 1),
)
HEADER = [
    "CVR",
    "Navn",
    "Type",
    "Kommune",
    "Kontaktperson",
    "E-mail",
    "Telefon",
    "Niveau",
    "Startdato",
]
MAPPING = imports.map_headers(HEADER)
GOOD = [
    "29403678",
    "Eksempel ApS",
    "SMV",
    "Odense",
    "Jens Hansen",
    "JENS@x.dk",
    "+45 1234",
    "Basis",
    "01-02-2025",
]


def parse(cells):
    return imports.parse_row(2, cells, MAPPING, REFERENCE)


def codes(row):
    return [e["code"] for e in row.errors]


def test_a_good_row():
    row = parse(GOOD)
    assert row.errors == []
    assert row.values == {
        "cvr": "29403678",
        "country": "DK",
        "name": "Eksempel ApS",
        "kind": "sme",
        "municipality": 1,
        "tier": 10,
        "start_date": "2025-02-01",
        "contact_email": "jens@x.dk",
        "contact_name": "Jens Hansen",
        "contact_phone": "+45 1234",
    }


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        (0, "12345675", "bad_cvr"),
        (0, "1234", "bad_registry_number"),
        (0, "", "missing"),
        (1, "", "missing"),
        (2, "Rumskib", "unknown_kind"),
        (3, "Atlantis", "unknown_municipality"),
        (5, "ikke-en-mail", "bad_email"),
        # Refused by the contact's EmailField, so the preview must refuse it too.
        (5, "anna@sundhed..dk", "bad_email"),
        (7, "Guld", "unknown_tier"),
        (8, "31-31-2025", "bad_date"),
        (8, "1800-01-01", "implausible_date"),
    ],
)
def test_each_kind_of_bad_cell(column, value, code):
    cells = list(GOOD)
    cells[column] = value
    assert codes(parse(cells)) == [code]


def test_an_empty_tier_is_no_error_the_cluster_s_first_tier_applies():
    cells = list(GOOD)
    cells[7] = ""
    assert codes(parse(cells)) == []


def test_identifiers_and_names_are_normalised():
    cells = list(GOOD)
    cells[0] = "DK-29 40 36 78"
    cells[3] = "Københavns Kommune"
    row = parse(cells)
    assert row.values["cvr"] == "29403678"
    assert row.values["municipality"] == 2
    cells[3] = "461"
    assert parse(cells).values["municipality"] == 1


def test_norwegian_organisation_number():
    cells = list(GOOD)
    cells[0] = "923 609 016"
    cells[3] = ""
    row = parse(cells)
    assert row.errors == []
    assert row.values["orgnr"] == "923609016"
    assert row.values["country"] == "NO"
    cells[0] = "923609017"
    assert codes(parse(cells)) == ["bad_orgnr"]


@pytest.mark.parametrize(
    "value", ["2025-02-01", "01-02-2025", "01.02.2025", "01/02/2025", date(2025, 2, 1)]
)
def test_dates(value):
    assert imports.parse_date(value) == date(2025, 2, 1)


def test_excel_datetime_cells():
    assert imports.parse_date(datetime(2025, 2, 1, 0, 0)) == date(2025, 2, 1)


def test_duplicates_in_the_file_are_marked_after_the_first():
    rows = list(imports.parse_rows([GOOD, GOOD, [""] * 9, GOOD], MAPPING, REFERENCE))
    assert [r.line for r in rows] == [2, 3, 5]  # the blank line is skipped, lines still count
    assert [codes(r) for r in rows] == [[], ["duplicate"], ["duplicate"]]
    assert rows[1].errors[0]["params"] == {"line": 2}


def test_missing_columns_are_a_file_error():
    with pytest.raises(imports.FileError) as error:
        imports.map_headers(["Navn", "Kommune"])
    assert "CVR / organisation number" in str(error.value.message)
    assert "Start date" in str(error.value.message)


def test_header_aliases_in_three_languages():
    mapping = imports.map_headers(
        ["Organisasjonsnummer", "Organisation name", "Kind", "Municipality", "Member since"]
    )
    assert mapping == {
        "registry_number": 0,
        "name": 1,
        "kind": 2,
        "municipality": 3,
        "start_date": 4,
    }


def test_csv_in_windows_1252_with_semicolons():
    data = "CVR;Navn;Type;Startdato\r\n29403678;Ærø Sundhed ApS;SMV;2025-01-01\r\n"
    header, rows = imports.read_table(io.BytesIO(data.encode("cp1252")), "liste.csv")
    assert header == ["CVR", "Navn", "Type", "Startdato"]
    assert list(rows) == [["29403678", "Ærø Sundhed ApS", "SMV", "2025-01-01"]]


def test_csv_utf8_with_bom_and_commas():
    data = '\ufeffCVR,Name,Kind,Start date\n29403678,"Sund, Rask ApS",sme,2025-01-01\n'
    header, rows = imports.read_table(io.BytesIO(data.encode("utf-8")), "list.CSV")
    assert header[0] == "CVR"
    assert next(iter(rows))[1] == "Sund, Rask ApS"


def test_xlsx_keeps_dates_and_numbers():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["CVR", "Navn", "Type", "Startdato"])
    workbook.active.append([29403678, "Eksempel ApS", "SMV", datetime(2025, 2, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    header, rows = imports.read_table(buffer, "liste.xlsx")
    mapping = imports.map_headers(header)
    row = imports.parse_row(2, next(rows), mapping, REFERENCE)
    assert row.errors == []
    assert row.values["cvr"] == "29403678"
    assert row.values["start_date"] == "2025-02-01"


def test_not_a_spreadsheet():
    with pytest.raises(imports.FileError):
        imports.read_table(io.BytesIO(b"%PDF-1.4"), "liste.pdf")
    with pytest.raises(imports.FileError):
        imports.read_table(io.BytesIO(b"not a zip"), "liste.xlsx")


def test_messages_are_translated_when_shown():
    text = imports.message_text({"code": "missing", "params": {"field": "name"}})
    assert text == "Name is missing."
    assert imports.message_text({"code": "duplicate", "params": {"line": 4}}) == (
        "Duplicate: the same organisation is on line 4."
    )
