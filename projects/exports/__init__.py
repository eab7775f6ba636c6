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

from projects.exports.csv_file import CSV_DIALECTS, EXCEL_DA, STANDARD, report_csv
from projects.exports.rows import (
    COLUMNS,
    REPORT_VERSION,
    UNIT_LABELS,
    RowTable,
    figure_lines,
    scope_name,
)
from projects.exports.workbook import report_xlsx, sheet_titles
from projects.reports import Report

__all__ = [
    "COLUMNS",
    "CSV_DIALECTS",
    "EXCEL_DA",
    "REPORT_VERSION",
    "STANDARD",
    "UNIT_LABELS",
    "RowTable",
    "figure_lines",
    "filename",
    "report_csv",
    "report_xlsx",
    "scope_name",
    "sheet_titles",
]


def filename(report: Report, extension: str, dialect: str = STANDARD) -> str:
    scope = report.scope
    name = scope.cluster.slug if scope.cluster else "network"
    suffix = "-excel-da" if dialect == EXCEL_DA else ""
    return f"funding-report-{name}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}{suffix}.{extension}"
