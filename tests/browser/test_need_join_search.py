"""A network admin joins a need for a municipality among many: the page lists none of them, a
search answers as they type (at most 20), one is chosen and its own people are the contacts
offered. In a real browser, under the strict CSP."""

import pytest
from django.urls import reverse

from matchmaking.models_sharing import NeedShare
from tests.browser.conftest import screenshot
from tests.browser.test_membership_journey import PASSWORD, sign_in
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, UserFactory
from tests.matchmaking.factories import NeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_network_admin_searches_for_the_municipality_that_joins(page):
    owner = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    need = NeedFactory(owner=owner, title="Sensors that detect falls at night")
    for n in range(30):
        OrganisationFactory(name=f"Sygehus {n:02d}", kind="hospital", cvr="")
    vejle = OrganisationFactory(name="Vejle Kommune", kind="municipality", cvr="")
    contact = person_with_login(vejle, "member", "kontakt@vejle.example").person
    admin = UserFactory(email="sekretariat@network.example", is_network_admin=True)
    admin.set_password(PASSWORD)
    admin.save()
    sign_in(page, admin)

    page.goto(reverse("matchmaking:need_join", args=[need.pk]))
    assert page.get_by_text("Sygehus 00").count() == 0  # nothing listed before a search
    page.evaluate("window.__samePage = true")
    page.locator("#join-q").press_sequentially("sygehus", delay=20)
    found = page.locator("#join-organisations li")
    found.first.wait_for()
    assert found.count() == 20
    page.get_by_test_id("join-search-more").wait_for()
    assert page.evaluate("() => window.__samePage === true")  # answered in place
    screenshot(page, "need-join-search")

    page.locator("#join-q").fill("vejle")
    page.get_by_role("link", name="Vejle Kommune").click()
    page.wait_for_url(f"**?organisation={vejle.pk}")
    assert "Vejle Kommune" in page.get_by_test_id("join-chosen").inner_text()
    screenshot(page, "need-join-chosen")
    contacts = page.locator("#id_contact option")
    assert [c for c in contacts.all_inner_texts() if c.strip("- ")] == [str(contact)]
    page.locator("#id_citizens").fill("1200")
    page.locator("#id_sites").fill("3")
    page.locator("#id_contact").select_option(str(contact.pk))
    page.locator("form[method=post] button.button-primary[type=submit]").click()
    page.wait_for_url(f"**{need.get_absolute_url()}")
    share = NeedShare.objects.get(need=need)
    assert (share.organisation, share.contact) == (vejle, contact)
