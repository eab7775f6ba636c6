"""A cluster manager signs in, approves an application from the queue (after the confirm
step), filters the member list and exports it as CSV, in a real browser, at 360, 768 and
1366 px (tests/browser/widths.py)."""

import csv
import io

import pytest
from allauth.mfa.models import Authenticator

from clusters.models import Membership
from tests.browser.widths import WIDTHS, at_width, journey_step
from tests.clusters.factories import active_membership, application, staff, valid_cvr
from tests.factories import MembershipTierFactory, OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "lang-og-hemmelig-2026"


def totp_code(user) -> str:
    """The current code of the user's authenticator app (enrolled here if the user has none)."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, generate_totp_secret()).instance
    secret = get_adapter().decrypt(authenticator.data["secret"])
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(page, user) -> None:
    totp_code(user)  # cluster staff have an authenticator app
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


@pytest.mark.parametrize("width", WIDTHS)
def test_manager_approves_an_application_filters_and_exports(page, live_server, width):
    from tests.factories import ClusterFactory

    cluster = ClusterFactory(name="Welfare Tech", short_name="WT", slug="welfare-tech")
    basic = MembershipTierFactory(cluster=cluster, name="Basis", annual_fee=2500, position=1)
    manager = staff(cluster, "manager", email="manager@welfaretech.example", language="en")
    manager.set_password(PASSWORD)
    manager.save()
    applicant = application(
        cluster,
        organisation=OrganisationFactory(name="Faldsensor ApS", cvr=valid_cvr(1)),
        tier=basic,
        primary_contact=PersonFactory(email="kontakt@faldsensor.example"),
        motivation="Vi vil teste faldsensorer på plejecentre i Odense.",
    )
    for n in range(3):
        active_membership(
            cluster,
            organisation=OrganisationFactory(name=f"Aktiv Partner {n} ApS", cvr=valid_cvr(10 + n)),
            tier=basic,
        )
    application(cluster, organisation=OrganisationFactory(name="Venter ApS", cvr=valid_cvr(20)))

    at_width(page, width)
    sign_in(page, manager)
    # English, as this manager chose; the menu shows the applications waiting (on a phone the
    # same link sits in the drawer).
    page.goto("/")
    journey_step(page, "staff", "0-front-page")
    nav = page.get_by_test_id("nav-applications")
    assert nav.locator(".badge").text_content().strip() == "2"
    if nav.is_visible():
        nav.click()
    else:
        page.get_by_test_id("menu-open").click()
        drawer = page.get_by_test_id("mobile-menu")
        drawer.locator(".navigation-menu-mobile").get_by_role("link", name="Applications").click()
    page.get_by_test_id("pending-count").wait_for()
    assert "2 applications wait for a decision" in page.get_by_test_id("pending-count").inner_text()
    assert page.get_by_text("Vi vil teste faldsensorer").is_visible()
    journey_step(page, "staff", "1-queue")

    # Approve one: select it, see what will change, confirm.
    page.get_by_label("Select Faldsensor ApS").check()
    assert not page.get_by_label("Select Venter ApS").is_checked()
    page.get_by_role("button", name="Approve the selected").click()
    plan = page.get_by_test_id("bulk-plan")
    plan.wait_for()
    assert "Faldsensor ApS" in plan.inner_text()
    assert "Venter ApS" not in plan.inner_text()
    applicant.refresh_from_db()
    assert applicant.status == "applied"  # nothing changes before the confirm
    journey_step(page, "staff", "2-confirm")
    page.get_by_role("button", name="Confirm: change 1 membership").click()
    page.get_by_text("1 membership was changed.").wait_for()
    applicant.refresh_from_db()
    assert applicant.status == "active"
    assert applicant.period_start is not None
    journey_step(page, "staff", "3-approved")

    # Back on the list, the other application still waits; then filter the members.
    page.get_by_role("link", name="Back to the member list").click()
    page.get_by_test_id("result-count").filter(has_text="1 membership").wait_for()
    assert "Venter ApS" in page.locator("#results").inner_text()
    page.get_by_role("link", name="Clear filters").click()
    page.get_by_test_id("result-count").filter(has_text="5 memberships").wait_for()
    page.get_by_label("Active (4)").check()
    page.get_by_test_id("result-count").filter(has_text="4 memberships").wait_for()
    page.locator("#member-filters").get_by_label("Search").press_sequentially("Faldsensor")
    page.get_by_test_id("result-count").filter(has_text="1 membership").wait_for()
    # The filters live in the URL (htmx pushes it), so the page can be bookmarked.
    page.wait_for_function("location.search.includes('q=Faldsensor')")
    assert "status=active" in page.url
    results = page.locator("#results")
    assert results.count() == 1  # the swap replaced the results, it did not nest them
    assert "Faldsensor ApS" in results.inner_text()
    assert "Aktiv Partner" not in results.inner_text()
    journey_step(page, "staff", "4-filtered")

    # Export what is on the screen.
    with page.expect_download() as download_info:
        page.locator("[data-testid=export-csv]").click()
    download = download_info.value
    assert download.suggested_filename.startswith("welfare-tech-members-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0][0] == "Organisation"
    assert [row[0] for row in rows[1:]] == ["Faldsensor ApS"]
    assert rows[1][rows[0].index("Status")] == "Active"
    assert rows[1][rows[0].index("Tier")] == "Basis"
    assert Membership.objects.filter(cluster=cluster, status="applied").count() == 1
