"""Joining the network, end to end in Chromium (issue 13): a new SME registers with its CVR
number and applies to a cluster; an employee asks to join their company; an admin invites a
colleague; a municipal employee joins Odense Kommune. The joining pages are checked by axe-core.

Only the starting data is made through the ORM; every step after it goes through the pages.
Emails land in Django's locmem outbox (the live server runs in this process, tasks eagerly).
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from clusters.models import Membership
from matchmaking import services as matchmaking_services
from matchmaking.models import Match
from network.models import Affiliation, JoinRequest, Municipality, Organisation, RegisterExtract
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import forgive_console_errors, screenshot
from tests.browser.test_membership_journey import totp_code
from tests.conftest import person_with_login
from tests.factories import (
    ClusterFactory,
    ClusterStaffFactory,
    OrganisationFactory,
    PersonFactory,
    TestSiteFactory,
    UserFactory,
    focus_area,
)
from tests.language import danish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # what UserFactory gives every login
NEW_PASSWORD = "Faldsensor-om-natten-2026"
VALID_CVR = "12345674"  # weights 2,7,6,5,4,3,2,1: 110, divisible by 11
WRONG_CVR = "12345678"  # the same weights give 114: the check digit is wrong


@pytest.fixture
def open_browser(browser, live_server):
    """A fresh browser window (its own cookies) per person; English unless asked for Danish."""
    contexts = []

    def open_(language: str = "en"):
        context = browser.new_context(locale="da-DK", base_url=live_server.url)
        context.set_default_timeout(15_000)
        if language != "da":
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def odense():
    return Municipality.objects.get(country="DK", name="Odense")


def sign_in(page, user) -> None:
    """Email and password, then the authenticator code if the account has one (staff)."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    for _attempt in range(2):  # a code read just before its 30 seconds run out is refused
        if "/2fa/" not in page.url:
            break
        page.locator("input[name=code]").fill(totp_code(user))
        page.locator("input[name=code]").press("Enter")
        page.wait_for_load_state()
    assert "/accounts/" not in page.url, f"not signed in: {page.url}"


def cluster_manager(cluster, email):
    """Cluster staff with an authenticator app, reading the portal in English."""
    user = ClusterStaffFactory(cluster=cluster, user=UserFactory(email=email, language="en")).user
    totp_code(user)
    return user


def path_in_email(address: str, pattern: str) -> str:
    """The path of the newest link matching `pattern` in the newest email to `address`."""
    messages = [message for message in mail.outbox if address in message.to]
    assert messages, f"no email to {address}; sent to: {[m.to for m in mail.outbox]}"
    match = re.search(pattern, messages[-1].body)
    assert match, f"no link like {pattern!r} in:\n{messages[-1].body}"
    parts = urlsplit(match.group(0))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def flash(page):
    """The page's confirmation and error messages (base.html's alerts)."""
    return page.locator("main .alert[role=status]")


# --- 1. A new SME registers and applies -----------------------------------------------------------
def test_a_new_sme_registers_with_its_cvr_number_applies_and_sees_matches(open_browser, odense):
    prevention = focus_area("prevention-predictive-health")
    cluster = ClusterFactory(name="Welfare Tech", short_name="WT", slug="welfare-tech")
    manager = cluster_manager(cluster, "manager@welfaretech.example")
    # A published test site on the same focus area, so the new company has a match to find.
    municipality = OrganisationFactory(
        name="Odense Kommune", kind="municipality", cvr="", municipality=odense,
        focus_areas=[prevention],
    )  # fmt: skip
    site = TestSiteFactory(
        owner=municipality,
        name="Plejecenter Ærtebjerghave",
        description="Plejecenter hvor personalet afprøver faldsensorer om natten.",
        municipality=odense,
    )
    site.focus_areas.set([prevention])
    # The network has matched before; from then on a newly approved profile is matched at once.
    matchmaking_services.match_run_full_now()
    organisations_before = Organisation.objects.count()

    # Sign up and confirm the address with the link from the email.
    sme = open_browser()
    sme.goto("/accounts/signup/")
    assert_accessible(sme)
    sme.locator("input[name=email]").fill("nina@faldvagt.example")
    sme.locator("input[name=password1]").fill(NEW_PASSWORD)
    sme.locator("input[name=password2]").fill(NEW_PASSWORD)
    sme.locator("input[name=password2]").press("Enter")
    sme.wait_for_url("**/accounts/confirm-email/")
    sme.goto(path_in_email("nina@faldvagt.example", r"https?://\S+/accounts/confirm-email/\S+/"))
    sme.locator("main form button[type=submit]").click()

    # The new account belongs to no organisation: it starts where one is registered or joined.
    sme.wait_for_url("**/join/")
    sme.get_by_role("heading", name="Join the network", exact=True).wait_for()
    assert_accessible(sme)
    screenshot(sme, "joining-sme-1-start")
    sme.get_by_test_id("register-organisation").click()
    sme.get_by_role("heading", name="Register my organisation").wait_for()
    assert_accessible(sme)

    # A number with a wrong check digit is refused at once, and nothing is made.
    sme.get_by_label("CVR number or organisation number").fill(WRONG_CVR)
    sme.get_by_test_id("register-lookup").click()
    sme.get_by_text(
        f"{WRONG_CVR} is not a valid CVR number (8 digits with a correct check digit)."
    ).first.wait_for()
    assert sme.get_by_test_id("register-submit").count() == 0
    assert Organisation.objects.count() == organisations_before
    assert_accessible(sme)
    screenshot(sme, "joining-sme-2-wrong-check-digit")

    # A valid number: the register is off here, so the page asks for the details to be typed.
    sme.get_by_label("CVR number or organisation number").fill(VALID_CVR)
    sme.get_by_test_id("register-lookup").click()
    sme.get_by_test_id("register-unavailable").wait_for()
    assert sme.get_by_label("CVR number or organisation number").input_value() == VALID_CVR
    sme.get_by_label("Name of the organisation").fill("Faldvagt ApS")
    sme.get_by_label("Street address").fill("Forskerparken 10")
    sme.get_by_label("Postcode").fill("5230")
    sme.get_by_label("Town").fill("Odense M")
    sme.get_by_label("Municipality").select_option(label="Odense")
    sme.get_by_label("Industry code").fill("620100")
    sme.get_by_label("What the organisation does").fill(
        "Natlige faldsensorer, der opdager fald i eget hjem og alarmerer plejepersonalet."
    )
    sme.locator(f"input[name=focus_areas][value='{prevention.pk}']").check()
    assert_accessible(sme)
    screenshot(sme, "joining-sme-3-details")
    sme.get_by_test_id("register-submit").click()

    # Registered as a draft under review with Nina as admin; the apply page comes next.
    sme.get_by_role("heading", name="Apply for membership").wait_for()
    assert "/clusters/apply/" in sme.url
    assert "Faldvagt ApS is registered and sent for review." in flash(sme).first.inner_text()
    company = Organisation.objects.get(cvr=VALID_CVR)
    assert company.review_status == "pending"
    assert not company.is_published
    assert Affiliation.objects.get(organisation=company).role == "admin"
    sme.get_by_label("Welfare Tech").check()
    sme.get_by_label("Why do you want to join?").fill(
        "Vi vil teste vores faldsensorer på plejecentre i Syddanmark."
    )
    sme.get_by_role("button", name="Send application").click()
    sme.get_by_text("Your application to Welfare Tech was sent.").wait_for()
    screenshot(sme, "joining-sme-4-applied")
    # Until the staff approve it, Nina's profile says it waits for review.
    sme.goto("/my-organisation/")
    sme.locator("main table").get_by_role("link", name="Faldvagt ApS").click()
    panel = sme.get_by_test_id("review-panel")
    assert panel.get_attribute("data-review-status") == "pending"
    assert sme.get_by_test_id("nav-matches").count() == 1  # a company's login has matches

    # The cluster's manager opens the application and sees the register extract beside it.
    staff = open_browser()
    sign_in(staff, manager)
    staff.goto(f"/clusters/{cluster.slug}/applications/")
    staff.get_by_role("link", name="Faldvagt ApS").first.click()
    extract = staff.get_by_test_id("register-extract")
    extract.wait_for()
    assert f"{VALID_CVR} · check digit correct" in extract.inner_text()
    assert "the details were typed by the applicant" in extract.inner_text()
    assert "Vi vil teste vores faldsensorer" in staff.content()
    assert_accessible(staff)
    screenshot(staff, "joining-sme-5-application-with-register-extract")
    staff.get_by_test_id("approve-form").get_by_role("button", name="Approve").click()
    staff.get_by_text("Faldvagt ApS is now a member.").wait_for()
    assert Membership.objects.get(organisation=company, cluster=cluster).status == "active"

    # Then the profile itself: approve and publish it from the review page.
    staff.get_by_test_id("review-profile").click()
    staff.get_by_role("button", name="Approve and publish").click()
    staff.get_by_text("Approved: it is shown now.").wait_for()
    company.refresh_from_db()
    assert company.is_published
    assert company.review_status == "published"

    # Nina sees her profile published (no review notice any more) and her matches.
    sme.reload()
    sme.get_by_role("heading", name="Faldvagt ApS").first.wait_for()
    assert sme.get_by_test_id("review-panel").count() == 0
    screenshot(sme, "joining-sme-6-published")
    sme.get_by_test_id("nav-matches").click()
    sme.get_by_role("heading", name="Matches", exact=True).wait_for()
    assert "/matches/" in sme.url
    sme.locator("#results").get_by_text("Plejecenter Ærtebjerghave").first.wait_for()
    assert_accessible(sme)
    screenshot(sme, "joining-sme-7-matches")
    assert Match.objects.filter(source=company, test_site=site).exists()
    assert RegisterExtract.objects.get(organisation=company).number_valid


# --- 2. An employee asks to join and is approved --------------------------------------------------
def test_an_employee_asks_to_join_the_company_and_its_admin_approves(open_browser):
    company = OrganisationFactory(name="Faldvagt ApS", town="Odense")
    OrganisationFactory(name="Søvnvagt ApS")  # another company, not the one looked for
    admin = person_with_login(company, "admin", "anna@faldvagt.example")
    employee = UserFactory(email="bo@faldvagt.example", first_name="Bo", last_name="Berg")
    PersonFactory(user=employee, first_name="Bo", last_name="Berg", email=employee.email)

    # Bo, in no organisation yet, starts on the joining page and finds his company by name.
    bo = open_browser()
    sign_in(bo, employee)
    assert urlsplit(bo.url).path == "/join/"
    bo.get_by_label("Name or CVR number / organisation number").fill("Faldvagt")
    bo.get_by_test_id("find-organisation").click()
    results = bo.get_by_test_id("join-results")
    results.wait_for()
    assert "Søvnvagt" not in results.inner_text()
    assert_accessible(bo)
    results.locator("li", has_text="Faldvagt ApS").get_by_role("link", name="Ask to join").click()
    bo.get_by_role("heading", name="Ask to join Faldvagt ApS").wait_for()
    assert_accessible(bo)
    bo.get_by_label("Message to the organisation").fill("Udvikler i firmware-teamet siden maj.")
    bo.get_by_test_id("send-join-request").click()
    bo.get_by_text("Your request to join Faldvagt ApS was sent.").wait_for()
    assert "Waiting for an answer" in bo.get_by_test_id("my-join-requests").inner_text()
    screenshot(bo, "joining-employee-1-asked")
    assert Affiliation.objects.filter(person__user=employee).count() == 0

    # Anna, the admin, sees the waiting request on My organisation and approves it.
    anna = open_browser()
    sign_in(anna, admin)
    anna.goto("/my-organisation/")
    link = anna.get_by_test_id("join-requests-link")
    assert link.inner_text() == "1 request to join"
    link.click()
    requests = anna.get_by_test_id("join-requests")
    requests.wait_for()
    assert "Udvikler i firmware-teamet siden maj." in requests.inner_text()
    assert "bo@faldvagt.example" in requests.inner_text()
    assert_accessible(anna)
    screenshot(anna, "joining-employee-2-requests")
    row = requests.locator("tr", has_text="Bo Berg")
    # A screen reader hears whom each Approve button answers.
    expect(row.get_by_test_id("approve-join")).to_have_accessible_description("Bo Berg")
    row.get_by_label("Role").select_option("member")
    row.get_by_test_id("approve-join").click()
    anna.get_by_text("Bo Berg now works for Faldvagt ApS in the portal.").wait_for()
    anna.get_by_test_id("no-join-requests").wait_for()

    # Bo hears of it and finds the company under My organisation, as a member.
    assert any(employee.email in message.to for message in mail.outbox)
    bo.goto("/my-organisation/")
    row = bo.locator("main table tr", has_text="Faldvagt ApS")
    row.wait_for()
    assert "Member" in row.inner_text()
    screenshot(bo, "joining-employee-3-member")
    assert Affiliation.objects.get(person__user=employee, organisation=company).role == "member"


# --- 3. An admin invites a colleague who accepts --------------------------------------------------
def test_an_admin_invites_a_colleague_who_creates_an_account_from_the_link(open_browser):
    company = OrganisationFactory(name="Faldvagt ApS")
    admin = person_with_login(company, "admin", "anna@faldvagt.example")
    admin.language = "en"
    admin.save()

    anna = open_browser()
    sign_in(anna, admin)
    anna.goto("/my-organisation/")
    anna.get_by_test_id("people-link").click()
    anna.get_by_role("heading", name="People of Faldvagt ApS").wait_for()
    assert_accessible(anna)
    anna.get_by_label("Email address").fill("carl@faldvagt.example")
    anna.get_by_label("Role", exact=True).last.select_option("member")
    anna.get_by_label("Your message").fill("Velkommen i portalen, Carl!")
    anna.get_by_test_id("send-invitation").click()
    anna.get_by_text("An invitation was sent to carl@faldvagt.example.").wait_for()
    assert "carl@faldvagt.example" in anna.get_by_test_id("open-invitations").inner_text()
    assert_accessible(anna)
    screenshot(anna, "joining-invitation-1-sent")

    # Carl, signed out, opens the link from his email and makes his account on that page.
    link = path_in_email("carl@faldvagt.example", r"https?://\S+/join/invitation/\S+/")
    carl = open_browser()
    carl.goto(link)
    carl.get_by_role("heading", name="Invitation to Faldvagt ApS").wait_for()
    assert "Velkommen i portalen, Carl!" in carl.content()
    carl.get_by_role("heading", name="Create your account").wait_for()
    assert_accessible(carl)
    carl.get_by_label("First name").fill("Carl")
    carl.get_by_label("Last name").fill("Clausen")
    carl.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    carl.get_by_label("Password (again)").fill(NEW_PASSWORD)
    screenshot(carl, "joining-invitation-2-create-account")
    carl.get_by_test_id("accept-invitation").click()

    # He is signed in and in My organisation with the company.
    carl.wait_for_url("**/my-organisation/")
    carl.get_by_text("Welcome to Faldvagt ApS in the portal.").wait_for()
    row = carl.locator("main table tr", has_text="Faldvagt ApS")
    assert "Member" in row.inner_text()
    assert_accessible(carl)
    screenshot(carl, "joining-invitation-3-joined")
    affiliation = Affiliation.objects.get(
        organisation=company, person__user__email="carl@faldvagt.example"
    )
    assert affiliation.role == "member"
    assert affiliation.person.full_name == "Carl Clausen"

    # The link worked once.
    response = carl.goto(link)
    assert response.status == 410
    forgive_console_errors("status of 410")  # the browser logs the 410 it was meant to get
    assert (
        carl.get_by_test_id("invitation-problem").inner_text()
        == "This invitation has already been used."
    )
    assert_accessible(carl)
    screenshot(carl, "joining-invitation-4-used")


# --- 4. A municipal employee joins Odense Kommune -------------------------------------------------
def test_a_municipal_employee_joins_odense_kommune_approved_by_staff(open_browser, odense):
    """In Danish, as a municipal employee meets the portal."""
    odense_kommune = OrganisationFactory(
        name="Odense Kommune", kind="municipality", cvr="", municipality=odense
    )
    cluster = ClusterFactory(name="Syddansk Sundhedsinnovation", slug="syddansk")
    cluster.regions.add(odense.region)
    manager = cluster_manager(cluster, "sekretariat@syddansk.example")
    manager.language = "da"
    manager.save()
    employee = UserFactory(email="mette@odense.example", first_name="Mette", last_name="Mikkelsen")
    PersonFactory(user=employee, first_name="Mette", last_name="Mikkelsen", email=employee.email)

    mette = open_browser("da")
    sign_in(mette, employee)
    mette.get_by_test_id("join-municipality").click()
    mette.get_by_role("heading", name=danish("Join your municipality")).wait_for()
    assert_accessible(mette)
    mette.get_by_label(danish("Your municipality")).select_option(label="Odense")
    mette.get_by_label(danish("Your department and job")).fill("Ældreområdet, projektleder")
    screenshot(mette, "joining-municipality-1-choose")
    mette.get_by_test_id("send-municipality-request").click()
    sent = danish(
        "Your request to join %(name)s was sent to the staff who look after it. "
        "You will get an email with the answer."
    ) % {"name": "Odense Kommune"}
    mette.get_by_text(sent).wait_for()
    mette.get_by_test_id("my-join-requests").get_by_text("Odense Kommune").wait_for()
    assert_accessible(mette)

    # The staff of the cluster for Region Syddanmark are told, and answer from the notification.
    staff = open_browser("da")
    sign_in(staff, manager)
    staff.get_by_test_id("notifications-link").click()
    notifications = staff.get_by_test_id("notifications")
    notification = notifications.locator("li", has_text="Mette Mikkelsen")
    notification.get_by_role("button").click()
    requests = staff.get_by_test_id("join-requests")
    requests.wait_for()
    assert "Ældreområdet, projektleder" in requests.inner_text()
    assert_accessible(staff)
    screenshot(staff, "joining-municipality-2-staff-requests")
    row = requests.locator("tr", has_text="Mette Mikkelsen")
    row.get_by_label(danish("Role")).select_option("member")
    row.get_by_test_id("approve-join").click()
    staff.get_by_test_id("no-join-requests").wait_for()

    # Mette works for Odense Kommune now; there is still one Odense Kommune.
    mette.goto("/my-organisation/")
    mette.locator("main table").get_by_role("link", name="Odense Kommune").wait_for()
    screenshot(mette, "joining-municipality-3-member")
    kommuner = Organisation.objects.filter(kind="municipality", municipality=odense)
    assert list(kommuner) == [odense_kommune]
    assert Affiliation.objects.get(person__user=employee).organisation == odense_kommune
    assert JoinRequest.objects.get(person__user=employee).status == "approved"
