"""An SME asks for an introduction from a match; a municipality user accepts it from the
notification; only then do both see each other's contact details. In a real browser."""

import pytest

from network.models import Affiliation
from tests.browser.conftest import screenshot
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, TestSiteFactory
from tests.matchmaking.factories import MatchFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
SME_EMAIL, SME_PHONE = "anna.private@faldvagt.example", "+45 11 22 33 44"
MUNI_EMAIL, MUNI_PHONE = "mette.private@odense.example", "+45 99 88 77 66"


def _person(user, email, phone):
    person = user.person
    person.email, person.phone, person.job_title = email, phone, "Innovation lead"
    person.save()
    user.language = "en"
    user.save()
    Affiliation.objects.filter(person=person).update(is_primary_contact=True)


def sign_in(page, email) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def test_sme_asks_municipality_accepts_both_see_contacts(page, browser, live_server):
    sme = OrganisationFactory(name="Faldvagt ApS")
    anna = person_with_login(sme, "admin", "anna@faldvagt.example")
    _person(anna, SME_EMAIL, SME_PHONE)
    odense = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    mette = person_with_login(odense, "member", "mette@odense.example")
    _person(mette, MUNI_EMAIL, MUNI_PHONE)
    site = TestSiteFactory(owner=odense, name="Plejecenter Ærtebjerghave")
    MatchFactory(source=sme, need=None, test_site=site, target_type="test_site", target_id=site.pk)

    # The SME finds the match and asks for an introduction.
    sign_in(page, anna.email)
    page.goto("/matches/")
    page.get_by_text("Plejecenter Ærtebjerghave").first.wait_for()
    page.get_by_role("link", name="Ask for an introduction").click()
    page.get_by_label("Your message").fill(
        "We make night-time fall sensors and would like to test them with your staff."
    )
    screenshot(page, "introduction-journey-1-request")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Your request was sent to Odense Kommune.").wait_for()
    contacts = page.get_by_test_id("contacts")
    assert mette.person.full_name in contacts.inner_text()  # named, without details yet
    assert MUNI_EMAIL not in page.content()
    assert MUNI_PHONE not in page.content()
    screenshot(page, "introduction-journey-2-requested")
    introduction_url = page.url

    # The municipality user sees it in the header, opens it and accepts.
    other = browser.new_context(locale="da-DK", base_url=live_server.url)
    other.set_default_timeout(15_000)
    municipality = other.new_page()
    sign_in(municipality, mette.email)
    link = municipality.get_by_test_id("notifications-link")
    assert "1 unread" in link.inner_text()
    link.click()
    municipality.get_by_text("Faldvagt ApS would like to meet you").wait_for()
    screenshot(municipality, "introduction-journey-3-inbox")
    municipality.get_by_role("button", name="Open").first.click()
    municipality.get_by_role("button", name="Accept", exact=True).wait_for()
    assert SME_EMAIL not in municipality.content()
    assert SME_PHONE not in municipality.content()
    municipality.get_by_role("button", name="Accept", exact=True).click()
    municipality.get_by_text("You accepted.").wait_for()
    assert SME_EMAIL in municipality.get_by_test_id("contacts").inner_text()
    assert SME_PHONE in municipality.get_by_test_id("contacts").inner_text()
    screenshot(municipality, "introduction-journey-4-accepted")
    other.close()

    # Back at the SME: now they see the municipality's contact person.
    page.goto(introduction_url)
    contacts = page.get_by_test_id("contacts").inner_text()
    assert MUNI_EMAIL in contacts
    assert MUNI_PHONE in contacts
    assert "Accepted" in page.get_by_test_id("introduction-status").inner_text()
    screenshot(page, "introduction-journey-5-sme-sees-contacts")
