"""The funding report as CSV: standard, or for Danish/Norwegian Excel."""

import csv
import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from clusters.exports import csv_safe
from projects.exports.rows import UNIT_LABELS, figure_lines, scope_name
from projects.reports import (
    Report,
)

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
