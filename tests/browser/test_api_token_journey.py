"""A cluster manager makes an API token in the browser, the CRM reads the members with it, and
the manager revokes it, in a real browser."""

import pytest

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_membership_journey import PASSWORD, sign_in
from tests.clusters.factories import active_membership, staff
from tests.factories import ClusterFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_creates_uses_and_revokes_a_token(page, live_server):
    cluster = ClusterFactory(name="Welfare Tech", short_name="WT", slug="welfare-tech")
    active_membership(cluster, organisation=OrganisationFactory(name="Faldsensor ApS"))
    manager = staff(cluster, "manager", email="manager@welfaretech.example", language="en")
    manager.set_password(PASSWORD)
    manager.save()
    sign_in(page, manager)

    page.goto("/clusters/welfare-tech/members/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Our CRM")
    page.get_by_label("The cluster's members and their primary contacts").check()
    page.get_by_role("button", name="Create token").click()
    key = page.locator("#new-api-key").inner_text()
    assert key.startswith("hnp_")
    assert_accessible(page)
    screenshot(page, "api-token-created")

    members_url = f"{live_server.url}/api/v1/clusters/welfare-tech/members/"
    headers = {"Authorization": f"Bearer {key}"}
    response = page.request.get(members_url, headers=headers)
    assert response.status == 200
    assert response.json()["results"][0]["organisation"]["name"] == "Faldsensor ApS"

    page.reload()  # the key is not shown again
    assert page.locator("#new-api-key").count() == 0
    page.get_by_role("button", name="Revoke").click()  # asks first, in a modal
    page.get_by_test_id("modal-confirm").click()
    page.get_by_text("The token Our CRM was revoked.").wait_for()
    assert page.request.get(members_url, headers=headers).status == 401
