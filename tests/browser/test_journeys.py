"""Two of the network's everyday journeys, end to end in Chromium, each page checked by axe-core,
each at 360, 768 and 1366 px (tests/browser/widths.py: menu, sign-out and language switch
reachable, no table column cut off, a screenshot of every step).

(The other two, cluster staff running their membership year and a network admin exporting the
funding report, are tests/browser/test_membership_journey.py and test_funding_report_journey.py.)
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking import services as matchmaking_services
from matchmaking.introductions.services import introduction_request
from matchmaking.models import Match, Need
from network import moderation
from network.models import Affiliation, Municipality
from tests.browser.accessibility import assert_accessible
from tests.browser.widths import WIDTHS, at_width, journey_step
from tests.conftest import person_with_login
from tests.factories import (
    OrganisationFactory,
    TagFactory,
    TestSiteFactory,
    UserFactory,
    focus_area,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def sign_in(page, email) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def person(organisation, role, email, phone):
    user = person_with_login(organisation, role, email)
    user.language = "en"
    user.save()
    user.person.email, user.person.phone = f"direct.{email}", phone
    user.person.save()
    Affiliation.objects.filter(person=user.person).update(is_primary_contact=True)
    return user


@pytest.fixture
def odense():
    return Municipality.objects.get(country="DK", name="Odense")


@pytest.mark.parametrize("width", WIDTHS)
def test_sme_finds_a_test_partner_and_asks_for_an_introduction(page, odense, width):
    prevention = focus_area("prevention-predictive-health")
    falls = TagFactory(name="faldforebyggelse")
    sme = OrganisationFactory(
        name="Faldvagt ApS",
        description="Natlige faldsensorer, der opdager fald i eget hjem og alarmerer plejen.",
        municipality=odense,
        readiness_level=6,
        focus_areas=[prevention],
        tags=[falls],
    )
    anna = person(sme, "admin", "anna@faldvagt.example", "+45 11 22 33 44")
    municipality = OrganisationFactory(
        name="Odense Kommune", kind="municipality", cvr="", municipality=odense,
        focus_areas=[prevention],
    )  # fmt: skip
    mette = person(municipality, "admin", "mette@odense.example", "+45 99 88 77 66")
    site = TestSiteFactory(
        owner=municipality,
        name="Plejecenter Ærtebjerghave",
        description="Plejecenter hvor personalet afprøver faldsensorer om natten.",
        municipality=odense,
    )
    site.focus_areas.set([prevention])
    site.tags.set([falls])
    matchmaking_services.match_run_full_now()
    assert Match.objects.filter(source=sme, test_site=site).exists()

    at_width(page, width)
    sign_in(page, anna.email)
    # Search the directory for municipalities working on prevention: ticking the filters
    # replaces the results in place (htmx) and keeps the filters in the address.
    page.goto("/directory/")
    filters = page.locator("#directory-filters")
    filters.locator("input[name=kind][value=municipality]").check()
    page.wait_for_url("**kind=municipality**")
    filters.locator("input[name=focus_area][value=prevention-predictive-health]").check()
    page.wait_for_url("**focus_area=prevention-predictive-health**")
    results = page.locator("#results")
    results.get_by_role("link", name="Odense Kommune").wait_for()
    assert page.locator("#results #results").count() == 0
    assert results.get_by_role("link", name="Faldvagt ApS").count() == 0
    results.get_by_role("link", name="Odense Kommune").first.click()
    page.get_by_text("Plejecenter Ærtebjerghave").first.wait_for()
    journey_step(page, "sme", "1-test-partner-profile")
    assert mette.person.phone not in page.content()  # no contact details before both agree

    # The same test site is among the company's ranked matches, with its reasons.
    page.goto("/matches/?target_type=test_site")
    page.get_by_text("Plejecenter Ærtebjerghave").first.wait_for()
    journey_step(page, "sme", "2-matches")
    page.get_by_role("link", name="Ask for an introduction").first.click()
    assert_accessible(page)
    page.get_by_label("Your message").fill("We would like to test our fall sensors at night.")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Your request was sent to Odense Kommune.").wait_for()
    assert mette.person.phone not in page.content()
    journey_step(page, "sme", "3-requested")


@pytest.mark.parametrize("width", WIDTHS)
def test_municipality_posts_a_need_and_accepts_an_introduction(page, odense, width):
    prevention = focus_area("prevention-predictive-health")
    municipality = OrganisationFactory(
        name="Odense Kommune", kind="municipality", cvr="", municipality=odense
    )
    mette = person(municipality, "admin", "mette@odense.example", "+45 99 88 77 66")
    sme = OrganisationFactory(
        name="Faldvagt ApS",
        description="Sensorer der opdager fald om natten hos ældre i eget hjem.",
        municipality=odense,
        readiness_level=6,
        focus_areas=[prevention],
    )
    anna = person(sme, "admin", "anna@faldvagt.example", "+45 11 22 33 44")

    at_width(page, width)
    sign_in(page, mette.email)
    page.goto("/matches/needs/new/")
    journey_step(page, "municipality", "1-new-need")
    page.locator("[name=title]").fill("Sensorer der opdager fald om natten")
    page.locator("[name=description]").fill(
        "Ældre borgere falder om natten i eget hjem. Vi søger sensorer, der opdager fald."
    )
    page.locator("[name=test_setting]").fill("Tre måneder i hjemmeplejen, område Nord.")
    page.locator(f"input[name=focus_areas][value='{prevention.pk}']").check()
    deadline = timezone.localdate() + timedelta(days=30)
    page.locator("[name=deadline]").fill(deadline.isoformat())
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("heading", name="Sensorer der opdager fald om natten").wait_for()
    journey_step(page, "municipality", "2-need-published")
    need = Need.objects.get(title="Sensorer der opdager fald om natten")
    assert need.status == "open"
    # It waits for review (the review pages are tested in tests/network/test_moderation.py).
    assert page.get_by_test_id("review-panel").get_attribute("data-review-status") == "pending"
    moderation.approve(need, actor=UserFactory(is_network_admin=True))

    # Matching finds the company; it asks for an introduction (its side is tested elsewhere).
    matchmaking_services.match_run_full_now()
    match = Match.objects.get(source=sme, need=need)
    introduction_request(match=match, user=anna, message="Vi vil gerne vise jer vores sensor.")

    page.goto(f"/matches/needs/{need.pk}/companies/")
    page.get_by_text("Faldvagt ApS").first.wait_for()
    journey_step(page, "municipality", "3-matched-companies")
    page.goto("/matches/introductions/")
    journey_step(page, "municipality", "4-introductions")
    page.get_by_role("link", name="Faldvagt ApS").first.click()
    assert anna.person.phone not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Accept", exact=True).click()
    page.get_by_text("You accepted.").wait_for()
    contacts = page.get_by_test_id("contacts").inner_text()
    assert anna.person.phone in contacts
    journey_step(page, "municipality", "5-accepted")
