"""The portal's main pages, for each kind of user, pass axe-core's WCAG 2.1 A/AA rules."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import screenshot
from tests.clusters.factories import active_membership, application, org_admin, staff
from tests.factories import ClusterFactory, MembershipTierFactory, OrganisationFactory, UserFactory
from tests.matchmaking.factories import MatchFactory, NeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )


@pytest.fixture
def network():
    cluster = ClusterFactory(slug="welfare-tech", name="Welfare Tech")
    tier = MembershipTierFactory(cluster=cluster)
    sme = OrganisationFactory(kind="sme", slug="faldvagt", name="Faldvagt ApS")
    municipality = OrganisationFactory(
        kind="municipality", slug="odense", name="Odense Kommune", cvr=""
    )
    active_membership(cluster, organisation=municipality, tier=tier)
    application(cluster, organisation=sme)
    need = NeedFactory(owner=municipality, title="Sensorer der opdager fald om natten")
    MatchFactory(source=sme, need=need, score=0.72)
    return {"cluster": cluster, "sme": sme, "municipality": municipality, "need": need}


PUBLIC_PAGES = ["home", "directory", "privacy_policy", "account_login", "matchmaking:need_list"]


def test_public_pages(page, network):
    for name in PUBLIC_PAGES:
        page.goto(reverse(name))
        assert_accessible(page)
    page.goto(reverse("organisation_detail", args=[network["sme"].slug]))
    assert_accessible(page)
    page.goto(network["need"].get_absolute_url())
    assert_accessible(page)
    screenshot(page, "a11y-need-detail")


def test_company_pages(page, live_server, network):
    sign_in(page, live_server, org_admin(network["sme"]))
    for url in (
        reverse("my_organisations"),
        reverse("organisation_edit", args=[network["sme"].slug]),
        reverse("matchmaking:my_matches"),
        reverse("clusters:my_applications"),
        reverse("matchmaking:introduction_list"),
        reverse("notification_inbox"),
        reverse("privacy_settings"),
    ):
        page.goto(url)
        assert_accessible(page)
    screenshot(page, "a11y-company-privacy")


def test_municipality_pages(page, live_server, network):
    sign_in(page, live_server, org_admin(network["municipality"]))
    for url in (
        reverse("matchmaking:need_create"),
        reverse("matchmaking:need_matches", args=[network["need"].pk]),
    ):
        page.goto(url)
        assert_accessible(page)


def test_cluster_staff_pages(page, live_server, network):
    cluster = network["cluster"]
    sign_in(page, live_server, staff(cluster))
    for name in ("member_list", "application_queue", "review_queue", "import_upload", "settings"):
        page.goto(reverse(f"clusters:{name}", args=[cluster.slug]))
        assert_accessible(page)
    screenshot(page, "a11y-cluster-settings")


def test_review_pages(page, live_server, network):
    """The reviewer's comparison of a changed profile and the owner's view of it."""
    municipality = network["municipality"]
    municipality.pending_changes = {"name": "Odense Kommune, Ældre og Handicap"}
    municipality.review_status = "pending"
    municipality.save()
    NeedFactory(owner=municipality, title="Ny idé", is_published=False, review_status="pending")
    sign_in(page, live_server, staff(network["cluster"]))
    page.goto(reverse("clusters:review_queue", args=[network["cluster"].slug]))
    assert_accessible(page)
    page.goto(reverse("clusters:review_detail", args=["organisation", municipality.pk]))
    assert_accessible(page)
    screenshot(page, "a11y-review-detail")
    page.context.clear_cookies()
    sign_in(page, live_server, org_admin(municipality))
    page.goto(reverse("organisation_edit", args=[municipality.slug]))
    assert_accessible(page)


def test_network_admin_pages(page, live_server, network):
    sign_in(page, live_server, UserFactory(is_network_admin=True))
    for url in (reverse("matchmaking:run_list"), reverse("clusters:index")):
        page.goto(url)
        assert_accessible(page)
