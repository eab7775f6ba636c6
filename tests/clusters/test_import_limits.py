"""Safe reading: files that would hold a worker for minutes or take gigabytes are refused
while they are read, with a message staff can act on (issue 18, item 5)."""

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from clusters import imports

HEADER = ["CVR", "Navn", "Type", "Kommune", "Startdato"]
MIB = 1024 * 1024


def workbook_with_sheet(sheet_xml_chunks) -> io.BytesIO:
    """A real workbook whose first sheet's XML is written from the given chunks (streamed, so
    a sheet of hundreds of MiB is built without holding it in memory)."""
    template = io.BytesIO()
    Workbook().save(template)
    template.seek(0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w") as sheet:
                    for chunk in sheet_xml_chunks:
                        sheet.write(chunk.encode())
            else:
                target.writestr(info, source.read(info.filename))
    out.seek(0)
    return out


def sheet(rows_xml, dimension=None):
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    cells = "".join(f'<c t="inlineStr"><is><t>{text}</t></is></c>' for text in HEADER)
    yield f'<row r="1">{cells}</row>'
    yield from rows_xml
    yield "</sheetData></worksheet>"


def read_all(file, name="liste.xlsx"):
    header, rows = imports.read_table(file, name)
    return header, list(rows)


def refused(file, name="liste.xlsx") -> tuple[str, int]:
    """The message of the refusal, and the peak memory Python allocated while reading."""
    tracemalloc.start()
    try:
        with pytest.raises(imports.FileError) as error:
            read_all(file, name)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return str(error.value.message), peak


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    def rows():
        filler = "<!--" + "0" * MIB + "-->"
        for _ in range(64):  # 64 MiB unpacked (over the limit), under 100 KB packed
            yield filler

    bomb = workbook_with_sheet(sheet(rows()))
    assert len(bomb.getvalue()) < 500_000
    message, peak = refused(bomb)
    assert message == (
        "The workbook unpacks to more than 50 MB; save only the member list and try again."
    )
    assert peak < 20 * MIB


def test_one_enormous_cell_is_refused_without_reading_it():
    def rows():
        yield '<row r="2"><c t="inlineStr"><is><t>'
        for _ in range(64):
            yield "A" * MIB
        yield "</t></is></c></row>"

    message, peak = refused(workbook_with_sheet(sheet(rows())))
    assert "unpacks to more than 50 MB" in message
    assert peak < 20 * MIB


def test_a_cell_longer_than_excel_allows_is_refused_with_its_row():
    def rows():
        yield f'<row r="2"><c t="inlineStr"><is><t>{"A" * 40_000}</t></is></c></row>'

    message, _peak = refused(workbook_with_sheet(sheet(rows())))
    assert message == "A cell on row 2 has more than 32767 characters."


@pytest.mark.parametrize("declared", [True, False])
def test_millions_of_empty_rows_are_refused_after_the_limit(declared):
    # The sheet names a cell on row 5,000,000 (and, in one case, declares that size), so the
    # reader would hand out five million blank rows: blank rows count.
    far = '<row r="5000000"><c r="A5000000" t="inlineStr"><is><t>x</t></is></c></row>'
    file = workbook_with_sheet(sheet([far], dimension="A1:E5000000" if declared else None))
    assert len(file.getvalue()) < 20_000
    message, peak = refused(file)
    assert message == (
        "The file has more than 50000 rows (blank rows count); split it into smaller files."
    )
    assert peak < 50 * MIB


def test_a_sheet_declaring_thousands_of_columns_is_refused():
    far = '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    file = workbook_with_sheet(sheet([far], dimension="A1:XFD2"))
    message, _peak = refused(file)
    assert message == (
        "The file has more than 100 columns; remove the columns the import does not use."
    )


def test_csv_blank_lines_count_as_rows():
    data = ("CVR;Navn;Type;Startdato\n" + "\n" * 60_000 + "29403678;A;SMV;2025-01-01\n").encode()
    message, _peak = refused(io.BytesIO(data), "liste.csv")
    assert "more than 50000 rows" in message


def test_csv_cell_over_the_limit_is_refused():
    data = ("CVR;Navn;Type;Startdato\n29403678;" + "A" * 200_000 + ";SMV;2025-01-01\n").encode()
    message, _peak = refused(io.BytesIO(data), "liste.csv")
    assert message == "A cell on row 2 has more than 32767 characters."


def test_csv_too_many_columns():
    data = (";".join(f"c{i}" for i in range(150)) + "\n").encode()
    message, _peak = refused(io.BytesIO(data), "liste.csv")
    assert "more than 100 columns" in message


def test_an_ordinary_workbook_is_read_whole():
    book = Workbook()
    book.active.append(HEADER)
    for number in range(3):
        book.active.append(["29403678", f"Firma {number}", "SMV", "Odense", "2025-01-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    header, rows = read_all(buffer)
    assert header == HEADER
    assert [row[1] for row in rows] == ["Firma 0", "Firma 1", "Firma 2"]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
def test_a_control_character_refuses_its_row_with_a_reason(character):
    mapping = imports.map_headers(HEADER)
    reference = imports.Reference(kinds={"smv": "sme"}, municipalities={("DK", "odense"): 1})
    rows = list(
        imports.parse_rows(
            [
                ["29403678", f"Firma{character} ApS", "SMV", "Odense", "2025-01-01"],
                ["35221484", "Pæn\tFirma\nApS", "SMV", "Odense", "2025-01-01"],
            ],
            mapping,
            reference,
        )
    )
    assert [e["code"] for e in rows[0].errors] == ["control_character"]
    assert imports.message_text(rows[0].errors[0]) == (
        "Name contains a control character (such as a null byte); remove it and try again."
    )
    assert character not in rows[0].raw["name"]
    assert "name" not in rows[0].values or character not in rows[0].values["name"]
    assert rows[1].errors == []  # tab and newline are ordinary text
