"""Import the way cluster staff work (issue 18): the valid rows now and the others back as a
file to correct and upload again; unknown tiers, kinds and municipalities mapped once; the
portal's own template imports unchanged; the errors file is protected against formulas."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clusters.models import ImportBatch, ImportValueMapping, Membership
from network.models import Organisation
from tests.clusters.factories import csv_upload, valid_cvr, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = [
    "CVR",
    "Navn",
    "Type",
    "Kommune",
    "Kontaktperson",
    "E-mail",
    "Telefon",
    "Niveau",
    "Startdato",
]


def good(n, tier="Basis"):
    return [valid_cvr(100 + n), f"God {n} ApS", "SMV", "Odense", "", "", "", tier, "01-02-2025"]


BAD = [
    ["12345675", "Forkert CVR ApS", "SMV", "Odense", "", "", "", "Basis", "01-02-2025"],
    [valid_cvr(201), "Atlantis ApS", "SMV", "Atlantis", "", "", "", "Basis", "01-02-2025"],
    [valid_cvr(202), '=HYPERLINK("x") ApS', "SMV", "Odense", "", "", "", "Basis", "31-02-2025"],
]


def upload(client, cluster, file):
    client.post(reverse("clusters:import_upload", args=[cluster.slug]), {"file": file})
    return ImportBatch.objects.order_by("-pk").first()


def commit(client, batch, **data):
    return client.post(
        reverse("clusters:import_commit", args=[batch.cluster.slug, batch.pk]), data, follow=True
    )


def errors_file(client, batch):
    response = client.get(reverse("clusters:import_errors", args=[batch.cluster.slug, batch.pk]))
    assert response.status_code == 200
    return response


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response) if hasattr(response, "file_to_stream") else response.content


def test_valid_rows_now_and_the_returned_csv_adds_exactly_the_missing_rows(
    client, cluster, manager, basic
):
    client.force_login(manager)
    batch = upload(client, cluster, csv_upload([good(1), *BAD, good(2)], HEADER))
    assert batch.counts["new"] == 2
    assert batch.counts["error"] == 3
    commit(client, batch, skip_errors="1")
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert Membership.objects.filter(cluster=cluster).count() == 2

    # The rows with errors come back as the upload was: CSV with semicolons and a BOM.
    text = body(errors_file(client, batch)).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    header, lines = rows[0], rows[1:]
    assert header[0] == "Row"
    assert header[-1] == "Problems"
    assert [line[0] for line in lines] == ["3", "4", "5"]
    assert "is not a valid CVR number" in lines[0][-1]
    assert lines[2][2] == '\'=HYPERLINK("x") ApS'  # protected

    # Staff correct the three rows in that very file and upload it again.
    cvr, municipality, start = header.index(header[1]), 4, header.index("Start date")
    lines[0][cvr] = valid_cvr(203)
    lines[1][municipality] = "Aarhus"
    lines[2][2] = "Hyperlink ApS"
    lines[2][start] = "28-02-2025"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows([header, *lines])
    fixed = SimpleUploadedFile("rettet.csv", ("\ufeff" + out.getvalue()).encode(), "text/csv")
    again = upload(client, cluster, fixed)
    assert again.counts["error"] == 0, list(again.rows.values_list("messages", flat=True))
    assert again.counts["new"] == 3
    commit(client, again)
    assert Membership.objects.filter(cluster=cluster).count() == 5
    # The whole original file once more: nothing left to add.
    last = upload(client, cluster, csv_upload([good(1), good(2)], HEADER))
    assert last.counts["new"] == 0
    assert last.counts["unchanged"] == 2


def test_an_xlsx_upload_gets_its_errors_back_as_xlsx_with_dates(client, cluster, manager, basic):
    client.force_login(manager)
    rows = [
        [valid_cvr(1), "Dato ApS", "SMV", "Odense", "", "", "", "Basis", date(2025, 3, 1)],
        [valid_cvr(2), "Ukendt ApS", "SMV", "Atlantis", "", "", "", "Basis", date(2025, 3, 1)],
    ]
    batch = upload(client, cluster, xlsx_upload(rows, HEADER))
    commit(client, batch, skip_errors="1")
    response = errors_file(client, batch)
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(body(response))).active
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    assert values[1][header.index("Start date")].date() == date(2025, 3, 1)
    assert "Unknown municipality: Atlantis." in values[1][-1]
    fixed = [list(v) for v in values]
    fixed[1][header.index("Municipality")] = "Aarhus"
    again = upload(client, cluster, xlsx_upload(fixed[1:], list(header), name="rettet.xlsx"))
    assert again.counts["new"] == 1
    assert again.counts["error"] == 0


def test_confirming_needs_the_choice_to_leave_the_errors_out(client, cluster, manager, basic):
    client.force_login(manager)
    batch = upload(client, cluster, csv_upload([good(1), BAD[0]], HEADER))
    response = commit(client, batch)
    assert "Nothing was imported" in response.content.decode()
    assert not Membership.objects.exists()


def test_unknown_tiers_are_named_with_the_clusters_tiers_and_mapped_once(
    client, cluster, manager, basic, premium
):
    client.force_login(manager)
    file = [good(1, "Standard"), good(2, "Standard"), good(3, "Guld")]
    batch = upload(client, cluster, csv_upload(file, HEADER))
    assert batch.counts["error"] == 3
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "This cluster has no tier called Standard. Its tiers are: Basis, Premium." in page
    assert 'name="map-tier-standard"' in page
    assert 'name="map-tier-guld"' in page
    client.post(
        reverse("clusters:import_map_values", args=[cluster.slug, batch.pk]),
        {"map-tier-standard": str(basic.pk), "map-tier-guld": str(premium.pk)},
    )
    batch.refresh_from_db()
    assert batch.counts["error"] == 0
    assert batch.counts["new"] == 3
    commit(client, batch)
    tiers = dict(Membership.objects.values_list("organisation__name", "tier__name"))
    assert tiers == {"God 1 ApS": "Basis", "God 2 ApS": "Basis", "God 3 ApS": "Premium"}
    # Remembered for the cluster: the next file with those spellings imports at once.
    assert ImportValueMapping.objects.filter(cluster=cluster).count() == 2
    later = upload(client, cluster, csv_upload([good(4, "STANDARD")], HEADER))
    assert later.counts["error"] == 0


def test_unknown_kind_and_municipality_are_mapped(client, cluster, manager, basic):
    from network.models import Municipality

    client.force_login(manager)
    row = good(1)
    row[2], row[3] = "Virksomhed", "Kbh"
    batch = upload(client, cluster, csv_upload([row], HEADER))
    assert batch.counts["error"] == 1
    copenhagen = Municipality.objects.get(country="DK", code="0101")
    client.post(
        reverse("clusters:import_map_values", args=[cluster.slug, batch.pk]),
        {"map-kind-virksomhed": "sme", "map-municipality-kbh": str(copenhagen.pk)},
    )
    batch.refresh_from_db()
    assert batch.counts["error"] == 0
    # A target the cluster does not offer is ignored.
    batch2 = upload(client, cluster, csv_upload([[*row[:2], "Noget", *row[3:]]], HEADER))
    client.post(
        reverse("clusters:import_map_values", args=[cluster.slug, batch2.pk]),
        {"map-kind-noget": "dragon"},
    )
    batch2.refresh_from_db()
    assert batch2.counts["error"] == 1


@pytest.mark.parametrize("query", ["?dialect=standard", "?dialect=excel-da", "?format=xlsx"])
def test_the_downloaded_template_imports_unchanged(client, cluster, manager, basic, query):
    client.force_login(manager)
    response = client.get(reverse("clusters:import_template", args=[cluster.slug]) + query)
    name = "template.xlsx" if "xlsx" in query else "template.csv"
    batch = upload(client, cluster, SimpleUploadedFile(name, body(response)))
    assert batch.status == "preview", batch.error
    assert batch.counts["error"] == 0, list(batch.rows.values_list("messages", flat=True))
    assert batch.counts["new"] == 1
    commit(client, batch)
    membership = Membership.objects.get()
    assert membership.tier == basic  # an empty tier is the cluster's first
    # "Applied" is taken from the file, not the day of the import.
    assert timezone.localtime(membership.applied_at).date() == date(2024, 11, 15)


def test_applied_defaults_to_the_start_date(client, cluster, manager, basic):
    client.force_login(manager)
    commit(client, upload(client, cluster, csv_upload([good(1)], HEADER)))
    assert timezone.localtime(Membership.objects.get().applied_at).date() == date(2025, 2, 1)


def test_a_null_byte_refuses_its_row_and_is_never_stored(client, cluster, manager, basic):
    client.force_login(manager)
    row = good(1)
    row[1] = "Nul\x00byte ApS"
    batch = upload(client, cluster, csv_upload([row, good(2)], HEADER))
    assert batch.counts["error"] == 1
    assert batch.counts["new"] == 1
    bad = batch.rows.get(outcome="error")
    assert [m["code"] for m in bad.messages] == ["control_character"]
    assert "\x00" not in bad.raw["name"]
    commit(client, batch, skip_errors="1")
    assert list(Organisation.objects.values_list("name", flat=True)) == ["God 2 ApS"]


def test_the_problems_column_of_the_errors_file_is_protected(client, cluster, manager, basic):
    client.force_login(manager)
    row = good(1)
    row[0] = "=1+2"  # the reason repeats the value: "=1+2 is neither a CVR number ..."
    batch = upload(client, cluster, csv_upload([row, good(2)], HEADER, delimiter=","))
    text = body(errors_file(client, batch)).decode("utf-8")
    assert not text.startswith("\ufeff")  # a comma-separated upload gets a standard CSV back
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[1][1] == "'=1+2"
    assert lines[1][-1].startswith("'=1+2 is neither")
    for value in lines[1]:
        assert not value.startswith(("=", "+", "-", "@")), value


@pytest.mark.parametrize("language", ["da", "nb", "en"])
def test_the_portals_own_column_names_are_read_in_every_language(language):
    from django.utils import translation

    from clusters import imports

    with translation.override(language):
        header = [str(imports.FIELD_LABELS[name]) for name in imports.HEADER_ALIASES]
    assert imports.map_headers(header) == {
        name: index for index, name in enumerate(imports.HEADER_ALIASES)
    }
