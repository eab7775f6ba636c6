"""Files for people: the two CSV dialects the portal writes, and formula protection.

Every CSV the portal writes comes in two dialects, the user's choice remembered in the session:

- "standard": UTF-8 without BOM, comma, decimal point, ISO dates (2026-03-01), for programs;
- "excel-da": what Danish and Norwegian Excel opens with a double click: UTF-8 with a BOM,
  semicolon, decimal comma, dates as dd-mm-yyyy.

`protect` keeps a spreadsheet program from running a cell as a formula (CSV injection); every
text cell of every CSV and XLSX the portal writes goes through it (`csv_cell` calls it).
"""

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

STANDARD, EXCEL_DA = "standard", "excel-da"
CSV_DIALECTS = {
    STANDARD: _("CSV (standard: comma, UTF-8)"),
    EXCEL_DA: _("CSV for Excel (Danish/Norwegian: semicolon)"),
}
SESSION_KEY = "csv_dialect"
BOM = "\ufeff"

# A telephone number such as '+45 12 34 56 78' starts with '+' but cannot call a function.
PHONE_LIKE = re.compile(r"^[+-][\d\s().-]*$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def protect(text: str) -> str:
    """The text, with a leading apostrophe if a spreadsheet would read it as a formula."""
    if text.startswith(FORMULA_STARTS) and not PHONE_LIKE.match(text):
        return "'" + text
    return text


def csv_cell(value, dialect: str = STANDARD) -> str:
    """One value as CSV text in the dialect: numbers and dates as that dialect writes them,
    text protected against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal | float | int):
        text = f"{value:.2f}" if isinstance(value, Decimal | float) else str(value)
        return text.replace(".", ",") if dialect == EXCEL_DA else text
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
        if isinstance(value, datetime):
            pattern = "%d-%m-%Y %H:%M" if dialect == EXCEL_DA else "%Y-%m-%d %H:%M"
            return value.strftime(pattern)
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y") if dialect == EXCEL_DA else value.isoformat()
    return protect(str(value))


def dialect_from_request(request) -> str:
    """The dialect asked for (`?dialect=`), remembered in the session; else the one chosen
    last time; else standard."""
    asked = request.GET.get("dialect", "")
    if asked in CSV_DIALECTS:
        request.session[SESSION_KEY] = asked
        return asked
    remembered = request.session.get(SESSION_KEY, "")
    return remembered if remembered in CSV_DIALECTS else STANDARD


def dialect_for_delimiter(delimiter: str) -> str:
    """The dialect a file read with this separator was written in (to answer in kind)."""
    return EXCEL_DA if delimiter == ";" else STANDARD


class _Echo:
    """A file-like object whose write() hands back what it was given (for csv.writer)."""

    def write(self, value):
        return value


def csv_lines(
    rows: Iterable[Iterable], dialect: str = STANDARD, *, batch: int = 500
) -> Iterator[str]:
    """The CSV file as strings to stream: the BOM where the dialect has one, then the rows
    (each value through `csv_cell`), joined in batches so a response sends fewer pieces."""
    writer = csv.writer(_Echo(), delimiter=";" if dialect == EXCEL_DA else ",")
    buffer = [BOM] if dialect == EXCEL_DA else []
    for row in rows:
        # Plain text that cannot start a formula, most cells of a file, goes as it is: a call
        # per cell was half the time of exporting 10,000 members.
        buffer.append(
            writer.writerow(
                [
                    value
                    if type(value) is str and not value.startswith(FORMULA_STARTS)
                    else csv_cell(value, dialect)
                    for value in row
                ]
            )
        )
        if len(buffer) >= batch:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def csv_reader_dialect(dialect: str) -> dict:
    """Keyword arguments for csv.reader that read back what `csv_lines` wrote."""
    return {"delimiter": ";" if dialect == EXCEL_DA else ","}
