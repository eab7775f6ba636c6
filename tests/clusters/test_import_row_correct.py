"""Correcting a row with errors in the import preview (issue 18): a page of its own without
JavaScript, the table row swapped in place with htmx; checked as the file's rows are, saved only
when it imports, the counts follow, and the commit imports it."""

import pytest
from django.urls import reverse

from clusters.models import ImportBatch, ImportRow, Membership
from network.models import Organisation
from tests.clusters.factories import csv_upload, staff, valid_cvr

pytestmark = pytest.mark.django_db

HEADER = ["CVR", "Navn", "Type", "Kommune", "E-mail", "Niveau", "Startdato"]
HX = {"HTTP_HX_REQUEST": "true"}


def good(n):
    return [valid_cvr(300 + n), f"God {n} ApS", "SMV", "Odense", "", "Basis", "01-02-2025"]


BAD_CVR = ["12345675", "Forkert CVR ApS", "SMV", "Odense", "", "Basis", "01-02-2025"]
BAD_TIER = [valid_cvr(350), "Guld ApS", "SMV", "Odense", "", "Guld", "01-02-2025"]


def upload(client, cluster, rows):
    client.post(
        reverse("clusters:import_upload", args=[cluster.slug]),
        {"file": csv_upload(rows, HEADER)},
    )
    return ImportBatch.objects.order_by("-pk").first()


def url(batch, row, cluster=None):
    return reverse(
        "clusters:import_row_correct", args=[(cluster or batch.cluster).slug, batch.pk, row.pk]
    )


def values(row, **changes):
    data = dict(row.raw)
    data.update(changes)
    return data


@pytest.fixture
def batch(client, cluster, manager, basic):
    client.force_login(manager)
    return upload(client, cluster, [good(1), BAD_CVR, good(2)])


def bad_row(batch):
    return batch.rows.get(outcome="error")


def test_the_preview_links_each_row_with_errors_to_its_correction(client, batch):
    page = client.get(batch.get_absolute_url()).content.decode()
    row = bad_row(batch)
    assert page.count('data-testid="correct-row"') == 1
    assert f'href="{url(batch, row)}"' in page
    assert 'hx-target="closest tr"' in page


def test_the_page_shows_the_rows_values_and_reasons(client, batch):
    row = bad_row(batch)
    response = client.get(url(batch, row))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert 'value="12345675"' in page
    assert 'value="Forkert CVR ApS"' in page
    assert "12345675 is not a valid CVR number" in page
    assert "hx-post" not in page  # a plain form without JavaScript


def test_a_corrected_row_is_saved_the_counts_follow_and_it_is_imported(client, cluster, batch):
    row = bad_row(batch)
    fixed = valid_cvr(360)
    response = client.post(url(batch, row), values(row, registry_number=fixed))
    assert response.status_code == 302
    assert response["Location"] == f"{batch.get_absolute_url()}#row-{row.pk}"
    batch.refresh_from_db()
    row.refresh_from_db()
    assert batch.counts["error"] == 0
    assert batch.counts["new"] == 3
    assert row.outcome == "new"
    assert row.raw["registry_number"] == fixed
    assert row.data["cvr"] == fixed
    assert row.data["corrected"] is True
    assert [m["level"] for m in row.messages] == ["warning"]  # the period is over, as for all
    assert batch.counts["warning"] == 3
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Row 3 was corrected" in page
    assert 'data-testid="corrected"' in page
    # Still correctable (to correct the correction), and imported with the others.
    assert f'href="{url(batch, row)}"' in page
    client.post(reverse("clusters:import_commit", args=[cluster.slug, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert Membership.objects.filter(cluster=cluster).count() == 3
    assert Organisation.objects.get(cvr=fixed).name == "Forkert CVR ApS"


def test_bad_input_gets_the_reason_again_with_the_typed_values(client, batch):
    row = bad_row(batch)
    before = batch.counts
    response = client.post(
        url(batch, row), values(row, registry_number="11111111", name="Nyt Navn ApS", kind="Drage")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="11111111"' in page
    assert 'value="Nyt Navn ApS"' in page
    assert "11111111 is not a valid CVR number" in page
    assert "Unknown kind of organisation: Drage." in page
    assert page.count("form-error-message") >= 2  # by their fields
    row.refresh_from_db()
    batch.refresh_from_db()
    assert row.raw["registry_number"] == "12345675"
    assert batch.counts == before


def test_a_control_character_or_a_missing_value_is_refused(client, batch):
    row = bad_row(batch)
    response = client.post(url(batch, row), values(row, registry_number=valid_cvr(361), name=""))
    assert response.status_code == 200
    assert "Name is missing." in response.content.decode()
    response = client.post(
        url(batch, row), values(row, registry_number=valid_cvr(361), name="Nul\x00 ApS")
    )
    assert response.status_code == 200
    assert bad_row(batch).pk == row.pk


def test_a_correction_that_repeats_another_row_is_a_duplicate(client, batch):
    row = bad_row(batch)
    taken = batch.rows.get(line=2)
    response = client.post(
        url(batch, row), values(row, registry_number=taken.raw["registry_number"])
    )
    assert response.status_code == 200
    assert "Duplicate: the same organisation is on line 2." in response.content.decode()


def test_with_htmx_the_row_turns_into_the_form_and_back(client, batch):
    row = bad_row(batch)
    response = client.get(url(batch, row), **HX)
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert fragment.strip().startswith(f'<tr id="row-{row.pk}"')
    assert 'data-testid="row-editing"' in fragment
    assert f'hx-post="{url(batch, row)}"' in fragment
    assert "12345675 is not a valid CVR number" in fragment
    cancelled = client.get(url(batch, row) + "?cancel=1", **HX).content.decode()
    assert cancelled.strip().startswith(f'<tr id="row-{row.pk}" data-outcome="error">')


def test_with_htmx_a_saved_row_swaps_in_place_with_the_counts(client, batch):
    row = bad_row(batch)
    response = client.post(
        url(batch, row),
        values(row, registry_number=valid_cvr(362)),
        HTTP_HX_CURRENT_URL=f"http://testserver{batch.get_absolute_url()}?show=error",
        **HX,
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.strip().startswith(f'<tr id="row-{row.pk}" data-outcome="new">')
    assert '<div id="import-summary" hx-swap-oob="true">' in fragment
    assert '<strong data-testid="count-error">0</strong>' in fragment
    assert '<strong data-testid="count-new">3</strong>' in fragment
    assert "Import 3 rows" in fragment
    invalid = client.post(url(batch, row), values(row, registry_number="x"), **HX)
    assert 'data-testid="row-editing"' in invalid.content.decode()


def test_a_correction_survives_reading_the_file_again(client, cluster, manager, basic, premium):
    client.force_login(manager)
    batch = upload(client, cluster, [good(1), BAD_CVR, BAD_TIER])
    row = batch.rows.get(line=3)
    fixed = valid_cvr(363)
    client.post(url(batch, row), values(row, registry_number=fixed))
    client.post(
        reverse("clusters:import_map_values", args=[cluster.slug, batch.pk]),
        {"map-tier-guld": str(premium.pk)},
    )
    batch.refresh_from_db()
    assert batch.counts["error"] == 0
    again = batch.rows.get(line=3)
    assert again.outcome == "new"
    assert again.raw["registry_number"] == fixed
    assert again.data["corrected"] is True


def test_rows_without_errors_and_committed_batches_are_not_corrected_here(client, batch):
    fine = batch.rows.get(line=2)
    response = client.get(url(batch, fine))
    assert response.status_code == 302
    assert response["Location"] == f"{batch.get_absolute_url()}#row-{fine.pk}"
    response = client.post(url(batch, fine), values(fine, name="Andet"), **HX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{batch.get_absolute_url()}#row-{fine.pk}"
    fine.refresh_from_db()
    assert fine.raw["name"] == "God 1 ApS"
    row = bad_row(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(status="committed")
    assert client.get(url(batch, row)).status_code == 302
    client.post(url(batch, row), values(row, registry_number=valid_cvr(364)))
    assert bad_row(batch).raw["registry_number"] == "12345675"


def test_only_staff_who_may_import_for_the_cluster(client, cluster, batch, other_manager):
    row = bad_row(batch)
    client.logout()
    response = client.get(url(batch, row))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(other_manager)
    assert client.get(url(batch, row)).status_code == 404
    assert client.post(url(batch, row), values(row)).status_code == 404
    client.force_login(staff(cluster, "coordinator"))
    assert client.get(url(batch, row)).status_code == 403
    assert (
        client.post(url(batch, row), values(row, registry_number=valid_cvr(365))).status_code == 403
    )
    assert bad_row(batch).pk == row.pk


def test_another_clusters_batch_or_row_is_not_found(
    client, cluster, other_cluster, batch, manager, other_manager
):
    row = bad_row(batch)
    client.force_login(other_manager)
    theirs = upload(client, other_cluster, [BAD_CVR])
    their_row = theirs.rows.get()
    client.force_login(manager)
    # Their batch under our cluster's address, and their row under our batch.
    assert client.get(url(theirs, their_row, cluster=cluster)).status_code == 404
    assert client.get(url(batch, their_row)).status_code == 404
    assert client.post(url(batch, their_row), values(row)).status_code == 404
    assert client.get(url(batch, row)).status_code == 200


def test_wrong_method(client, batch):
    assert client.put(url(batch, bad_row(batch))).status_code == 405


def _big_batch(client, cluster, size):
    return upload(client, cluster, [*(good(n) for n in range(size)), BAD_CVR])


@pytest.mark.parametrize("size", [1, 40])
def test_a_fixed_number_of_queries(
    client, cluster, manager, basic, size, django_assert_max_num_queries
):
    client.force_login(manager)
    batch = _big_batch(client, cluster, size)
    row = bad_row(batch)
    with django_assert_max_num_queries(8):
        assert client.get(url(batch, row)).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(url(batch, row), **HX).status_code == 200
    with django_assert_max_num_queries(15):
        response = client.post(url(batch, row), values(row, registry_number="x"), **HX)
        assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = client.post(url(batch, row), values(row, registry_number=valid_cvr(366)), **HX)
        assert 'data-outcome="new"' in response.content.decode()
    assert ImportRow.objects.get(pk=row.pk).outcome == "new"
