"""The four user journeys (tests/browser/test_journeys.py: SME and municipality;
test_membership_journey.py: cluster staff; test_funding_report_journey.py: network admin) run
at a phone's, a tablet's and a laptop's width. At each step `journey_step` checks that the main
menu, sign-out and the language switch can be reached, that no table column is cut off (and no
element lies outside the viewport unless inside a region that scrolls sideways), that axe
finds nothing, and saves a full-page screenshot as `journey-<journey>-<width>-<step>.png` in the
screenshot directory (tests/browser/conftest.py: PORTAL_SCREENSHOT_DIR). Console errors fail
every browser test (conftest's `_no_console_errors`)."""

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot

# Width: height. Below DKFDS's lg breakpoint (992 px) the header collapses into its drawer.
WIDTHS = {360: 740, 768: 1024, 1366: 900}
DRAWER_BELOW = 992


def at_width(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})


def header_reachable(page) -> None:
    """Whatever the language: the main menu's links, sign-out and every language can be reached
    (in the header, or in DKFDS's drawer that the "Menu" button opens)."""
    width = page.viewport_size["width"]
    opener = page.get_by_test_id("menu-open")
    desktop_menu = page.locator(".navigation-menu .mainmenu")
    if width < DRAWER_BELOW:
        assert opener.is_visible(), f"no menu button at {width} px on {page.url}"
        assert not desktop_menu.is_visible()
        opener.click()
        drawer = page.get_by_test_id("mobile-menu")
        drawer.wait_for(state="visible")
        links = drawer.locator(".navigation-menu-mobile .mainmenu a.nav-link")
        assert links.count() >= 2, f"the drawer's menu is empty on {page.url}"
        for index in range(links.count()):
            assert links.nth(index).is_visible(), links.nth(index).inner_text()
        assert drawer.get_by_test_id("mobile-sign-out").is_visible()
        languages = drawer.locator(".language-form button[name=language]")
        assert languages.count() == 3
        for index in range(3):
            assert languages.nth(index).is_visible()
        # The drawer slides in: wait until it has come to rest inside the viewport.
        page.wait_for_function(
            """() => { const r = document.querySelector('[data-testid=mobile-menu]')
                         .getBoundingClientRect();
                       return r.left >= 0 && r.right <= window.innerWidth + 1; }"""
        )
        page.get_by_test_id("menu-close").click()
        drawer.wait_for(state="hidden")
        return
    assert not opener.is_visible()
    links = desktop_menu.locator(":scope > li > a.nav-link")
    assert links.count() >= 2
    more = page.locator(".navigation-menu .more-button")
    for index in range(links.count()):
        # DKFDS moves the links that do not fit under its "Mere" button.
        assert links.nth(index).is_visible() or more.is_visible(), links.nth(index).inner_text()
    assert page.locator(".portal-user button.log-off").is_visible()
    languages = page.locator(".additional-info .language-form button[name=language]")
    assert languages.count() == 3
    for index in range(3):
        assert languages.nth(index).is_visible()


OUTSIDE_VIEWPORT = """() => {
    const width = window.innerWidth, found = [];
    const scrolls = el => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const overflow = getComputedStyle(p).overflowX;
            if (overflow === 'auto' || overflow === 'scroll') {
                const box = p.getBoundingClientRect();
                return box.left >= -1 && box.right <= width + 1;  // the region itself fits
            }
        }
        return false;
    };
    for (const el of document.querySelectorAll('main *')) {
        const box = el.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1) continue;  // hidden, or visually hidden text
        if (box.left >= -1 && box.right <= width + 1) continue;
        if (!scrolls(el)) found.push(`${el.tagName.toLowerCase()}.${el.className}: ` +
                                     `${Math.round(box.left)}..${Math.round(box.right)}`);
    }
    return found;
}"""


def nothing_cut_off(page) -> None:
    """Every element of the page's main part lies inside the viewport, or inside a region that
    scrolls sideways and itself fits the viewport."""
    outside = page.evaluate(OUTSIDE_VIEWPORT)
    assert not outside, f"cut off at {page.viewport_size['width']} px on {page.url}: {outside[:5]}"


def journey_step(page, journey: str, step: str) -> None:
    """Check the page as it stands and save its screenshot."""
    # Imported here: test_phone_widths imports the membership journey, which imports this.
    from tests.browser.test_phone_widths import no_column_clipped

    page.wait_for_load_state("load")
    header_reachable(page)
    no_column_clipped(page)
    nothing_cut_off(page)
    assert_accessible(page)
    width = page.viewport_size["width"]
    screenshot(page, f"journey-{journey}-{width}-{step}")
