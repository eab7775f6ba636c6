"""Search finds exactly what the directory, lists and API show the person asking: never a
draft, an item waiting for review, a private item, another organisation's unpublished work,
nor a project of a cluster they have nothing to do with."""

import pytest
from django.urls import reverse

from network.models import Organisation
from tests.conftest import person_with_login
from tests.factories import (
    ClusterStaffFactory,
    KnowledgeOfferFactory,
    OrganisationFactory,
    TestSiteFactory,
)
from tests.matchmaking.factories import NeedFactory
from tests.projects.factories import PartnerFactory, ProjectFactory

pytestmark = pytest.mark.django_db

# Every hidden item says "zebrafisk" (and a compound of it) in its title and text.
QUERIES = ["zebrafisk", "ZEBRAFISK", "zebrafsk", "zebra", "zebrafiskeovervågning", "zebrafisk*"]


@pytest.fixture(autouse=True)
def _sync_every_search(settings):
    settings.SEARCH_SYNC_SECONDS = 0


def found(client, query="zebrafisk") -> set[str]:
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return {hit.title for hit in response.context["results"].hits}


@pytest.fixture
def hidden(db):
    text = "Zebrafisk og zebrafiskeovervågning i hjemmet."
    draft = OrganisationFactory(
        name="Zebrafisk kladde",
        description=text,
        is_published=False,
        review_status="draft",
    )
    pending = OrganisationFactory(
        name="Zebrafisk til godkendelse",
        description=text,
        is_published=False,
        review_status="pending",
    )
    private = OrganisationFactory(name="Zebrafisk privat", description=text, is_public=False)
    TestSiteFactory(name="Zebrafisk testsite hos privat ejer", description=text, owner=private)
    TestSiteFactory(
        name="Zebrafisk testsite kladde",
        description=text,
        is_published=False,
        review_status="draft",
    )
    KnowledgeOfferFactory(
        title="Zebrafisk tilbud ikke offentligt", competence=text, is_public=False
    )
    KnowledgeOfferFactory(title="Zebrafisk tilbud hos kladde", competence=text, owner=draft)
    NeedFactory(title="Zebrafisk behov kladde", description=text, status="draft")
    NeedFactory(title="Zebrafisk behov privat", description=text, visibility="private")
    NeedFactory(
        title="Zebrafisk behov afventer",
        description=text,
        is_published=False,
        review_status="pending",
    )
    members_only = NeedFactory(
        title="Zebrafisk behov for medlemmer", description=text, visibility="network"
    )
    project = ProjectFactory(title="Zebrafisk projekt", description=text)
    return {"pending": pending, "members_only": members_only, "project": project}


def test_anonymous_finds_none_of_the_hidden_items(client, hidden):
    for query in QUERIES:
        assert found(client, query) == set(), query


def test_an_outsider_finds_only_what_members_may_see(client, hidden, outsider):
    client.force_login(outsider)
    for query in QUERIES:
        assert found(client, query) == {"Zebrafisk behov for medlemmer"}, query


def test_staff_of_another_cluster_do_not_find_its_projects(client, hidden):
    other_staff = ClusterStaffFactory().user
    client.force_login(other_staff)
    assert "Zebrafisk projekt" not in found(client)
    lead_staff = ClusterStaffFactory(cluster=hidden["project"].lead_cluster).user
    client.force_login(lead_staff)
    assert "Zebrafisk projekt" in found(client)


def test_partners_find_their_project(client, hidden):
    partner = PartnerFactory(project=hidden["project"])
    user = person_with_login(partner.organisation, "member", "partner@zebra.example")
    client.force_login(user)
    assert "Zebrafisk projekt" in found(client)


def test_owners_find_their_own_pending_profile_as_the_directory_shows_it(client, hidden):
    user = person_with_login(hidden["pending"], "admin", "pending@zebra.example")
    client.force_login(user)
    assert "Zebrafisk til godkendelse" in found(client)
    directory = client.get(reverse("directory"), {"q": "Zebrafisk til godkendelse"})
    assert "Zebrafisk til godkendelse" in directory.content.decode()


def test_network_admins_find_everything(client, hidden, network_admin):
    client.force_login(network_admin)
    assert len(found(client)) == 12


def test_what_search_shows_of_organisations_is_what_the_directory_shows(client, hidden):
    OrganisationFactory(
        name="Zebrafisk gammel profil",
        description="Zebrafisk.",
        stale_since="2026-01-01T00:00:00Z",
    )
    searched = {title for title in found(client) if title.startswith("Zebrafisk")}
    listed = set(
        Organisation.objects.visible_to(None)
        .filter(name__startswith="Zebrafisk")
        .values_list("name", flat=True)
    )
    assert searched == listed


def test_a_misspelling_never_reveals_a_word_of_a_hidden_item(client, hidden):
    """The vocabulary typos are corrected from holds every item's words; only those of items
    the person may see are shown as what was also searched for."""
    response = client.get(reverse("search"), {"q": "zebrafsk"})
    assert response.context["results"].corrected == {}
    assert "zebrafisk" not in response.content.decode().lower()


def test_counts_per_kind_count_only_visible_items(client, hidden):
    response = client.get(reverse("search"), {"q": "zebrafisk"})
    assert response.context["results"].counts == {}
