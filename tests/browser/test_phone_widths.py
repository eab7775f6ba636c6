"""Every page works on a phone (issue 20): at 360, 768 and 1366 px the menu, notifications,
sign-out and language switch can be reached (in view or by opening DKFDS's mobile menu), no
table column is cut off (each header cell can be brought into view inside its scroll region,
and the page itself never scrolls sideways), axe finds nothing, and the browser logs no error
(a CSP violation, a missing favicon, a script error). Screenshots go to var/screenshots/
(PORTAL_SCREENSHOT_DIR)."""

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_membership_journey import PASSWORD as STAFF_PASSWORD
from tests.browser.test_membership_journey import sign_in as staff_sign_in
from tests.clusters.factories import active_membership, staff, valid_cvr
from tests.conftest import person_with_login
from tests.factories import (
    ClusterFactory,
    MembershipTierFactory,
    OrganisationFactory,
    TestSiteFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {360: 740, 768: 1024, 1366: 900}
PASSWORD = "correct-horse-battery"
# One unbroken "word" as long as the one that made the member page 21,091 px wide.
LONG_WORD = "Sundhedsteknologi" * 118


def sign_in(page, email) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def header_reachable(page, menu_links: list[str]) -> None:
    """The main menu's links, notifications, sign-out and the language switch can be reached."""
    opener = page.get_by_test_id("menu-open")
    # Below DKFDS's lg breakpoint (992 px) the header collapses behind the "Menu" button,
    # which is shown once the portal's script has run (hidden without JavaScript).
    assert opener.is_visible() == (page.viewport_size["width"] < 992)
    if opener.is_visible():
        assert not page.locator(".navigation-menu .mainmenu").is_visible()
        opener.click()
        drawer = page.get_by_test_id("mobile-menu")
        drawer.wait_for(state="visible")
        for name in menu_links:
            link = drawer.locator(".navigation-menu-mobile").get_by_role("link", name=name)
            assert link.first.is_visible(), f"{name} not in the mobile menu"
        assert drawer.get_by_role("link", name="Notifikationer").is_visible()
        assert drawer.get_by_role("button", name="Log ud").is_visible()
        assert drawer.get_by_role("button", name="English").is_visible()
        assert_accessible(page)  # the open drawer too
        # The drawer slides in: wait until it has come to rest inside the viewport.
        page.wait_for_function(
            """() => { const r = document.querySelector('[data-testid=mobile-menu]')
                         .getBoundingClientRect();
                       return r.left >= 0 && r.right <= window.innerWidth + 1; }"""
        )
        page.get_by_test_id("menu-close").click()
        drawer.wait_for(state="hidden")
        return
    header = page.locator(".header")
    for name in menu_links:
        link = page.locator(".navigation-menu .mainmenu").get_by_role("link", name=name)
        if not link.first.is_visible():  # DKFDS moved it under "Mere"
            page.locator(".navigation-menu .more-button").click()
            assert link.first.is_visible(), f"{name} neither in the menu nor under Mere"
            page.locator(".navigation-menu .more-button").click()
    assert header.get_by_test_id("notifications-link").is_visible()
    assert header.locator(".portal-user").get_by_role("button", name="Log ud").is_visible()
    assert header.locator(".additional-info").get_by_role("button", name="English").is_visible()


STAYS_PUT = """() => new Promise(resolve => {
    const results = document.querySelector('#results');
    setTimeout(() => resolve(results === document.querySelector('#results')), 1000);
})"""


def no_column_clipped(page) -> None:
    """The page never scrolls sideways; every table sits in a scroll region that fits the
    viewport, and each header cell scrolled into view lies inside that region."""
    width = page.viewport_size["width"]
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= width, f"{page.url} is {page_width} px wide at {width} px"
    tables = page.locator("main table")
    for index in range(tables.count()):
        # nth() locators look the element up on every use, so an htmx swap between two steps
        # does not leave the test holding a detached element.
        table = tables.nth(index)
        region = table.locator("xpath=ancestor::div[contains(@class,'table--responsive-scroll')]")
        assert region.count() == 1, f"a table on {page.url} has no scroll region"
        region_box = region.bounding_box()
        assert region_box["x"] >= 0
        assert region_box["x"] + region_box["width"] <= width + 1
        cells = table.locator("thead th")
        for position in range(cells.count()):
            cell = cells.nth(position)
            cell.evaluate("el => el.scrollIntoView({block: 'nearest', inline: 'nearest'})")
            box, region_box = cell.bounding_box(), region.bounding_box()
            assert box["x"] >= region_box["x"] - 1, f"{cell.inner_text()} cut off on the left"
            assert box["x"] + min(box["width"], region_box["width"]) <= (
                region_box["x"] + region_box["width"] + 1
            ), f"{cell.inner_text()!r} cut off at {width} px on {page.url}"
        region.evaluate("el => { el.scrollLeft = 0; }")


def check_page(page, path, name, menu_links, console_errors) -> None:
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(path)
        page.wait_for_load_state("load")
        header_reachable(page, menu_links)
        no_column_clipped(page)
        assert_accessible(page)
        screenshot(page, f"phone-{name}-{width}")
    assert not console_errors, console_errors


def test_an_sme_reaches_every_part_of_the_header_at_each_width(page, console_errors):
    sme = OrganisationFactory(name="Faldvagt ApS")
    TestSiteFactory(name="Plejecenter Ærtebjerghave", description=LONG_WORD)
    person_with_login(sme, "admin", "anna@faldvagt.example").set_password(PASSWORD)
    user = sme.affiliations.get().person.user
    user.set_password(PASSWORD)
    user.save()
    sign_in(page, "anna@faldvagt.example")
    links = ["Forside", "Katalog", "Behov", "Introduktioner", "Matches", "Min organisation"]
    for path, name in [
        ("/", "home"),
        ("/directory/", "directory"),
        ("/matches/", "matches"),
        ("/my-organisation/", "my-organisation"),
    ]:
        check_page(page, path, f"sme-{name}", links, console_errors)


def test_the_member_list_keeps_every_column_reachable(page, console_errors):
    cluster = ClusterFactory(name="Welfare Tech", short_name="WT", slug="welfare-tech")
    tier = MembershipTierFactory(cluster=cluster, name="Basis", annual_fee=2500, position=1)
    manager = staff(cluster, "manager", email="manager@welfaretech.example")
    manager.set_password(STAFF_PASSWORD)
    manager.save()
    for n in range(6):
        active_membership(
            cluster,
            organisation=OrganisationFactory(
                # A name holds at most 200 characters; the long word still has to wrap.
                name=f"Partner {n} {LONG_WORD[:180] if n == 0 else 'ApS'}",
                cvr=valid_cvr(10 + n),
            ),
            tier=tier,
        )
    staff_sign_in(page, manager)
    members = "/clusters/welfare-tech/members/"
    check_page(page, members, "staff-member-list", ["Medlemmer"], console_errors)
    # Filtering swaps the list in with htmx; still no error and no column cut off.
    page.locator("#id_q").fill("Partner 3")
    page.get_by_role("button", name="Vis medlemmer").click()
    page.wait_for_url("**q=Partner*")
    page.get_by_role("link", name="Partner 3 ApS").wait_for()
    page.wait_for_load_state("networkidle")  # the change and submit triggers both swap
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    # Both the change and the submit swap the list in; wait until it stays put for a second.
    for _attempt in range(10):
        if page.evaluate(STAYS_PUT):
            break
    else:
        pytest.fail("the member list keeps being swapped")
    no_column_clipped(page)
    assert not console_errors, console_errors


def test_deleting_a_test_site_asks_in_a_modal_or_on_a_confirm_page(
    browser, live_server, page, console_errors
):
    from network.models import TestSite

    municipality = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    admin = person_with_login(municipality, "admin", "sundhed@odense.example")
    admin.set_password(PASSWORD)
    admin.save()
    kept = TestSiteFactory(owner=municipality, name="Plejecenter Ærtebjerghave")
    gone = TestSiteFactory(owner=municipality, name="Sundhedshus Vollsmose")
    edit = f"/my-organisation/{municipality.slug}/test-sites/"
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "sundhed@odense.example")

    # With JavaScript: DKFDS's modal asks; "Annuller" keeps the site and the page.
    page.goto(f"{edit}{kept.pk}/")
    page.get_by_test_id("delete-button").click()
    modal = page.locator("#confirm-delete")
    modal.wait_for(state="visible")
    assert "Plejecenter Ærtebjerghave" in modal.inner_text()
    screenshot(page, "phone-confirm-modal-360")
    modal.get_by_role("button", name="Annuller").click()
    modal.wait_for(state="hidden")
    assert page.url.endswith(f"{edit}{kept.pk}/")
    page.get_by_test_id("delete-button").click()
    with page.expect_navigation():
        modal.get_by_test_id("modal-confirm").click()
    assert page.get_by_text("Plejecenter Ærtebjerghave er slettet.").is_visible()
    assert not TestSite.objects.filter(pk=kept.pk).exists()
    # A slip: the message's "Fortryd" button brings the site back.
    screenshot(page, "phone-deleted-with-undo-360")
    with page.expect_navigation():
        page.get_by_test_id("message-undo").click()
    assert page.get_by_text("Plejecenter Ærtebjerghave er gendannet.").is_visible()
    assert TestSite.objects.filter(pk=kept.pk).exists()
    assert not console_errors, console_errors

    # Without JavaScript the same button leads to a confirm page.
    context = browser.new_context(
        locale="da-DK", base_url=live_server.url, java_script_enabled=False
    )
    plain = context.new_page()
    plain.set_viewport_size({"width": 360, "height": 740})
    sign_in(plain, "sundhed@odense.example")
    plain.goto(f"{edit}{gone.pk}/")
    assert not plain.locator("#confirm-delete").is_visible()
    with plain.expect_navigation():
        plain.get_by_test_id("delete-button").click()
    assert "Sundhedshus Vollsmose" in plain.get_by_test_id("confirm-question").inner_text()
    screenshot(plain, "phone-confirm-page-360")
    with plain.expect_navigation():
        plain.get_by_test_id("confirm-form").get_by_role("button", name="Slet").click()
    assert plain.get_by_text("Sundhedshus Vollsmose er slettet.").is_visible()
    assert plain.get_by_test_id("message-undo").is_visible()  # a plain form: no script needed
    context.close()
    assert list(TestSite.objects.filter(pk__in=[kept.pk, gone.pk])) == [kept]
