"""A network admin signs in, picks a period on the funding report page, opens a figure's rows
and downloads the XLSX, in a real browser (under the strict CSP), at 360, 768 and 1366 px
(tests/browser/widths.py)."""

import openpyxl
import pytest
from django.utils import translation

from projects.exports.workbook import SHEETS
from tests.browser.test_membership_journey import PASSWORD, sign_in
from tests.browser.widths import WIDTHS, at_width, journey_step
from tests.factories import UserFactory
from tests.projects import report_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_downloads_the_funding_report(page, live_server, tmp_path, width):
    report_data.build()
    admin = UserFactory(email="sekretariat@network.example", is_network_admin=True)
    admin.set_password(PASSWORD)
    admin.save()
    at_width(page, width)
    sign_in(page, admin)

    page.goto("/projects/report/")
    journey_step(page, "admin", "1-report-form")
    page.locator("#id_start").fill("2025-01-01")
    page.locator("#id_end").fill("2025-12-31")
    page.locator("[data-testid=report-form] button[type=submit]").click()
    page.wait_for_load_state()
    report = page.locator("[data-testid=report]")
    report.wait_for()
    assert page.locator("[data-testid=figure-members_end]").inner_text().strip() == "3"
    assert page.locator("[data-testid=figure-participants]").inner_text().strip() == "21"
    journey_step(page, "admin", "2-report")

    # A figure opens to the rows behind it.
    page.locator("[data-testid=figure-members_end]").click()
    page.wait_for_load_state()
    rows = page.locator("[data-testid=figure-rows] tbody tr")
    assert rows.count() == 3
    journey_step(page, "admin", "3-figure-rows")
    page.go_back()
    page.wait_for_load_state()

    with page.expect_download() as download_info:
        page.locator("[data-testid=download-xlsx]").click()
    download = download_info.value
    assert download.suggested_filename == "funding-report-network-20250101-20251231.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved)
    with translation.override("da"):
        expected = [str(name) for name in SHEETS]
    # Cover, definitions, figures, per cluster, per region and fees, then one sheet per figure.
    assert workbook.sheetnames[: len(expected)] == expected
    figures = workbook[expected[2]]
    numbers = [row[4] for row in figures.iter_rows(min_row=2, values_only=True) if row[1]]
    assert 3 in numbers  # members at the end of the period, as an integer cell
