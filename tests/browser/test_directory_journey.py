"""A visitor finds a municipality to test with, in English, in a real browser."""

import pytest

from tests.browser.conftest import screenshot
from tests.factories import OrganisationFactory, TestSiteFactory, focus_area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_switch_to_english_filter_directory_open_profile(page):
    odense = OrganisationFactory(
        name="Odense Kommune",
        kind="municipality",
        cvr="",
        description="Kommunen tester velfærdsteknologi på plejecentre.",
        focus_areas=[focus_area("equality-near-citizen")],
    )
    TestSiteFactory(owner=odense, name="Plejecenter Ærtebjerghave")
    for n in range(3):
        OrganisationFactory(name=f"Sensorfirma {n} ApS")

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "directory-journey-1-home-english")

    page.get_by_role("link", name="Directory").first.click()
    page.get_by_text("4 organisations found").wait_for()
    page.get_by_label("Municipality", exact=True).first.check()
    page.get_by_text("1 organisation found").wait_for()
    assert "kind=municipality" in page.url  # the filter lives in the URL (htmx pushes it)
    screenshot(page, "directory-journey-2-filtered")

    page.get_by_role("link", name="Odense Kommune").click()
    page.get_by_role("heading", name="Odense Kommune", level=1).wait_for()
    assert page.get_by_text("Plejecenter Ærtebjerghave").is_visible()
    screenshot(page, "directory-journey-3-profile")

    page.go_back()
    page.get_by_text("1 organisation found").wait_for()
