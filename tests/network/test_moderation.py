"""Review before publication: what the public, matching and the API see of items not yet approved,
every transition, and who may make it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking import features
from network import moderation
from network.models import KnowledgeOffer, Notification, ReviewEvent, TestSite
from tests.api.factories import api_key, get
from tests.clusters.factories import ClusterFactory, MembershipFactory, org_admin, staff
from tests.factories import (
    KnowledgeOfferFactory,
    OrganisationFactory,
    TestSiteFactory,
    UserFactory,
    focus_area,
)
from tests.matchmaking.factories import NeedFactory
from tests.network.test_my_organisation import profile_data

pytestmark = pytest.mark.django_db

UNPUBLISHED = {"is_published": False, "review_status": "pending"}


@pytest.fixture
def cluster(db):
    return ClusterFactory(slug="welfare-tech", name="Welfare Tech")


@pytest.fixture
def municipality_org(cluster):
    organisation = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    MembershipFactory(cluster=cluster, organisation=organisation, status="active")
    return organisation


@pytest.fixture
def owner(municipality_org):
    return org_admin(municipality_org, email="owner@odense.example")


@pytest.fixture
def reviewer(cluster):
    return staff(cluster, "coordinator", email="coordinator@welfaretech.example")


@pytest.fixture
def other_reviewer(db):
    return staff(ClusterFactory(slug="other"), "manager", email="manager@other.example")


def site_data(**changes):
    data = {
        "name": "Plejecenter Bøgebakken",
        "site_type": "nursing_home",
        "description": "Et plejecenter med 60 boliger.",
        "capabilities": "Sensorer, personale.",
        "capacity": "2",
        "tests_running": "0",
        "available_from": "",
        "available_until": "",
        "trl_min": "4",
        "trl_max": "8",
        "municipality": "",
        "focus_areas": [focus_area().pk],
        "language": "da",
        "is_public": "on",
        "tag_names": "sensorer",
    }
    data.update(changes)
    return data


def review(client, user, item, action, reason=""):
    client.force_login(user)
    url = reverse("clusters:review_detail", args=[moderation.kind_of(item), item.pk])
    return client.post(url, {"action": action, "reason": reason})


class TestUnpublishedIsHidden:
    def test_directory_lists_and_shows_only_published_profiles(self, client):
        OrganisationFactory(name="Godkendt ApS")
        hidden = OrganisationFactory(name="Afventer ApS", **UNPUBLISHED)

        page = client.get(reverse("directory")).content.decode()
        assert "Godkendt ApS" in page
        assert "Afventer ApS" not in page
        assert client.get(hidden.get_absolute_url()).status_code == 404

    def test_owners_still_see_their_own_unpublished_profile(self, client):
        hidden = OrganisationFactory(name="Afventer ApS", **UNPUBLISHED)
        client.force_login(org_admin(hidden))
        response = client.get(hidden.get_absolute_url())
        assert response.status_code == 200
        assert 'data-review-status="pending"' in response.content.decode()

    def test_unpublished_items_are_left_out_of_matching(self, municipality_org):
        sme = OrganisationFactory()
        pending_sme = OrganisationFactory(**UNPUBLISHED)
        site = TestSiteFactory(owner=municipality_org)
        pending_site = TestSiteFactory(owner=municipality_org, **UNPUBLISHED)
        offer = KnowledgeOfferFactory()
        pending_offer = KnowledgeOfferFactory(**UNPUBLISHED)
        need = NeedFactory(owner=municipality_org)
        pending_need = NeedFactory(owner=municipality_org, **UNPUBLISHED)
        # An item of a profile not (yet) published is not matched either.
        site_of_pending_owner = TestSiteFactory(
            owner=OrganisationFactory(kind="municipality", cvr="", **UNPUBLISHED)
        )

        sources, targets = features.current_keys()

        assert ("sme", sme.pk) in sources
        assert ("sme", pending_sme.pk) not in sources
        assert {("test_site", site.pk), ("knowledge_offer", offer.pk), ("need", need.pk)} <= targets
        for key in [
            ("test_site", pending_site.pk),
            ("knowledge_offer", pending_offer.pk),
            ("need", pending_need.pk),
            ("test_site", site_of_pending_owner.pk),
        ]:
            assert key not in targets
        loaded = {(d.type, d.id) for d in features.load_targets(None)}
        assert ("test_site", pending_site.pk) not in loaded
        assert ("test_site", site.pk) in loaded
        assert pending_sme.pk not in {d.id for d in features.load_sources()}

    def test_api_serves_only_published_items(self, client, cluster, municipality_org):
        key = api_key(cluster=cluster)
        OrganisationFactory(name="Afventer ApS", **UNPUBLISHED)
        TestSiteFactory(owner=municipality_org, name="Afventende sted", **UNPUBLISHED)
        TestSiteFactory(owner=municipality_org, name="Godkendt sted")
        KnowledgeOfferFactory(title="Afventende tilbud", **UNPUBLISHED)
        NeedFactory(owner=municipality_org, title="Afventende behov", **UNPUBLISHED)
        NeedFactory(owner=municipality_org, title="Godkendt behov")

        organisations = get(client, reverse("api-organisation-list"), key).content.decode()
        sites = get(client, reverse("api-test-site-list"), key).content.decode()
        offers = get(client, reverse("api-knowledge-offer-list"), key).content.decode()
        needs = get(client, reverse("api-need-list"), key).content.decode()

        assert "Afventer ApS" not in organisations
        assert "Odense Kommune" in organisations
        assert "Afventende sted" not in sites
        assert "Godkendt sted" in sites
        assert "Afventende tilbud" not in offers
        assert "Afventende behov" not in needs
        assert "Godkendt behov" in needs

    def test_need_list_hides_needs_waiting_for_review(self, client, municipality_org):
        NeedFactory(owner=municipality_org, title="Afventende behov", **UNPUBLISHED)
        NeedFactory(owner=municipality_org, title="Godkendt behov")
        page = client.get(reverse("matchmaking:need_list")).content.decode()
        assert "Godkendt behov" in page
        assert "Afventende behov" not in page


class TestNewItem:
    def test_owner_creates_a_test_site_it_waits_then_is_approved(
        self, client, owner, reviewer, municipality_org
    ):
        client.force_login(owner)
        url = reverse("test_site_create", args=[municipality_org.slug])
        assert client.post(url, site_data()).status_code == 302
        site = TestSite.objects.get(name="Plejecenter Bøgebakken")
        assert (site.review_status, site.is_published) == ("pending", False)
        assert not TestSite.objects.public().filter(pk=site.pk).exists()
        # The cluster's staff are told, and the site is in their queue.
        assert Notification.objects.filter(user=reviewer, kind="review_requested").exists()
        client.force_login(reviewer)
        queue = client.get(reverse("clusters:review_queue", args=[cluster_slug(site)]))
        assert "Plejecenter Bøgebakken" in queue.content.decode()

        assert review(client, reviewer, site, "approve").status_code == 302
        site.refresh_from_db()
        assert (site.review_status, site.is_published) == ("published", True)
        assert TestSite.objects.public().filter(pk=site.pk).exists()
        assert Notification.objects.filter(user=owner, kind="review_approved").exists()
        actions = list(
            ReviewEvent.objects.filter(object_id=site.pk).values_list("action", flat=True)
        )
        assert actions == ["approved", "submitted"]

    def test_sent_back_with_reason_then_corrected_and_resubmitted(
        self, client, owner, reviewer, municipality_org
    ):
        site = TestSiteFactory(owner=municipality_org, **UNPUBLISHED)

        response = review(client, reviewer, site, "send_back", reason="")
        assert response.status_code == 200  # the form again, with the error
        site.refresh_from_db()
        assert site.review_status == "pending"

        review(client, reviewer, site, "send_back", reason="Beskriv udstyret nærmere.")
        site.refresh_from_db()
        assert (site.review_status, site.review_reason) == (
            "sent_back",
            "Beskriv udstyret nærmere.",
        )
        assert Notification.objects.filter(user=owner, kind="review_sent_back").exists()

        client.force_login(owner)
        edit = reverse("test_site_edit", args=[municipality_org.slug, site.pk])
        page = client.get(edit).content.decode()
        assert "Beskriv udstyret nærmere." in page
        client.post(edit, site_data(name=site.name, capabilities="Lifte og sensorer."))
        site.refresh_from_db()
        assert (site.review_status, site.capabilities) == ("pending", "Lifte og sensorer.")
        assert not site.is_published

    def test_owner_sends_a_draft_for_review(self, client, owner, municipality_org):
        site = TestSiteFactory(owner=municipality_org, is_published=False, review_status="draft")
        client.force_login(owner)
        url = reverse("review_action", args=["test_site", site.pk])
        client.post(url, {"action": "submit"})
        site.refresh_from_db()
        assert site.review_status == "pending"

    def test_reviewers_own_edit_publishes_at_once(self, client, municipality_org):
        admin = UserFactory(is_network_admin=True)
        client.force_login(admin)
        url = reverse("test_site_create", args=[municipality_org.slug])
        client.post(url, site_data())
        site = TestSite.objects.get(name="Plejecenter Bøgebakken")
        assert (site.review_status, site.is_published) == ("published", True)


class TestChangesToPublishedItems:
    def test_changes_wait_while_the_public_sees_the_approved_version(
        self, client, reviewer, cluster
    ):
        organisation = OrganisationFactory(name="Faldsikker ApS")
        MembershipFactory(cluster=cluster, organisation=organisation, status="active")
        owner = org_admin(organisation)
        client.force_login(owner)
        response = client.post(
            reverse("organisation_edit", args=[organisation.slug]),
            profile_data(organisation, name="Faldsikker A/S", tag_names="fald, nat"),
        )
        assert response.status_code == 302

        organisation.refresh_from_db()
        assert organisation.name == "Faldsikker ApS"
        assert organisation.review_status == "pending"
        assert organisation.is_published
        assert organisation.pending_changes["name"] == "Faldsikker A/S"
        client.logout()
        assert "Faldsikker ApS" in client.get(reverse("directory")).content.decode()
        # The owners' form shows what they proposed.
        client.force_login(owner)
        form_page = client.get(reverse("organisation_edit", args=[organisation.slug]))
        assert 'value="Faldsikker A/S"' in form_page.content.decode()
        # The reviewer compares the two versions, then approves.
        client.force_login(reviewer)
        detail = client.get(
            reverse("clusters:review_detail", args=["organisation", organisation.pk])
        )
        changes = detail.content.decode()
        assert "Faldsikker ApS" in changes
        assert "Faldsikker A/S" in changes

        review(client, reviewer, organisation, "approve")
        organisation.refresh_from_db()
        assert organisation.name == "Faldsikker A/S"
        assert sorted(organisation.tags.values_list("name", flat=True)) == ["fald", "nat"]
        assert organisation.pending_changes is None
        assert organisation.review_status == "published"

    def test_unreviewed_fields_apply_at_once(self, client, owner, municipality_org):
        site = TestSiteFactory(owner=municipality_org, name="Bøgebakken", capacity=1)
        client.force_login(owner)
        client.post(
            reverse("test_site_edit", args=[municipality_org.slug, site.pk]),
            site_data(name="Bøgebakken", description=site.description, capacity="3",
                      capabilities=site.capabilities, tag_names="", focus_areas=[]),
        )  # fmt: skip
        site.refresh_from_db()
        assert site.capacity == 3
        assert site.review_status == "published"
        assert site.pending_changes is None

    def test_sent_back_changes_keep_the_published_version(self, client, reviewer, owner, cluster):
        site = TestSiteFactory(
            owner=owner.person.organisations.get(),
            name="Gammelt navn",
            review_status="pending",
            pending_changes={"name": "Nyt navn"},
        )
        review(client, reviewer, site, "send_back", reason="Navnet er forkert.")
        site.refresh_from_db()
        assert (site.is_published, site.name, site.review_status) == (
            True,
            "Gammelt navn",
            "sent_back",
        )
        assert TestSite.objects.public().filter(pk=site.pk).exists()

    def test_owner_discards_waiting_changes(self, client, owner, municipality_org):
        site = TestSiteFactory(
            owner=municipality_org, review_status="pending", pending_changes={"name": "Nyt"}
        )
        client.force_login(owner)
        client.post(
            reverse("review_action", args=["test_site", site.pk]),
            {"action": "discard", "confirm": "yes"},
        )
        site.refresh_from_db()
        assert (site.review_status, site.pending_changes) == ("published", None)

    def test_sending_back_a_published_item_takes_it_down(self, client, reviewer, municipality_org):
        site = TestSiteFactory(owner=municipality_org)
        review(client, reviewer, site, "send_back", reason="Stedet er lukket.")
        site.refresh_from_db()
        assert (site.is_published, site.review_status) == (False, "sent_back")
        assert ("test_site", site.pk) not in features.current_keys()[1]

    def test_need_posted_by_owner_waits_for_review(self, client, owner, reviewer, municipality_org):
        client.force_login(owner)
        response = client.post(
            reverse("matchmaking:need_create"),
            {
                "owner": municipality_org.pk,
                "title": "Faldsensorer om natten",
                "description": "Vi søger sensorer.",
                "test_setting": "",
                "focus_areas": [focus_area().pk],
                "tag_names": "",
                "municipality": "",
                "region": "",
                "deadline": "",
                "trl_min": "3",
                "trl_max": "8",
                "language": "da",
                "visibility": "public",
                "reference": "",
                "publish": "1",
            },
        )
        assert response.status_code == 302
        need = municipality_org.needs.get()
        assert (need.status, need.review_status, need.is_published) == ("open", "pending", False)
        client.logout()
        assert client.get(need.get_absolute_url()).status_code == 302  # sign in first
        review(client, reviewer, need, "approve")
        need.refresh_from_db()
        assert need.is_published
        client.logout()
        assert client.get(need.get_absolute_url()).status_code == 200


def cluster_slug(item):
    return moderation.owner_of(item).memberships.get().cluster.slug


class TestWhoMay:
    @pytest.fixture
    def pending_site(self, municipality_org):
        return TestSiteFactory(owner=municipality_org, **UNPUBLISHED)

    def test_staff_of_another_cluster_cannot_review(self, client, other_reviewer, pending_site):
        url = reverse("clusters:review_detail", args=["test_site", pending_site.pk])
        client.force_login(other_reviewer)
        assert client.get(url).status_code == 404
        assert review(client, other_reviewer, pending_site, "approve").status_code == 404
        pending_site.refresh_from_db()
        assert pending_site.review_status == "pending"

    def test_owners_and_outsiders_cannot_review(self, client, owner, pending_site):
        for user in (owner, UserFactory()):
            assert review(client, user, pending_site, "approve").status_code == 404
        pending_site.refresh_from_db()
        assert not pending_site.is_published

    def test_staff_who_work_for_the_organisation_cannot_review_it(
        self, reviewer, pending_site, municipality_org
    ):
        from tests.factories import AffiliationFactory, PersonFactory

        AffiliationFactory(
            person=PersonFactory(user=reviewer), organisation=municipality_org, role="member"
        )
        assert not moderation.may_review(reviewer, municipality_org)
        with pytest.raises(moderation.ReviewError):
            moderation.approve(pending_site, actor=reviewer)

    def test_network_admin_reviews_anything(self, client, pending_site):
        admin = UserFactory(is_network_admin=True)
        assert review(client, admin, pending_site, "approve").status_code == 302
        pending_site.refresh_from_db()
        assert pending_site.is_published

    def test_applicants_items_are_reviewed_by_the_cluster_they_apply_to(self, reviewer, cluster):
        applicant = OrganisationFactory(**UNPUBLISHED)
        MembershipFactory(cluster=cluster, organisation=applicant, status="applied")
        assert moderation.may_review(reviewer, applicant)
        lapsed = OrganisationFactory(**UNPUBLISHED)
        MembershipFactory(cluster=cluster, organisation=lapsed, status="lapsed")
        assert not moderation.may_review(reviewer, lapsed)

    def test_members_without_admin_rights_cannot_submit_or_discard(
        self, client, municipality_org, pending_site
    ):
        from tests.factories import AffiliationFactory, PersonFactory

        member = UserFactory()
        AffiliationFactory(
            person=PersonFactory(user=member), organisation=municipality_org, role="member"
        )
        client.force_login(member)
        url = reverse("review_action", args=["test_site", pending_site.pk])
        assert client.post(url, {"action": "discard"}).status_code == 403

    def test_outsiders_learn_nothing_of_unpublished_items(self, client, pending_site):
        client.force_login(UserFactory())
        url = reverse("review_action", args=["test_site", pending_site.pk])
        assert client.post(url, {"action": "submit"}).status_code == 404

    def test_transitions_from_the_wrong_state_are_refused(self, reviewer, owner, municipality_org):
        published = TestSiteFactory(owner=municipality_org)
        with pytest.raises(moderation.ReviewError):
            moderation.approve(published, actor=reviewer)
        with pytest.raises(moderation.ReviewError):
            moderation.submit(published, actor=owner)
        with pytest.raises(moderation.ReviewError):
            moderation.discard_changes(published, actor=owner)
        draft = TestSiteFactory(owner=municipality_org, is_published=False, review_status="draft")
        with pytest.raises(moderation.ReviewError):
            moderation.send_back(draft, actor=reviewer, reason="Nej")

    def test_queue_needs_cluster_staff(self, client, cluster, other_reviewer, owner):
        url = reverse("clusters:review_queue", args=[cluster.slug])
        for user in (other_reviewer, owner):
            client.force_login(user)
            assert client.get(url).status_code in (403, 404)
        client.force_login(owner)
        assert client.get(reverse("clusters:review_queue_all")).status_code == 403


class TestQueue:
    def test_lists_only_the_clusters_members_items(
        self, client, cluster, reviewer, municipality_org
    ):
        TestSiteFactory(owner=municipality_org, name="Vores sted", **UNPUBLISHED)
        TestSiteFactory(name="Andres sted", **UNPUBLISHED)
        client.force_login(reviewer)
        page = client.get(reverse("clusters:review_queue", args=[cluster.slug])).content.decode()
        assert "Vores sted" in page
        assert "Andres sted" not in page

    def test_a_long_queue_shows_the_oldest_and_counts_them_all(
        self, client, cluster, reviewer, municipality_org, monkeypatch
    ):
        from datetime import timedelta

        from django.utils import timezone

        from clusters.views import reviews

        monkeypatch.setattr(reviews, "QUEUE_LIMIT", 2)
        now = timezone.now()
        for name, days_ago in (("Nyt sted", 1), ("Gammelt sted", 9), ("Mellemsted", 5)):
            TestSiteFactory(
                owner=municipality_org,
                name=name,
                submitted_at=now - timedelta(days=days_ago),
                **UNPUBLISHED,
            )
        NeedFactory(
            owner=municipality_org, title="Ældste behov", submitted_at=now - timedelta(days=20),
            **UNPUBLISHED,
        )  # fmt: skip
        client.force_login(reviewer)
        page = client.get(reverse("clusters:review_queue", args=[cluster.slug])).content.decode()
        assert page.count('data-testid="review-row"') == 2
        assert page.index("Ældste behov") < page.index("Gammelt sted")
        assert "Mellemsted" not in page
        assert "Nyt sted" not in page
        count = re.search(r'data-testid="review-count">\s*(\d+)', page)
        assert count.group(1) == "4"

    def test_fixed_number_of_queries_whatever_its_length(
        self, client, cluster, reviewer, municipality_org
    ):
        url = reverse("clusters:review_queue", args=[cluster.slug])
        client.force_login(reviewer)

        def add_items(n):
            for i in range(n):
                TestSiteFactory(owner=municipality_org, name=f"Sted {i}", **UNPUBLISHED)
                owner = OrganisationFactory(kind="university", cvr="", **UNPUBLISHED)
                MembershipFactory(cluster=cluster, organisation=owner, status="active")
                KnowledgeOfferFactory(owner=owner, **UNPUBLISHED)
                NeedFactory(owner=municipality_org, **UNPUBLISHED)

        def queries_and_rows():
            client.get(url)  # sessions, caches and flags warm
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            return len(queries), response.content.decode().count('data-testid="review-row"')

        add_items(1)
        short_queries, short_rows = queries_and_rows()
        add_items(14)
        long_queries, long_rows = queries_and_rows()
        # Each university brings a profile and an offer to review, each need and site one row.
        assert (short_rows, long_rows) == (4, 60)
        assert long_queries == short_queries


def test_knowledge_offer_kind_round_trip(db):
    offer = KnowledgeOfferFactory()
    assert moderation.kind_of(offer) == "knowledge_offer"
    assert moderation.KINDS["knowledge_offer"] is KnowledgeOffer
