"""The funding report as the workbook for the funder (XLSX), see projects.exports."""

import io
import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from network.sheet_rows import DATE_FORMAT, append_plain_rows, clean_text
from projects.exports.rows import (
    COLUMNS,
    MODEL_RECORDS,
    REPORT_VERSION,
    UNIT_LABELS,
    RowTable,
    _user_name,
    figure_lines,
    scope_name,
)
from projects.reports import (
    HOURS,
    MONEY,
    PERCENT,
    Figure,
    Report,
    build_report,
    by_region,
)

MONEY_FORMAT = "#,##0.00"
HOURS_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.00"%"'
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


# --- XLSX ---------------------------------------------------------------------------------------
def _cell(sheet, value, *, bold=False, number_format=None, wrap=False):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(sheet, value=clean_text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def _format(unit: str) -> str | None:
    return {MONEY: MONEY_FORMAT, HOURS: HOURS_FORMAT, PERCENT: PERCENT_FORMAT}.get(unit)


def _sheet(workbook, title: str, widths: list[int], *, header_rows: int = 1):
    """A write-only sheet set up to print: A4 landscape, one page wide, the header rows repeated
    on every page and frozen on screen."""
    sheet = workbook.create_sheet(title=title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = False
    if header_rows:
        sheet.print_title_rows = f"1:{header_rows}"
        sheet.freeze_panes = f"A{header_rows + 1}"
    return sheet


def _header(sheet, labels):
    sheet.append([_cell(sheet, str(label), bold=True) for label in labels])


class _SheetNames:
    """Excel's rules for sheet names: at most 31 characters, unique, none of []:*?/\\."""

    def __init__(self):
        self.used: set[str] = set()

    def __call__(self, name: str) -> str:
        base = SHEET_NAME_FORBIDDEN.sub("-", str(name)).strip()[:31] or "-"
        candidate, n = base, 2
        while candidate.lower() in self.used:
            suffix = f" ({n})"
            candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
        self.used.add(candidate.lower())
        return candidate


def _figure_title(figure: Figure) -> str:
    return f"{figure.label} ({figure.currency})" if figure.currency else str(figure.label)


def _row_sheets(report: Report) -> dict[str, Figure]:
    """{figure id: figure} of the figures that get a sheet of rows (a share lists the rows of
    the co-financing it divides)."""
    return {fid: f for fid, f in report.figures.items() if f.key != "co_financing_share"}


SHEETS = (
    _("Cover"),
    _("Definitions"),
    _("Figures"),
    _("By cluster"),
    _("By region"),
    _("Fee income"),
)


def sheet_titles(report: Report) -> tuple[list[str], dict[str, str]]:
    """The workbook's fixed sheets' titles, and {figure id: title of its sheet of rows}, in the
    active language."""
    names = _SheetNames()
    fixed = [names(str(title)) for title in SHEETS]
    rows = {fid: names(_figure_title(f)) for fid, f in _row_sheets(report).items()}
    return fixed, rows


def report_xlsx(report: Report, *, language: str, user=None, progress=None) -> bytes:
    """The report as an XLSX workbook (bytes). `progress(done, total)` is called per sheet."""
    workbook = Workbook(write_only=True)
    row_figures = _row_sheets(report)
    total = len(row_figures) + 3
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    with translation.override(language):
        fixed, row_sheet_names = sheet_titles(report)
        cover, definitions, figures, by_cluster, by_region_, fees = fixed
        _write_cover(workbook, cover, report, user, fixed, row_sheet_names)
        _write_definitions(workbook, definitions, report, row_sheet_names)
        _write_figures(workbook, figures, report)
        step()
        _write_by_cluster(workbook, by_cluster, report)
        step()
        _write_by_region(workbook, by_region_, report)
        _write_fees(workbook, fees, report)
        step()
        for fid, figure in row_figures.items():
            _write_rows(workbook, row_sheet_names[fid], figure, report)
            step()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_cover(workbook, title, report, user, reserved, row_sheet_names):
    sheet = _sheet(workbook, title, [30, 70], header_rows=0)
    scope = report.scope
    sheet.append([_cell(sheet, str(_("Funding report")), bold=True)])
    sheet.append([])
    lines = [
        (_("Scope"), scope_name(report)),
        (_("From"), scope.start),
        (_("To"), scope.end),
        (_("Currencies"), ", ".join(report.currencies) or "–"),
        (
            _("Generated"),
            timezone.localtime().replace(tzinfo=None, microsecond=0, second=0),
        ),
        (_("Generated by"), _user_name(user)),
        (_("Version of the definitions"), REPORT_VERSION),
    ]
    for label, value in lines:
        sheet.append([_cell(sheet, str(label), bold=True), _cell(sheet, value)])
    sheet.append([])
    notes = [
        _(
            "Amounts are in their own currency: each amount has its currency beside it, and "
            "totals are given per currency. Nothing adds two currencies."
        ),
        _(
            "Every figure is explained on the sheet Definitions; the rows it counted are listed "
            "on a sheet of their own, named after the figure."
        ),
        _(
            "Members are organisations: one organisation in two clusters counts once for the "
            "whole network and once in each cluster, so the clusters' member counts may add up "
            "to more than the network's. Amounts, projects and activities belong to one cluster "
            "each and add up."
        ),
    ]
    for note in notes:
        sheet.append([_cell(sheet, str(_("Note")), bold=True), _cell(sheet, note, wrap=True)])
    sheet.append([])
    sheet.append([_cell(sheet, str(_("Sheets")), bold=True)])
    for name in [*reserved[1:], *row_sheet_names.values()]:
        sheet.append([None, _cell(sheet, name)])


def _write_definitions(workbook, title, report, row_sheet_names):
    sheet = _sheet(workbook, title, [34, 18, 12, 70, 30, 30])
    _header(
        sheet,
        (_("Figure"), _("Section"), _("Unit"), _("What it counts"), _("From"), _("Rows on sheet")),
    )
    sections = {key: label for key, label, _lines in report.sections()}
    for line in report.lines():
        figure = line.figures[0]
        unit = str(UNIT_LABELS[line.unit])
        if figure.currency:
            unit += f" ({', '.join(f.currency for f in line.figures)})"
        if line.key == "co_financing_share":
            sheets = [row_sheet_names.get(f.id.replace("_share", "")) for f in line.figures]
        else:
            sheets = [row_sheet_names.get(f.id) for f in line.figures]
        sheet.append(
            [
                _cell(sheet, str(line.label), wrap=True),
                _cell(sheet, str(sections[figure.section])),
                _cell(
                    sheet,
                    str(UNIT_LABELS[line.unit])
                    + (
                        f" ({', '.join(f.currency for f in line.figures)})"
                        if figure.currency
                        else ""
                    ),
                ),
                _cell(sheet, str(line.definition), wrap=True),
                _cell(sheet, str(MODEL_RECORDS.get(figure.rows.model, "")), wrap=True),
                _cell(sheet, ", ".join(name for name in sheets if name), wrap=True),
            ]
        )


def _write_figures(workbook, title, report):
    sheet = _sheet(workbook, title, [24, 40, 32, 10, 16, 10])
    _header(
        sheet, (_("Section"), _("Figure"), _("Breakdown"), _("Currency"), _("Number"), _("Unit"))
    )
    for _key, section_label, lines in report.sections():
        for line in lines:
            for figure in line.figures:
                fmt = _format(figure.unit)
                for index, (label, group, number) in enumerate(figure_lines(figure)):
                    sheet.append(
                        [
                            _cell(sheet, str(section_label)),
                            _cell(sheet, label, bold=index == 0),
                            _cell(sheet, group, bold=index == 0),
                            _cell(sheet, figure.currency or ""),
                            _cell(sheet, number, number_format=fmt, bold=index == 0),
                            _cell(sheet, str(UNIT_LABELS[figure.unit])),
                        ]
                    )


def _clusters_of(report):
    from clusters.models import Cluster

    if report.scope.cluster is not None:
        return [report.scope.cluster]
    return list(Cluster.objects.order_by("name"))


def _write_by_cluster(workbook, title, report):
    clusters = _clusters_of(report)
    scope = report.scope
    per_cluster = (
        [report]
        if scope.cluster is not None
        else [build_report(start=scope.start, end=scope.end, cluster=c) for c in clusters]
    )
    network = scope.cluster is None
    sheet = _sheet(workbook, title, [40, 10] + [16] * len(clusters) + ([16] if network else []))
    _header(
        sheet,
        [_("Figure"), _("Currency"), *[c.name for c in clusters]]
        + ([_("The whole network")] if network else []),
    )
    for fid, figure in report.figures.items():
        fmt = _format(figure.unit)
        values = [r.figures[fid].number if fid in r.figures else None for r in per_cluster]
        row = [_cell(sheet, str(figure.label)), _cell(sheet, figure.currency or "")]
        row += [_cell(sheet, v, number_format=fmt) for v in values]
        if network:
            row.append(_cell(sheet, figure.number, number_format=fmt, bold=True))
        sheet.append(row)


def _write_by_region(workbook, title, report):
    breakdowns = {fid: by_region(f) for fid, f in report.figures.items() if f.region_field}
    regions = sorted({r for counts in breakdowns.values() for r in counts if r})
    sheet = _sheet(workbook, title, [40, 10] + [16] * (len(regions) + 2))
    _header(sheet, [_("Figure"), _("Currency"), *regions, _("No region given"), _("Total")])
    for fid, counts in breakdowns.items():
        figure = report.figures[fid]
        fmt = _format(figure.unit)
        row = [_cell(sheet, str(figure.label)), _cell(sheet, figure.currency or "")]
        row += [_cell(sheet, counts.get(r, 0), number_format=fmt) for r in regions]
        row.append(_cell(sheet, counts.get(None, 0), number_format=fmt))
        row.append(_cell(sheet, figure.number, number_format=fmt, bold=True))
        sheet.append(row)


def _write_fees(workbook, title, report):
    sheet = _sheet(workbook, title, [34, 10, 18, 18])
    _header(sheet, (_("Cluster"), _("Currency"), _("Members with a fee"), _("Fee income")))
    for figure in (f for f in report.figures.values() if f.key == "fee_income"):
        rows = figure.rows.order_by().values_list("cluster__name").annotate(n=_count())
        for cluster_name, members in rows:
            sheet.append(
                [_cell(sheet, cluster_name), _cell(sheet, figure.currency), _cell(sheet, members)]
            )
        sheet.append(
            [
                _cell(sheet, str(_("Total")), bold=True),
                _cell(sheet, figure.currency, bold=True),
                _cell(sheet, figure.rows.count(), bold=True),
                _cell(sheet, figure.number, bold=True, number_format=MONEY_FORMAT),
            ]
        )


def _count():
    from django.db.models import Count

    return Count("pk")


def _write_rows(workbook, title, figure, report):
    table = RowTable(figure.rows, report.scope)
    sheet = _sheet(workbook, title, [COLUMNS[key][1] for key in table.columns])
    _header(sheet, table.header())
    append_plain_rows(sheet, table, first_row=2)
