"""Member lists out as CSV and XLSX, in bounded memory.

Rows are read from the database in chunks (`iterator(chunk_size=...)`, focus areas prefetched
per chunk). CSV is streamed to the client as it is written. XLSX is written by openpyxl's
write-only workbook, which keeps rows on disk (rows as XML text, `network.sheet_rows`), into a
temporary file that is then streamed.
"""

import tempfile
from datetime import datetime
from itertools import islice

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from network import spreadsheets
from network.sheet_rows import append_plain_rows, text_cell

CHUNK_SIZE = 1000

# (key, header, Excel column width)
COLUMNS = [
    ("organisation", _("Organisation"), 36),
    ("cvr", _("CVR number"), 12),
    ("orgnr", _("Organisation number"), 14),
    ("kind", _("Kind"), 18),
    ("municipality", _("Municipality"), 16),
    ("region", _("Region"), 20),
    ("focus_areas", _("Focus areas"), 40),
    ("tier", _("Tier"), 16),
    ("annual_fee", _("Annual fee"), 12),
    ("currency", _("Currency"), 9),
    ("status", _("Status"), 11),
    ("period_start", _("Period start"), 12),
    ("period_end", _("Period end"), 12),
    ("applied_at", _("Applied"), 12),
    ("contact_name", _("Contact"), 24),
    ("contact_email", _("Contact email"), 30),
    ("contact_phone", _("Contact phone"), 16),
]
MONEY_COLUMNS = {"annual_fee"}
MONEY_FORMAT = "#,##0.00"


def header() -> list[str]:
    return [str(label) for _key, label, _width in COLUMNS]


# Read as plain values (no model instances): the export of 10,000 members spends its time
# writing, not building objects. Focus areas come per chunk from the through table.
VALUE_FIELDS = [
    "organisation_id",
    "organisation__name",
    "organisation__cvr",
    "organisation__orgnr",
    "organisation__kind",
    "organisation__municipality__name",
    "organisation__region__name",
    "tier__name",
    "annual_fee",
    "tier__currency",
    "status",
    "period_start",
    "period_end",
    "applied_at",
    "primary_contact__first_name",
    "primary_contact__last_name",
    "primary_contact__email",
    "primary_contact__phone",
]


def iter_values(queryset, *, chunk_size: int | None = None):
    """One export row per membership, as Python values: dates as dates, fees as Decimals,
    choices in the active language."""
    from clusters.models import MembershipStatus
    from network.models import FocusArea, Organisation
    from network.models.organisations import OrganisationKind

    chunk_size = chunk_size or CHUNK_SIZE
    kinds = {code: str(label) for code, label in OrganisationKind.choices}
    statuses = {code: str(label) for code, label in MembershipStatus.choices}
    areas = {area.pk: (index, area.name) for index, area in enumerate(FocusArea.objects.all())}
    through = Organisation.focus_areas.through
    tz = timezone.get_current_timezone()
    rows = (
        queryset.select_related(None)
        .prefetch_related(None)
        .values_list(*VALUE_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        focus: dict[int, list] = {}
        for organisation_id, area_id in through.objects.filter(
            organisation_id__any={row[0] for row in chunk}
        ).values_list("organisation_id", "focusarea_id"):
            focus.setdefault(organisation_id, []).append(areas[area_id])
        for (
            organisation_id,
            name,
            cvr,
            orgnr,
            kind,
            municipality,
            region,
            tier,
            fee,
            currency,
            status,
            start,
            end,
            applied,
            first_name,
            last_name,
            email,
            phone,
        ) in chunk:
            yield [
                name,
                cvr,
                orgnr,
                kinds.get(kind, kind),
                municipality or "",
                region or "",
                ", ".join(area for _index, area in sorted(focus.get(organisation_id, ()))),
                tier or "",
                fee,
                currency or "",
                statuses.get(status, status),
                start,
                end,
                applied.astimezone(tz).date() if isinstance(applied, datetime) else applied,
                f"{first_name or ''} {last_name or ''}".strip(),
                email or "",
                phone or "",
            ]


# --- CSV --------------------------------------------------------------------------------------
def csv_safe(value) -> str:
    """A value as standard CSV text, protected against formulas (kept for older callers;
    network.spreadsheets.csv_cell knows both dialects)."""
    return spreadsheets.csv_cell(value, spreadsheets.STANDARD)


def csv_chunks(
    queryset, *, language: str, dialect: str = spreadsheets.STANDARD, chunk_size: int | None = None
):
    """The CSV file as an iterator of strings, in the dialect asked for: a header row, then
    one line per membership, every cell protected against formulas."""
    with translation.override(language):
        rows = iter_values(queryset, chunk_size=chunk_size)
        yield from spreadsheets.csv_lines(_with_header(header(), rows), dialect)


def _with_header(first, rows):
    yield first
    yield from rows


# --- XLSX -------------------------------------------------------------------------------------
def xlsx_file(queryset, *, language: str, title: str, filters: list[tuple[str, str]] = ()):
    """Write the workbook to an anonymous temporary file and return it, rewound."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    with translation.override(language):
        sheet = workbook.create_sheet(title=str(_("Members"))[:31])
        sheet.freeze_panes = "A2"
        for index, (_key, _label, width) in enumerate(COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        bold = Font(bold=True)
        header_cells = []
        for text in header():
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        # Text goes in as text (never a formula), dates as dates, fees as numbers.
        rows = append_plain_rows(
            sheet,
            iter_values(queryset),
            first_row=2,
            number_formats={
                index: MONEY_FORMAT
                for index, (key, _label, _width) in enumerate(COLUMNS)
                if key in MONEY_COLUMNS
            },
        )
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows + 1}"

        about = workbook.create_sheet(title=str(_("About"))[:31])
        about.column_dimensions["A"].width = 24
        about.column_dimensions["B"].width = 60
        about.append([str(_("Member list")), text_cell(about, title)])
        about.append([str(_("Exported")), timezone.localtime().replace(tzinfo=None, microsecond=0)])
        about.append([str(_("Members")), rows])
        for label, value in filters:
            about.append([text_cell(about, str(label)), text_cell(about, str(value))])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
