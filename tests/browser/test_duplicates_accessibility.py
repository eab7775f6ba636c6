"""The duplicate-organisation pages pass axe-core's WCAG 2.1 A/AA rules."""

import pytest
from django.urls import reverse

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import sign_in
from tests.clusters.factories import active_membership, application, staff
from tests.factories import ClusterFactory, OrganisationFactory, municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_duplicate_list_and_merge_confirm(page, live_server):
    odense = municipality("Odense")
    cluster = ClusterFactory(slug="welfare-tech", name="Welfare Tech")
    kept = OrganisationFactory(name="Faldvagt ApS", slug="faldvagt", municipality=odense)
    removed = OrganisationFactory(
        name="Faldvagt A/S", slug="faldvagt-as", municipality=odense, cvr=""
    )
    active_membership(cluster, organisation=kept)
    application(cluster, organisation=removed)
    sign_in(page, live_server, staff(cluster))

    page.goto(reverse("clusters:duplicate_list"))
    assert page.locator("[data-testid=duplicate-pair]").count() == 1
    assert_accessible(page)
    screenshot(page, "duplicates-1-list")

    page.goto(reverse("clusters:duplicate_merge", kwargs={"remove": removed.pk, "keep": kept.pk}))
    assert_accessible(page)
    screenshot(page, "duplicates-2-confirm")
