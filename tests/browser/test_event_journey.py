"""Staff create a matchmaking event; two members register; one asks the other for a meeting,
which is accepted; the schedule places it and both see it on their agenda. In a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.test_membership_journey import PASSWORD, sign_in
from tests.clusters.factories import org_admin, staff
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(user):
    user.set_password(PASSWORD)
    user.language = "en"
    user.save()
    return user


def _context_page(browser, live_server):
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_staff_create_members_register_request_accept_agenda(page, browser, live_server):
    cluster = ClusterFactory(name="Welfare Tech", slug="welfare-tech")
    manager = _login(staff(cluster, "manager", email="manager@wt.example"))
    alfa = OrganisationFactory(name="Alfa Sensor ApS")
    beta = OrganisationFactory(name="Beta Kommune", kind="municipality", cvr="")
    for organisation in (alfa, beta):
        MembershipFactory(organisation=organisation, cluster=cluster)
    anna = _login(org_admin(alfa, email="anna@alfa.example"))
    bo = _login(org_admin(beta, email="bo@beta.example"))
    day = timezone.localdate() + timedelta(days=14)
    now = timezone.localtime()

    # Staff create the event, its slots and tables.
    sign_in(page, manager)
    page.goto("/events/")
    page.get_by_test_id("create-event").click()
    page.locator("#id_title").fill("Healthtech Matchmaking Day")
    page.locator("#id_start_date").fill(day.isoformat())
    page.locator("#id_end_date").fill(day.isoformat())
    page.locator("#id_place").fill("Odense")
    page.locator("#id_registration_opens").fill(
        (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.locator("#id_registration_closes").fill(
        (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    page.locator("#id_is_published").check()
    page.get_by_test_id("save-event").click()
    page.wait_for_url("**/manage/")
    form = page.get_by_test_id("generate-form")
    form.locator("input[name=first_start]").fill("09:00")
    form.locator("input[name=minutes]").fill("20")
    form.locator("input[name=count]").fill("4")
    form.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("slots").locator("li").count() == 4
    page.get_by_test_id("tables-form").locator("input[name=count]").fill("3")
    page.get_by_test_id("tables-form").get_by_role("button").click()
    page.wait_for_load_state()
    event_url = page.get_by_role("link", name="The event's page").get_attribute("href")

    # Two members register.
    pages = {}
    for user, offer in ((anna, "Fall sensors"), (bo, "Care homes for testing")):
        _context, other = _context_page(browser, live_server)
        sign_in(other, user)
        other.goto(event_url)
        other.get_by_test_id("register-link").click()
        other.locator("#id_offer").fill(offer)
        other.locator("#id_looking_for").fill("Partners")
        other.get_by_test_id("register").click()
        other.get_by_test_id("marketplace-link").wait_for()
        pages[user.email] = other

    # Anna asks Beta for a meeting; Bo accepts.
    anna_page = pages[anna.email]
    anna_page.get_by_test_id("marketplace-link").click()
    anna_page.get_by_test_id("participant").filter(has_text="Beta Kommune").get_by_test_id(
        "request-meeting"
    ).click()
    anna_page.get_by_test_id("request").filter(has_text="Beta Kommune").wait_for()
    bo_page = pages[bo.email]
    bo_page.get_by_test_id("agenda-link").click()
    bo_page.get_by_test_id("request").filter(has_text="Alfa Sensor ApS").get_by_test_id(
        "accept"
    ).click()
    bo_page.get_by_test_id("agenda-meeting").filter(has_text="Alfa Sensor ApS").wait_for()

    # Staff make the schedule; both agendas show the meeting with its table.
    page.goto(event_url.rstrip("/") + "/schedule/")
    page.get_by_test_id("run-schedule").click()
    page.get_by_test_id("schedule-summary").wait_for()
    assert "Alfa Sensor ApS" in page.get_by_test_id("schedule-grid").inner_text()
    anna_page.goto(event_url.rstrip("/") + "/agenda/")
    row = anna_page.get_by_test_id("agenda-meeting").filter(has_text="Beta Kommune")
    assert "09:00" in row.inner_text()
    assert "Table 1" in row.inner_text()
    bo_page.reload()
    assert "Alfa Sensor ApS" in bo_page.get_by_test_id("agenda").inner_text()
