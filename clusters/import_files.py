"""Files the member import hands back: the template, and the rows that were not imported.

The rows with errors come back in the format of the upload (XLSX, or CSV in the dialect the
upload used), with the columns the import reads, under headers it recognises, and a column with
the reasons, so staff correct them and upload that very file again. Every cell is protected
against formulas (network.spreadsheets).
"""

import tempfile
from datetime import date

from django.utils.translation import gettext as _

from clusters import imports
from network import spreadsheets

XLSX = "xlsx"
TEMPLATE_EXAMPLE = [
    "29 40 36 78",
    "Eksempel ApS",
    "SMV",
    "Odense",
    "Jens Hansen",
    "jens@example.dk",
    "+45 12 34 56 78",
    "",
    date(2025, 1, 1),
    date(2024, 11, 15),
]


def sniff_format(fileobj, filename: str) -> str:
    """'xlsx', or the CSV dialect the file was written in (by its header line's separator)."""
    if (filename or "").lower().endswith(".xlsx"):
        return XLSX
    first_line = imports._decode(fileobj.read(64 * 1024)).split("\n", 1)[0]
    fileobj.seek(0)
    return spreadsheets.dialect_for_delimiter(imports.csv_delimiter(first_line))


def template_rows():
    yield [str(imports.FIELD_LABELS[name]) for name in imports.TEMPLATE_FIELDS]
    yield TEMPLATE_EXAMPLE


def error_fields() -> list[str]:
    return list(imports.HEADER_ALIASES)


def error_header() -> list[str]:
    return [_("Row"), *[str(imports.FIELD_LABELS[f]) for f in error_fields()], _("Problems")]


def error_values(row) -> list:
    """One row of the errors file: what the upload said (dates as dates), and why it failed."""
    values = []
    for name in error_fields():
        text = row.raw.get(name, "")
        if name in imports.DATE_FIELDS and text:
            values.append(imports.parse_date(text) or text)
        else:
            values.append(text)
    problems = " ".join(
        imports.message_text(m) for m in row.messages if m.get("level") != "warning"
    )
    return [row.line, *values, problems]


def errors_csv(rows, dialect: str):
    return spreadsheets.csv_lines(
        _prepend(error_header(), (error_values(row) for row in rows)), dialect
    )


def errors_xlsx(rows, *, title: str):
    return write_xlsx(error_header(), (error_values(row) for row in rows), title=title)


def write_xlsx(header: list[str], rows, *, title: str):
    """A one-sheet workbook in an anonymous temporary file, rewound: a bold header, dates as
    date cells, text that could be a formula stored as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for values in rows:
        sheet.append([xlsx_cell(sheet, value) for value in values])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "dd-mm-yyyy"
        return cell
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            return cell
    return value


def _prepend(first, rest):
    yield first
    yield from rest
