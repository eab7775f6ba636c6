"""The funder's workbook opens in LibreOffice and prints to a sensible number of pages."""

import io
import re
import shutil
import subprocess

import openpyxl
import pytest

from projects import exports, reports
from tests.conftest import missing_service
from tests.projects import report_data

pytestmark = [pytest.mark.django_db, pytest.mark.office]


def test_libreoffice_prints_the_workbook_a_page_a_sheet(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        missing_service("No soffice: install Debian's libreoffice-calc-nogui (make office).")
    report_data.build()
    report = reports.build_report(start=report_data.START, end=report_data.END)
    content = exports.report_xlsx(report, language="da")
    sheets = len(openpyxl.load_workbook(io.BytesIO(content), read_only=True).sheetnames)
    workbook = tmp_path / "report.xlsx"
    workbook.write_bytes(content)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = (tmp_path / "report.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    # One page wide and short sheets: about a page a sheet (the definitions' long texts and the
    # cover may take a second), not hundreds of pages cut into columns.
    assert sheets <= pages <= sheets + 4, (sheets, pages)
