"""Rows of plain values written fast into a write-only openpyxl sheet.

A workbook's sheets of rows hold tens of thousands of cells, most of the time spent writing it.
openpyxl makes a cell object per value and lxml an element per cell; here each row is written
as XML text, a thousand rows at a time are parsed by lxml in one call and written to the
sheet's stream, which gives the same XML for a fraction of the time. Text is an inline string,
so never a formula; dates carry a date format; numbers are written exactly as given (a Decimal
as its digits), in the column's number format where one is given. Without lxml, through
openpyxl's own append. Used by the funding report's workbook and the member export.
"""

from datetime import date
from decimal import Decimal

from openpyxl import LXML
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

DATE_FORMAT = "yyyy-mm-dd"
BATCH = 1000
LETTERS = [get_column_letter(i) for i in range(1, 101)]
if LXML:
    from lxml.etree import fromstring


def clean_text(value: str) -> str:
    """Text without the control characters XML cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def text_cell(sheet, value: str):
    """A cell for openpyxl's own append holding the text as text: never a formula, whatever it
    starts with."""
    cell = WriteOnlyCell(sheet, value=clean_text(value))
    cell.data_type = "s"
    return cell


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:  # a parser would read a bare carriage return as a line feed
        text = text.replace("\r", "&#13;")
    return text


def _style_id(sheet, number_format: str) -> str:
    cell = WriteOnlyCell(sheet)
    cell.number_format = number_format
    return str(cell.style_id)


class _RowXml:
    """Turns a row of plain values into the XML of one <row> element."""

    def __init__(self, sheet, number_formats: dict[int, str]):
        self.date_style = _style_id(sheet, DATE_FORMAT)
        # Column index -> the style of its number format, as the attribute a cell carries.
        self.number_styles = {
            index: f' s="{_style_id(sheet, number_format)}"'
            for index, number_format in number_formats.items()
        }
        self.epoch = sheet.parent.epoch
        self.serials: dict = {}

    def serial(self, value) -> str:
        serial = self.serials.get(value)
        if serial is None:
            serial = self.serials[value] = repr(to_excel(value, self.epoch))
        return serial

    def __call__(self, values, row_idx: int) -> str:
        number = str(row_idx)
        cells = [f'<row r="{number}">']
        append = cells.append
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = LETTERS[index] + number
            kind = type(value)
            if kind is str or isinstance(value, str):
                text = clean_text(value)
                space = ' xml:space="preserve"' if text != text.strip() else ""
                append(f'<c r="{ref}" t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>')
            elif kind is Decimal or kind is int or kind is float:
                style = self.number_styles.get(index, "")
                append(f'<c r="{ref}" t="n"{style}><v>{value}</v></c>')
            elif isinstance(value, date):
                append(f'<c r="{ref}" t="n" s="{self.date_style}"><v>{self.serial(value)}</v></c>')
            elif isinstance(value, bool):
                append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            else:
                append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
        append("</row>")
        return "".join(cells)


def _plain(sheet, value, number_format=None):
    """A value for openpyxl's own append: text never becomes a formula."""
    if isinstance(value, Decimal):
        value = float(value)
    if number_format and isinstance(value, int | float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    if isinstance(value, str):
        value = clean_text(value)
        if value[:1] in ("=", "+", "-", "@"):
            return text_cell(sheet, value)
    return value


def append_plain_rows(
    sheet, rows, *, first_row: int, number_formats: dict[int, str] | None = None
) -> int:
    """Append rows of plain values (text, numbers, dates, None) to a write-only sheet whose
    stream has started (its header row appended); `first_row` is the number of the first.
    `number_formats` gives a column (by index) a format for its numbers. Returns the number of
    rows written."""
    number_formats = number_formats or {}
    written = 0
    if not LXML:
        for row in rows:
            sheet.append(
                [_plain(sheet, value, number_formats.get(i)) for i, value in enumerate(row)]
            )
            written += 1
        return written
    row_xml = _RowXml(sheet, number_formats)

    def write_batch(xf, batch, _row_idx):
        xf.write(*fromstring(batch[0]))

    # From here on each append hands the stream one batch of rows as XML text.
    sheet._values_to_row = lambda values, _row_idx: values
    sheet._writer.write_row = write_batch
    batch: list[str] = []
    for number, row in enumerate(rows, start=first_row):
        batch.append(row_xml(row, number))
        written += 1
        if len(batch) == BATCH:
            sheet.append(["<rows>" + "".join(batch) + "</rows>"])
            batch = []
    if batch:
        sheet.append(["<rows>" + "".join(batch) + "</rows>"])
    return written
