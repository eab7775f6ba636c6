"""The funding report out as a workbook for the funder (XLSX) and as CSV in two dialects.

XLSX: a cover sheet (scope, period, currencies, when and by whom, the report's version), the
definitions of every figure, the figures with their breakdowns, per cluster and per region, fee
income per currency, then one sheet per figure listing the rows it counted. Every amount sits
beside its currency. Cells are typed (counts integers, amounts numbers with a format, dates
dates), text is never a formula, and every sheet prints on A4 landscape, fitted to the width,
with its header row repeated and frozen.

CSV: one line per figure and breakdown, each line naming its scope, period and currency;
standard (comma, decimal point, UTF-8) or for Danish/Norwegian Excel (BOM, semicolon, decimal
comma).
"""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import LXML, Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.xml.constants import XML_NS

from clusters.exports import csv_safe
from clusters.models import Membership
from matchmaking.models import Match
from matchmaking.models_introductions import Introduction
from network.models import Organisation
from projects.models import (
    Activity,
    ActivityParticipant,
    Budget,
    Contribution,
    Project,
    ProjectPartner,
)
from projects.reports import (
    COUNT,
    HOURS,
    MONEY,
    PERCENT,
    Figure,
    Report,
    build_report,
    by_region,
    prorate,
)

# The version of the figures' definitions: a funder can tell two reports made by different
# definitions apart. Raise it whenever a definition in projects/reports.py changes.
REPORT_VERSION = "2.0 (2026-12)"

COLUMNS = {
    "id": (_("Id"), 8),
    "name": (_("Name"), 44),
    "kind": (_("Kind or status"), 22),
    "date": (_("Date"), 12),
    "cluster": (_("Cluster"), 22),
    "organisation": (_("Organisation"), 30),
    "region": (_("Region"), 20),
    "people": (_("People"), 8),
    "hours": (_("Hours"), 10),
    "value": (_("Amount"), 14),
    "cash": (_("Cash"), 14),
    "currency": (_("Currency"), 9),
}
# The columns of a figure's rows, by the kind of row.
MODEL_COLUMNS = {
    Organisation: ["id", "name", "kind", "region"],
    Membership: ["id", "organisation", "cluster", "kind", "date", "region", "value", "currency"],
    Match: ["id", "name", "kind", "date", "organisation", "region"],
    Introduction: ["id", "name", "kind", "date", "organisation", "region"],
    Project: ["id", "name", "kind", "date", "cluster"],
    ProjectPartner: ["id", "name", "kind", "organisation", "region"],
    Activity: ["id", "name", "kind", "date", "cluster"],
    ActivityParticipant: ["id", "name", "kind", "date", "organisation", "region", "people"],
    Contribution: [
        "id",
        "name",
        "kind",
        "date",
        "organisation",
        "region",
        "hours",
        "value",
        "cash",
        "currency",
    ],
    Budget: ["id", "name", "kind", "date", "cluster", "cash", "value", "currency"],
}
MODEL_RECORDS = {
    Organisation: _("organisations (with their memberships)"),
    Membership: _("memberships"),
    Match: _("matches"),
    Introduction: _("introductions"),
    Project: _("projects"),
    ProjectPartner: _("project partners"),
    Activity: _("activities"),
    ActivityParticipant: _("activity participants"),
    Contribution: _("contributions"),
    Budget: _("budget lines"),
}
UNIT_LABELS = {COUNT: _("number"), HOURS: _("hours"), MONEY: _("amount"), PERCENT: _("percent")}
MONEY_FORMAT = "#,##0.00"
HOURS_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.00"%"'
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
XML_SPACE = f"{{{XML_NS}}}space"
if LXML:
    from lxml.etree import Element, SubElement


def _day(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


@lru_cache(maxsize=4096)
def _choice_label(model, field_name: str, value, language: str) -> str:
    field = model._meta.get_field(field_name)
    return str(dict(field.flatchoices).get(value, value))


def _display(obj, field_name: str) -> str:
    """get_FOO_display(), remembered per value and language (rows repeat the same few)."""
    return _choice_label(
        type(obj), field_name, getattr(obj, field_name), translation.get_language()
    )


def _region(organisation) -> str:
    return organisation.region.name if organisation and organisation.region_id else ""


# What each kind of row reads: only the columns its sheet shows (a row sheet lists thousands of
# rows; every deferred datetime is a conversion saved), with the related rows it names.
ROW_FIELDS = {
    Organisation: (["region"], ["id", "name", "kind", "region__name"]),
    Membership: (
        ["organisation__region", "cluster"],
        [
            "id",
            "status",
            "period_start",
            "annual_fee",
            "currency",
            "organisation__name",
            "organisation__region__name",
            "cluster__name",
        ],
    ),
    Match: (
        ["source__region"],
        [
            "id",
            "status",
            "created_at",
            "target_type",
            "target_id",
            "source__name",
            "source__region__name",
        ],
    ),
    Introduction: (
        ["source__region", "target_organisation"],
        [
            "id",
            "status",
            "requested_at",
            "source__name",
            "source__region__name",
            "target_organisation__name",
        ],
    ),
    Project: (["lead_cluster"], ["id", "title", "status", "start", "lead_cluster__name"]),
    ProjectPartner: (
        ["project", "organisation__region"],
        [
            "id",
            "project__title",
            "organisation__name",
            "organisation__kind",
            "organisation__region__name",
        ],
    ),
    Activity: (["cluster"], ["id", "title", "kind", "date", "cluster__name"]),
    ActivityParticipant: (
        ["activity", "organisation__region"],
        [
            "id",
            "kind",
            "people",
            "activity__title",
            "activity__date",
            "organisation__name",
            "organisation__region__name",
        ],
    ),
    Contribution: (
        ["project", "activity", "organisation__region"],
        [
            "id",
            "date",
            "hours",
            "hourly_rate",
            "cash",
            "currency",
            "funding_source",
            "organisation__name",
            "organisation__region__name",
            "project__title",
            "activity__title",
        ],
    ),
    Budget: (["cluster"], None),
}


def prepare_rows(rows):
    """The rows of a figure with what their table row needs, in a constant number of queries."""
    related, fields = ROW_FIELDS.get(rows.model, ([], None))
    rows = rows.select_related(*related) if related else rows
    return rows.only(*fields) if fields else rows


def source_values(obj, scope=None) -> dict:
    """One row behind a figure, as typed values keyed by COLUMNS."""
    if isinstance(obj, Organisation):
        return {"name": obj.name, "kind": _display(obj, "kind"), "region": _region(obj)}
    if isinstance(obj, Membership):
        return {
            "organisation": obj.organisation.name,
            "cluster": obj.cluster.name,
            "kind": _display(obj, "status"),
            "date": getattr(obj, "joined", None) or obj.period_start,
            "region": _region(obj.organisation),
            "value": obj.annual_fee,
            "currency": getattr(obj, "fee_currency", None) or obj.currency,
        }
    if isinstance(obj, Match):
        return {
            "name": f"{obj.source.name} → {_display(obj, 'target_type')} {obj.target_id}",
            "kind": _display(obj, "status"),
            "date": _day(obj.created_at),
            "organisation": obj.source.name,
            "region": _region(obj.source),
        }
    if isinstance(obj, Introduction):
        return {
            "name": f"{obj.source.name} → {obj.target_organisation.name}",
            "kind": _display(obj, "status"),
            "date": _day(obj.requested_at),
            "organisation": obj.source.name,
            "region": _region(obj.source),
        }
    if isinstance(obj, Project):
        return {
            "name": obj.title,
            "kind": _display(obj, "status"),
            "date": obj.start,
            "cluster": obj.lead_cluster.name,
        }
    if isinstance(obj, ProjectPartner):
        return {
            "name": obj.project.title,
            "kind": _display(obj.organisation, "kind"),
            "organisation": obj.organisation.name,
            "region": _region(obj.organisation),
        }
    if isinstance(obj, Activity):
        return {
            "name": obj.title,
            "kind": _display(obj, "kind"),
            "date": obj.date,
            "cluster": obj.cluster.name,
        }
    if isinstance(obj, ActivityParticipant):
        return {
            "name": obj.activity.title,
            "kind": _display(obj, "kind"),
            "date": obj.activity.date,
            "organisation": obj.organisation.name if obj.organisation else "",
            "region": _region(obj.organisation),
            "people": obj.people,
        }
    if isinstance(obj, Contribution):
        target = obj.project or obj.activity
        return {
            "name": target.title,
            "kind": _display(obj, "funding_source"),
            "date": obj.date,
            "organisation": obj.organisation.name,
            "region": _region(obj.organisation),
            "hours": obj.hours,
            "value": obj.hours * obj.hourly_rate,
            "cash": obj.cash,
            "currency": obj.currency,
        }
    if isinstance(obj, Budget):
        values = {
            "name": f"{obj.period_start:%Y-%m-%d} – {obj.period_end:%Y-%m-%d}",
            "kind": _display(obj, "funding_source"),
            "date": obj.period_start,
            "cluster": obj.cluster.name,
            "cash": obj.amount,
            "currency": obj.currency,
        }
        if scope is not None:
            values["value"] = prorate(
                obj.amount,
                start=obj.period_start,
                end=obj.period_end,
                within_start=scope.start,
                within_end=scope.end,
            )
        return values
    raise TypeError(type(obj))


def columns_for(model) -> list[str]:
    return MODEL_COLUMNS[model]


def source_row(obj, scope=None, columns=None) -> list:
    values = source_values(obj, scope)
    values.setdefault("id", obj.pk)
    return [
        str(values[key]) if isinstance(values.get(key), Promise) else values.get(key)
        for key in columns or columns_for(type(obj))
    ]


def source_header(model) -> list[str]:
    return [str(COLUMNS[key][0]) for key in columns_for(model)]


def figure_lines(figure: Figure) -> list[tuple[str, str, object]]:
    """(label, breakdown label, number) for a figure: its total first, then each group."""
    lines = [(str(figure.label), str(_("Total")), figure.number)]
    for group in figure.groups:
        lines.append((str(figure.label), group.label, group.number))
    return lines


def scope_name(report: Report) -> str:
    cluster = report.scope.cluster
    return cluster.name if cluster else str(_("The whole network"))


def _user_name(user) -> str:
    if user is None:
        return str(_("the portal (scheduled run)"))
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name} <{user.email}>" if name else user.email


# --- CSV ----------------------------------------------------------------------------------------
STANDARD, EXCEL_DA = "standard", "excel-da"
CSV_DIALECTS = (STANDARD, EXCEL_DA)


def _csv_number(number, *, decimal_comma: bool) -> str:
    """Counts as integers; amounts, hours and percentages with two decimals."""
    if number is None:
        return ""
    text = f"{number:.2f}" if isinstance(number, Decimal) else str(number)
    return text.replace(".", ",") if decimal_comma else text


def report_csv(report: Report, *, language: str, dialect: str = STANDARD) -> str:
    """The report as CSV text. Every line states the scope, the period and the currency, so a
    line copied out of the file still says what it counts.

    `dialect` "standard": comma, decimal point, UTF-8; "excel-da": what Danish and Norwegian
    Excel opens with a double click (a BOM, semicolons, decimal commas)."""
    danish = dialect == EXCEL_DA
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if danish else ",", lineterminator="\r\n")
    scope = report.scope
    with translation.override(language):
        name = csv_safe(scope_name(report))
        writer.writerow(
            [
                str(h)
                for h in (
                    _("Scope"),
                    _("From"),
                    _("To"),
                    _("Section"),
                    _("Figure"),
                    _("Breakdown"),
                    _("Currency"),
                    _("Number"),
                    _("Unit"),
                    _("Key"),
                )
            ]
        )
        for _key, section_label, lines in report.sections():
            for line in lines:
                for figure in line.figures:
                    for label, group, number in figure_lines(figure):
                        writer.writerow(
                            [
                                name,
                                scope.start.isoformat(),
                                scope.end.isoformat(),
                                csv_safe(str(section_label)),
                                csv_safe(label),
                                csv_safe(group),
                                figure.currency or "",
                                _csv_number(number, decimal_comma=danish),
                                str(UNIT_LABELS[figure.unit]),
                                figure.key,
                            ]
                        )
    text = buffer.getvalue()
    return "\ufeff" + text if danish else text


# --- XLSX ---------------------------------------------------------------------------------------
def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _cell(sheet, value, *, bold=False, number_format=None, wrap=False):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(sheet, value=_text(value) if isinstance(value, str) else value)
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


def _plain(sheet, value):
    """A value for a row sheet: plain values (openpyxl types them; dates get a date format) cost
    a fraction of a styled cell each on sheets of tens of thousands of rows."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        value = _text(value)
        if value[:1] in ("=", "+", "-", "@"):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            return cell
    return value


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
    model = figure.rows.model
    columns = columns_for(model)
    sheet = _sheet(workbook, title, [COLUMNS[key][1] for key in columns])
    _header(sheet, [COLUMNS[key][0] for key in columns])
    rows = (
        source_row(obj, report.scope, columns)
        for obj in prepare_rows(figure.rows).iterator(chunk_size=2000)
    )
    _append_plain_rows(sheet, rows)


def _append_plain_rows(sheet, rows) -> None:
    """Append rows of plain values (text, numbers, dates, None) to a write-only sheet.

    A sheet of rows holds tens of thousands of cells: with lxml each row is built as one
    element and written at once, a fraction of what openpyxl spends on a cell object per value
    (the figures' sheets of rows are most of a workbook's time). Text is an inline string, so
    never a formula. Without lxml, through openpyxl's own append."""
    if not LXML:
        for row in rows:
            sheet.append([_plain(sheet, value) for value in row])
        return
    date_cell = WriteOnlyCell(sheet)
    date_cell.number_format = DATE_FORMAT
    date_style = str(date_cell.style_id)
    epoch = sheet.parent.epoch
    letters = [get_column_letter(i) for i in range(1, 100)]
    # The header row has started the sheet's stream; the rows after it skip the cell objects.
    sheet._values_to_row = lambda values, _row_idx: values

    def write_row(xf, values, row_idx):
        number = str(row_idx)
        row = Element("row", r=number)
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = letters[index] + number
            if isinstance(value, str | Promise):
                text = _text(str(value))
                cell = SubElement(row, "c", r=ref, t="inlineStr")
                inline = SubElement(SubElement(cell, "is"), "t")
                if text != text.strip():
                    inline.set(XML_SPACE, "preserve")
                inline.text = text
            elif isinstance(value, date):
                cell = SubElement(row, "c", r=ref, t="n", s=date_style)
                SubElement(cell, "v").text = repr(to_excel(value, epoch))
            elif isinstance(value, bool):
                SubElement(SubElement(row, "c", r=ref, t="b"), "v").text = str(int(value))
            else:
                SubElement(SubElement(row, "c", r=ref, t="n"), "v").text = str(value)
        xf.write(row)

    sheet._writer.write_row = write_row
    for row in rows:
        sheet.append(row)


def filename(report: Report, extension: str, dialect: str = STANDARD) -> str:
    scope = report.scope
    name = scope.cluster.slug if scope.cluster else "network"
    suffix = "-excel-da" if dialect == EXCEL_DA else ""
    return f"funding-report-{name}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}{suffix}.{extension}"
