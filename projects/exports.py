"""The funding report out as XLSX and CSV, and the rows behind each figure as table rows.

XLSX: a summary sheet, a sheet per section (each figure, its breakdown and a total), and a
"Sources" sheet listing, for every figure, the rows it counted. Cells are typed: counts are
integers, hours and money numbers with a number format, dates dates. CSV: one line per figure
and breakdown, the same numbers as the page and the XLSX.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from clusters.exports import csv_safe
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
from projects.reports import COUNT, HOURS, MONEY, PERCENT, Figure, Report, prorate

SOURCE_COLUMNS = [
    ("type", _("Row type"), 16),
    ("id", _("Id"), 8),
    ("name", _("Name"), 44),
    ("kind", _("Kind or status"), 22),
    ("date", _("Date"), 12),
    ("cluster", _("Cluster"), 22),
    ("organisation", _("Organisation"), 30),
    ("people", _("People"), 8),
    ("hours", _("Hours"), 10),
    ("value", _("Amount"), 14),
    ("cash", _("Cash"), 14),
]
UNIT_LABELS = {
    COUNT: _("number"),
    HOURS: _("hours"),
    MONEY: _("amount"),
    PERCENT: _("percent"),
}
MONEY_FORMAT = "#,##0.00"
HOURS_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.0"%"'
DATE_FORMAT = "yyyy-mm-dd"


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


def prepare_rows(rows):
    """The rows of a figure with what their table row needs, in a constant number of queries."""
    model = rows.model
    if model is Match:
        return rows.select_related("source")
    if model is Introduction:
        return rows.select_related("source", "target_organisation")
    return rows


def source_values(obj, scope=None) -> dict:
    """One row behind a figure, as typed values keyed by SOURCE_COLUMNS."""
    if isinstance(obj, Organisation):
        return {"type": _("Organisation"), "name": obj.name, "kind": _display(obj, "kind")}
    if isinstance(obj, Match):
        return {
            "type": _("Match"),
            "name": f"{obj.source.name} → {_display(obj, 'target_type')} {obj.target_id}",
            "kind": _display(obj, "status"),
            "date": _day(obj.created_at),
            "organisation": obj.source.name,
        }
    if isinstance(obj, Introduction):
        return {
            "type": _("Introduction"),
            "name": f"{obj.source.name} → {obj.target_organisation.name}",
            "kind": _display(obj, "status"),
            "date": _day(obj.requested_at),
            "organisation": obj.source.name,
        }
    if isinstance(obj, Project):
        return {
            "type": _("Project"),
            "name": obj.title,
            "kind": _display(obj, "status"),
            "date": obj.start,
            "cluster": obj.lead_cluster.name,
        }
    if isinstance(obj, ProjectPartner):
        return {
            "type": _("Project partner"),
            "name": obj.project.title,
            "kind": _display(obj.organisation, "kind"),
            "organisation": obj.organisation.name,
        }
    if isinstance(obj, Activity):
        return {
            "type": _("Activity"),
            "name": obj.title,
            "kind": _display(obj, "kind"),
            "date": obj.date,
            "cluster": obj.cluster.name,
        }
    if isinstance(obj, ActivityParticipant):
        return {
            "type": _("Participant"),
            "name": obj.activity.title,
            "kind": _display(obj, "kind"),
            "date": obj.activity.date,
            "organisation": obj.organisation.name if obj.organisation else "",
            "people": obj.people,
        }
    if isinstance(obj, Contribution):
        target = obj.project or obj.activity
        return {
            "type": _("Contribution"),
            "name": target.title,
            "kind": _display(obj, "funding_source"),
            "date": obj.date,
            "organisation": obj.organisation.name,
            "hours": obj.hours,
            "value": obj.hours * obj.hourly_rate,
            "cash": obj.cash,
        }
    if isinstance(obj, Budget):
        values = {
            "type": _("Budget line"),
            "name": f"{obj.period_start:%Y-%m-%d} – {obj.period_end:%Y-%m-%d}",
            "kind": _display(obj, "funding_source"),
            "date": obj.period_start,
            "cluster": obj.cluster.name,
            "cash": obj.amount,
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


def source_row(obj, scope=None) -> list:
    values = source_values(obj, scope)
    values.setdefault("id", obj.pk)
    return [
        str(values[key]) if isinstance(values.get(key), Promise) else values.get(key)
        for key, _label, _width in SOURCE_COLUMNS
    ]


def source_header() -> list[str]:
    return [str(label) for _key, label, _width in SOURCE_COLUMNS]


def figure_lines(figure: Figure) -> list[tuple[str, str, object]]:
    """(label, breakdown label, number) for a figure: its total first, then each group."""
    lines = [(str(figure.label), str(_("Total")), figure.number)]
    for group in figure.groups:
        lines.append((str(figure.label), group.label, group.number))
    return lines


def _scope_lines(report: Report) -> list[tuple[str, object]]:
    scope = report.scope
    return [
        (str(_("From")), scope.start),
        (str(_("To")), scope.end),
        (str(_("Scope")), scope.cluster.name if scope.cluster else str(_("The whole network"))),
        (str(_("Made")), timezone.localtime().replace(tzinfo=None, microsecond=0)),
    ]


# --- CSV ----------------------------------------------------------------------------------------
def report_csv(report: Report, *, language: str) -> str:
    """The report as CSV text: section, figure, breakdown, number, unit (UTF-8 with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with translation.override(language):
        writer.writerow(
            [
                str(_("Section")),
                str(_("Figure")),
                str(_("Breakdown")),
                str(_("Number")),
                str(_("Unit")),
                str(_("Key")),
            ]
        )
        for _key, section_label, figures in report.sections():
            for figure in figures:
                for label, group, number in figure_lines(figure):
                    writer.writerow(
                        [
                            csv_safe(str(section_label)),
                            csv_safe(label),
                            csv_safe(group),
                            _csv_number(number),
                            str(UNIT_LABELS[figure.unit]),
                            figure.key,
                        ]
                    )
    return "\ufeff" + buffer.getvalue()


def _csv_number(number) -> str:
    if number is None:
        return ""
    if isinstance(number, Decimal):
        return f"{number:.2f}" if number != number.to_integral_value() else f"{number:.0f}"
    return str(number)


# --- XLSX ---------------------------------------------------------------------------------------
def _cell(sheet, value, *, bold=False, number_format=None):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(
        sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
    )
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def _plain(sheet, value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            return cell
    return value


def _format(unit: str) -> str | None:
    return {MONEY: MONEY_FORMAT, HOURS: HOURS_FORMAT, PERCENT: PERCENT_FORMAT}.get(unit)


def report_xlsx(report: Report, *, language: str, progress=None) -> bytes:
    """The report as an XLSX workbook (bytes). `progress(done, total)` is called per figure."""
    workbook = Workbook(write_only=True)
    figures_total = len(report.figures)
    done = 0
    with translation.override(language):
        summary = workbook.create_sheet(title=str(_("Summary"))[:31])
        summary.column_dimensions["A"].width = 28
        summary.column_dimensions["B"].width = 44
        summary.column_dimensions["C"].width = 16
        summary.column_dimensions["D"].width = 10
        summary.append([_cell(summary, str(_("Funding report")), bold=True)])
        for label, value in _scope_lines(report):
            summary.append([_cell(summary, label), _cell(summary, value)])
        summary.append([])
        summary.append(
            [
                _cell(summary, str(h), bold=True)
                for h in (_("Section"), _("Figure"), _("Number"), _("Unit"))
            ]
        )
        for _key, section_label, figures in report.sections():
            for figure in figures:
                summary.append(
                    [
                        _cell(summary, str(section_label)),
                        _cell(summary, str(figure.label)),
                        _cell(summary, figure.number, number_format=_format(figure.unit)),
                        _cell(summary, str(UNIT_LABELS[figure.unit])),
                    ]
                )
        for _key, section_label, figures in report.sections():
            sheet = workbook.create_sheet(title=str(section_label)[:31])
            sheet.column_dimensions["A"].width = 40
            sheet.column_dimensions["B"].width = 30
            sheet.column_dimensions["C"].width = 16
            sheet.append(
                [
                    _cell(sheet, str(h), bold=True)
                    for h in (_("Figure"), _("Breakdown"), _("Number"))
                ]
            )
            for figure in figures:
                fmt = _format(figure.unit)
                for group in figure.groups:
                    sheet.append(
                        [
                            _cell(sheet, str(figure.label)),
                            _cell(sheet, group.label),
                            _cell(sheet, group.number, number_format=fmt),
                        ]
                    )
                sheet.append(
                    [
                        _cell(sheet, str(figure.label), bold=True),
                        _cell(sheet, str(_("Total")), bold=True),
                        _cell(sheet, figure.number, bold=True, number_format=fmt),
                    ]
                )
        sources = workbook.create_sheet(title=str(_("Sources"))[:31])
        for index, (_key, _label, width) in enumerate(SOURCE_COLUMNS, start=2):
            sources.column_dimensions[_column_letter(index)].width = width
        sources.column_dimensions["A"].width = 36
        sources.freeze_panes = "A2"
        sources.append(
            [_cell(sources, str(_("Figure")), bold=True)]
            + [_cell(sources, h, bold=True) for h in source_header()]
        )
        for figure in report.figures.values():
            if figure.key == "co_financing_share":
                continue  # the same rows as private co-financing
            label = str(figure.label)
            for obj in prepare_rows(figure.rows).iterator(chunk_size=1000):
                # Plain values (openpyxl types them; dates get a date format): a styled cell
                # per value costs several times as much on a sheet of tens of thousands of rows.
                sources.append(
                    [_plain(sources, label)]
                    + [_plain(sources, value) for value in source_row(obj, report.scope)]
                )
            done += 1
            if progress:
                progress(done, figures_total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    return get_column_letter(index)


def filename(report: Report, extension: str) -> str:
    scope = report.scope
    name = scope.cluster.slug if scope.cluster else "network"
    return f"funding-report-{name}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.{extension}"
