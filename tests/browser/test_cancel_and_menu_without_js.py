"""Issue 20 in Chromium: a manager cancels a membership through DKFDS's modal on a phone and
undoes it; without JavaScript the header's menu, language switch and sign-out are still reached
at 360 px (a plain <details> where the drawer would be), and cancelling asks on a page."""

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_membership_journey import PASSWORD as STAFF_PASSWORD
from tests.browser.test_membership_journey import sign_in as staff_sign_in
from tests.clusters.factories import active_membership, staff, valid_cvr
from tests.factories import (
    ClusterFactory,
    MembershipTierFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    cluster = ClusterFactory(name="Welfare Tech", short_name="WT", slug="welfare-tech")
    tier = MembershipTierFactory(cluster=cluster, name="Basis", annual_fee=2500, position=1)
    manager = staff(cluster, "manager", email="manager@welfaretech.example")
    manager.set_password(STAFF_PASSWORD)
    manager.save()
    membership = active_membership(
        cluster,
        organisation=OrganisationFactory(name="Faldvagt ApS", cvr=valid_cvr(1)),
        tier=tier,
    )
    membership.primary_contact = PersonFactory(email="kontakt@faldvagt.example")
    membership.save()
    return {"manager": manager, "membership": membership}


def test_cancel_in_the_modal_and_undo_it(page, world, console_errors):
    from clusters.models import Membership

    membership = world["membership"]
    page.set_viewport_size({"width": 360, "height": 740})
    staff_sign_in(page, world["manager"])
    # The contact's address stopped its emails from the link in one: the public page, then
    # the staff's view of it.
    from network import optouts

    page.goto(f"/stop-emails/{optouts.address_token('kontakt@faldvagt.example')}/")
    with page.expect_navigation():
        page.get_by_test_id("opt-out-confirm").click()
    assert page.get_by_test_id("opt-out-done").is_visible()
    assert_accessible(page)
    page.goto(f"/clusters/welfare-tech/members/{membership.pk}/")
    assert page.get_by_test_id("nojs-menu").count() == 0  # JavaScript on: the drawer serves
    assert "Ingen e-mails" in page.get_by_test_id("contact-emails").inner_text()
    assert_accessible(page)
    page.locator("summary", has_text="Opsig medlemskab").click()
    page.locator("#id_cancel-reason").fill("Har meldt sig ud")
    page.get_by_test_id("cancel-button").click()
    modal = page.locator("#confirm-cancel")
    modal.wait_for(state="visible")
    assert "Faldvagt ApS" in modal.inner_text()
    assert_accessible(page)
    screenshot(page, "phone-cancel-modal-360")
    modal.get_by_role("button", name="Behold medlemskabet").click()
    modal.wait_for(state="hidden")
    assert Membership.objects.get(pk=membership.pk).status == "active"
    page.get_by_test_id("cancel-button").click()
    modal.wait_for(state="visible")
    with page.expect_navigation():
        modal.get_by_test_id("modal-confirm").click()
    assert Membership.objects.get(pk=membership.pk).status == "cancelled"
    undo = page.get_by_test_id("cancel-undo-button")
    assert undo.is_visible()
    screenshot(page, "phone-cancel-undo-360")
    with page.expect_navigation():
        undo.click()
    assert Membership.objects.get(pk=membership.pk).status == "active"
    assert page.get_by_text("Opsigelsen blev fortrudt", exact=False).is_visible()
    assert not console_errors, console_errors


def test_without_javascript_the_menu_opens_and_cancelling_asks_on_a_page(
    browser, live_server, world
):
    from clusters.models import Membership

    membership = world["membership"]
    context = browser.new_context(
        locale="da-DK", base_url=live_server.url, java_script_enabled=False
    )
    plain = context.new_page()
    plain.set_viewport_size({"width": 360, "height": 740})
    staff_sign_in(plain, world["manager"])
    plain.goto(f"/clusters/welfare-tech/members/{membership.pk}/")
    menu = plain.get_by_test_id("nojs-menu")
    assert menu.is_visible()
    # DKFDS's "Menu" button opens its drawer by script: without one it stays hidden.
    assert plain.get_by_test_id("menu-open").count() == 1
    assert not plain.get_by_test_id("menu-open").is_visible()
    assert not plain.locator(".navigation-menu .mainmenu").is_visible()
    menu.locator("summary").click()
    for name in ("Forside", "Katalog", "Medlemmer", "Min konto"):
        assert menu.get_by_role("link", name=name).first.is_visible(), name
    assert menu.get_by_role("link", name="Notifikationer").is_visible()
    assert menu.get_by_role("button", name="Log ud").is_visible()
    assert menu.get_by_role("button", name="English").is_visible()
    width = plain.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(plain, "phone-menu-without-js-360")

    plain.locator("summary", has_text="Opsig medlemskab").click()
    plain.locator("#id_cancel-reason").fill("Har meldt sig ud")
    with plain.expect_navigation():
        plain.get_by_test_id("cancel-button").click()
    assert "Har meldt sig ud" in plain.get_by_test_id("confirm-question").inner_text()
    assert Membership.objects.get(pk=membership.pk).status == "active"
    with plain.expect_navigation():
        plain.get_by_test_id("confirm-form").get_by_role("button").first.click()
    assert Membership.objects.get(pk=membership.pk).status == "cancelled"
    assert plain.get_by_test_id("cancel-undo-button").is_visible()
    context.close()
