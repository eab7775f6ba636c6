"""The member list as staff see it when they open the XLSX export in LibreOffice Calc."""

import csv
import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from tests.clusters.factories import active_membership, valid_cvr
from tests.conftest import missing_service
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.office]


def test_libreoffice_shows_names_dates_and_fees_and_never_runs_a_name(
    client, cluster, manager, premium, tmp_path
):
    soffice = shutil.which("soffice")
    if soffice is None:
        missing_service("No soffice: install Debian's libreoffice-calc-nogui (make office).")
    active_membership(
        cluster,
        organisation=OrganisationFactory(name="Sensorfirma ApS", cvr=valid_cvr(1)),
        tier=premium,
        start=date(2025, 3, 1),
        primary_contact=PersonFactory(first_name="Jens", last_name="Hansen"),
    )
    active_membership(
        cluster,
        organisation=OrganisationFactory(name="=1+2", cvr=valid_cvr(2)),
        tier=premium,
        start=date(2025, 3, 1),
    )
    client.force_login(manager)
    response = client.get(reverse("clusters:member_export_xlsx", args=[cluster.slug]))
    workbook = tmp_path / "members.xlsx"
    workbook.write_bytes(b"".join(response.streaming_content))
    # The first sheet as LibreOffice shows it: the CSV filter's ninth option writes each cell
    # as formatted on screen (comma, UTF-8, quoted text).
    shown_as_csv = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            shown_as_csv,
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    with open(tmp_path / "members.csv", newline="", encoding="utf-8") as shown:
        rows = list(csv.reader(shown))
    header = rows[0]
    by_name = {row[0]: dict(zip(header, row, strict=False)) for row in rows[1:]}
    assert set(by_name) == {"Sensorfirma ApS", "=1+2"}  # the formula-like name stays as written
    sensor = by_name["Sensorfirma ApS"]
    assert sensor["Period start"] == "2025-03-01"
    assert sensor["Annual fee"] == f"{premium.annual_fee:,.2f}"
    assert sensor["Contact"] == "Jens Hansen"
