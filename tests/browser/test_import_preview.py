"""The import preview and the member list as cluster staff use them (issue 18), in Chromium.

Readable at 1366 px and on a phone: the preview's reason column and the member list's last two
columns are in view or can be brought into view inside the table's own scroll region (the page
never scrolls sideways), words are not broken inside short values, and on a phone the key column
(the file's row; the organisation) stays in place while the rest scrolls. A row with errors is
corrected in place with htmx, and on a page of its own without JavaScript."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusters import services
from clusters.models import ImportBatch
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_membership_journey import PASSWORD
from tests.browser.test_membership_journey import sign_in as staff_sign_in
from tests.browser.test_phone_widths import no_column_clipped
from tests.clusters.factories import active_membership, staff, valid_cvr
from tests.factories import (
    ClusterFactory,
    MembershipTierFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {360: 740, 768: 1024, 1366: 900}
HEADER = "CVR;Navn;Type;Kommune;Kontaktperson;E-mail;Telefon;Niveau;Startdato"
BAD_CVR = "12345675;Forkert CVR ApS;SMV;Odense;;;;Basis;01-02-2025"


def _file(rows):
    return SimpleUploadedFile(
        "medlemmer.csv", ("\ufeff" + "\n".join([HEADER, *rows])).encode(), "text/csv"
    )


@pytest.fixture
def cluster(db):
    cluster = ClusterFactory(name="Welfare Tech", short_name="WT", slug="welfare-tech")
    MembershipTierFactory(cluster=cluster, name="Basis", annual_fee=2500, position=1)
    MembershipTierFactory(cluster=cluster, name="Premium", annual_fee=12000, position=2)
    return cluster


@pytest.fixture
def manager(cluster):
    user = staff(cluster, "manager", email="manager@welfaretech.example")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def batch(cluster, manager):
    rows = [
        f"{valid_cvr(500 + n)};Sundhedsteknologisk Udviklingsselskab {n} ApS;SMV;Odense;"
        f"Mette Kirstine Berg-Johannesen;mette.berg-johannesen{n}@udvikling.example;"
        f"+45 12 34 56 78;Basis;01-02-2025"
        for n in range(12)
    ]
    rows += [
        BAD_CVR,
        f"{valid_cvr(600)};Ukendt Niveau ApS;Virksomhed;Atlantis;;ikke-en-adresse;;Guld;31-02-2025",
    ]
    return services.import_batch_create(cluster=cluster, actor=manager, uploaded_file=_file(rows))


def region_of(table):
    return table.locator("xpath=ancestor::div[contains(@class,'table--responsive-scroll')]")


def in_view_or_reachable(page, cell) -> None:
    """The cell lies inside the viewport and its table's scroll region as the page opens, or
    scrolling that region (not the page) brings the whole of it into view."""
    width = page.viewport_size["width"]
    region = region_of(cell)
    box, area = cell.bounding_box(), region.bounding_box()
    if box["x"] >= area["x"] - 1 and box["x"] + box["width"] <= area["x"] + area["width"] + 1:
        assert box["x"] + box["width"] <= width + 1
        return
    cell.evaluate("el => el.scrollIntoView({block: 'nearest', inline: 'nearest'})")
    box, area = cell.bounding_box(), region.bounding_box()
    assert box["width"] <= area["width"] + 1, f"{cell.inner_text()!r} wider than its region"
    assert area["x"] - 1 <= box["x"], f"{cell.inner_text()!r} cut off on the left"
    assert box["x"] + box["width"] <= area["x"] + area["width"] + 1, (
        f"{cell.inner_text()!r} cut off at {width} px"
    )
    assert area["x"] + area["width"] <= width + 1
    region.evaluate("el => { el.scrollLeft = 0; }")


# True when no word in the elements is broken across two lines.
WORDS_WHOLE = """els => els.every(el => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.textContent.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (tops.size > 1) return false;
        }
    }
    return true;
})"""


def key_column_stays(page, table) -> None:
    """Scrolled to its far right, the table's key column is still at the region's left edge."""
    region = region_of(table)
    key = table.locator("tbody tr").first.locator("td").first
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert region.evaluate("el => el.scrollLeft") > 0, "the table does not scroll on a phone"
    box, area = key.bounding_box(), region.bounding_box()
    assert abs(box["x"] - area["x"]) <= 2, f"the key column moved to {box['x']} ({area['x']})"
    region.evaluate("el => { el.scrollLeft = 0; }")


def test_the_preview_reasons_are_readable_at_each_width(page, batch, manager, console_errors):
    staff_sign_in(page, manager)
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(batch.get_absolute_url())
        page.wait_for_load_state("load")
        no_column_clipped(page)
        table = page.get_by_test_id("import-rows")
        reason_header = page.get_by_test_id("reason-column")
        in_view_or_reachable(page, reason_header)
        in_view_or_reachable(page, table.locator("thead th").last)
        reason = table.locator("tbody tr").first.locator("td").nth(2)
        assert "12345675 er ikke et gyldigt CVR-nummer" in reason.inner_text()
        in_view_or_reachable(page, reason)
        if width >= 1366:
            # In view as the page opens, wide enough to read, its words whole.
            box = reason_header.bounding_box()
            assert (
                box["x"] + box["width"]
                <= region_of(table).bounding_box()["x"] + (region_of(table).bounding_box()["width"])
            )
            assert box["width"] >= 240, box
            assert table.locator("tbody td:nth-child(2) .badge").evaluate_all(WORDS_WHOLE)
        else:
            key_column_stays(page, table)
        assert_accessible(page)
        screenshot(page, f"import-preview-{width}")
    assert not console_errors, console_errors


def test_the_member_lists_last_columns_at_1366_and_its_key_column_on_a_phone(
    page,
    cluster,
    manager,
    console_errors,
):
    tier = cluster.tiers.get(name="Basis")
    for n in range(8):
        membership = active_membership(
            cluster,
            organisation=OrganisationFactory(
                name=f"Sundhedsteknologisk Udviklingsselskab {n} ApS",
                cvr=valid_cvr(700 + n),
                kind="university_college" if n == 0 else "sme",
            ),
            tier=tier,
        )
        membership.primary_contact = PersonFactory(
            first_name="Mette Kirstine",
            last_name="Berg-Johannesen",
            email=f"mette.kirstine.berg-johannesen{n}@udvikling.example",
        )
        membership.save()
    staff_sign_in(page, manager)
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/clusters/{cluster.slug}/members/")
        page.wait_for_load_state("load")
        no_column_clipped(page)
        table = page.locator("main table.member-table")
        headers = table.locator("thead th")
        for position in (headers.count() - 2, headers.count() - 1):
            in_view_or_reachable(page, headers.nth(position))
            in_view_or_reachable(page, table.locator("tbody tr").first.locator("td").nth(position))
        # Kind, fee, status and end of period: no word broken in two.
        for column in (3, 6, 7, 8):
            cells = table.locator(f"tbody td:nth-child({column})")
            assert cells.evaluate_all(WORDS_WHOLE), f"column {column} breaks words at {width} px"
        if width < 768:
            region = region_of(table)
            name = table.locator("tbody tr").first.locator("td").nth(1)
            region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
            assert region.evaluate("el => el.scrollLeft") > 0
            assert abs(name.bounding_box()["x"] - region.bounding_box()["x"]) <= 2
            region.evaluate("el => { el.scrollLeft = 0; }")
        screenshot(page, f"member-list-columns-{width}")
    assert not console_errors, console_errors


def test_a_row_with_errors_is_corrected_in_place(page, batch, manager, console_errors):
    staff_sign_in(page, manager)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(batch.get_absolute_url())
    assert page.get_by_test_id("count-error").inner_text() == "2"
    row = batch.rows.get(line=14)
    page.get_by_role("link", name="Ret række 14").click()
    editing = page.get_by_test_id("row-editing")
    editing.wait_for()
    assert page.url.endswith(batch.get_absolute_url())  # swapped in, not a new page
    field = editing.get_by_label("CVR-nummer / norsk organisationsnummer")
    assert field.input_value() == "12345675"
    assert "12345675 er ikke et gyldigt CVR-nummer" in editing.inner_text()
    # A wrong number: the reason again, the typed value kept.
    field.fill("11111111")
    editing.get_by_test_id("row-save").click()
    page.get_by_text("11111111 er ikke et gyldigt CVR-nummer").first.wait_for()
    assert (
        page.get_by_test_id("row-editing")
        .get_by_label("CVR-nummer / norsk organisationsnummer")
        .input_value()
        == "11111111"
    )
    page.get_by_test_id("row-editing").get_by_label("CVR-nummer / norsk organisationsnummer").fill(
        valid_cvr(610)
    )
    page.get_by_test_id("row-editing").get_by_test_id("row-save").click()
    page.locator(f"#row-{row.pk}[data-outcome=new]").wait_for()
    assert page.get_by_test_id("count-error").inner_text() == "1"
    assert page.get_by_test_id("count-new").inner_text() == "13"
    screenshot(page, "import-row-corrected")
    assert not console_errors, console_errors


def test_without_javascript_a_row_is_corrected_on_its_own_page(
    browser, live_server, batch, manager
):
    context = browser.new_context(
        locale="da-DK", base_url=live_server.url, java_script_enabled=False
    )
    plain = context.new_page()
    staff_sign_in(plain, manager)
    plain.goto(batch.get_absolute_url())
    with plain.expect_navigation():
        plain.get_by_role("link", name="Ret række 14").click()
    assert "/rows/" in plain.url
    plain.get_by_label("CVR-nummer / norsk organisationsnummer").fill(valid_cvr(611))
    with plain.expect_navigation():
        plain.get_by_test_id("row-save").click()
    assert plain.url.split("#")[0].endswith(batch.get_absolute_url())
    assert plain.get_by_text("Række 14 er rettet").is_visible()
    context.close()
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.counts["error"] == 1
