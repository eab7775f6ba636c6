"""Deleting a test site or knowledge offer can be undone for a while (issue 20: no single slip
loses work). The deleted row is hidden at once from every page, list, search, API and matching
input; the message after the deletion carries a "Fortryd" button that restores it; once the
undo time is over it can no longer be restored, and the periodic purge deletes it for good."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import Match
from network import services
from network.models import KnowledgeOffer, Organisation, TestSite
from network.models.search import SearchDocument
from network.tasks import purge_deleted_offers
from tests.api.factories import api_key, get
from tests.conftest import person_with_login
from tests.factories import (
    ClusterFactory,
    KnowledgeOfferFactory,
    OrganisationFactory,
    TestSiteFactory,
    UserFactory,
)
from tests.matchmaking.factories import MatchFactory

pytestmark = pytest.mark.django_db

NAME = "Plejecenter Zebrahaven"


@pytest.fixture
def municipality():
    return OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")


@pytest.fixture
def municipality_admin(municipality):
    return person_with_login(municipality, "admin", "sundhed@odense.example")


@pytest.fixture
def site(municipality, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # indexed for search
        site = TestSiteFactory(owner=municipality, name=NAME, description="Zebrafisk i hjemmet.")
        services.offer_save(offer=site, focus_areas=[], tags=[])
    return site


def delete(client, site, capture):
    url = reverse("test_site_delete", args=[site.owner.slug, site.pk])
    with capture(execute=True):
        return client.post(url, {"confirm": "yes"}, follow=True)


def test_the_message_after_deleting_holds_an_undo_button_that_restores_it(
    client, site, municipality, municipality_admin, django_capture_on_commit_callbacks
):
    client.force_login(municipality_admin)
    response = delete(client, site, django_capture_on_commit_callbacks)

    body = response.content.decode()
    restore = reverse("test_site_restore", args=[municipality.slug, site.pk])
    assert f'<form method="post" action="{restore}" class="message-undo">' in body
    assert 'data-testid="message-undo">Fortryd</button>' in body
    assert "kan fortryde det i 10 minutter" in body
    assert not TestSite.objects.filter(pk=site.pk).exists()
    assert TestSite.all_objects.get(pk=site.pk).deleted_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        restored = client.post(restore, follow=True)
    assert restored.redirect_chain[-1][0] == reverse(
        "test_site_edit", args=[municipality.slug, site.pk]
    )
    assert f"{NAME} er gendannet." in restored.content.decode()
    assert TestSite.objects.get(pk=site.pk).name == NAME
    assert SearchDocument.objects.filter(kind="test_site", object_id=site.pk).exists()


def test_a_deleted_site_is_hidden_from_profile_directory_search_api_and_matching(
    client, site, municipality, municipality_admin, django_capture_on_commit_callbacks, settings
):
    settings.SEARCH_SYNC_SECONDS = 0
    offer = KnowledgeOfferFactory(title="Zebrafisk-forskning")
    sme = OrganisationFactory(name="Faldvagt ApS")
    match = MatchFactory(
        source=sme,
        need=None,
        test_site=site,
        target_type="test_site",
        target_id=site.pk,
        status="requested",
    )
    key = api_key(cluster=ClusterFactory())
    admin = UserFactory(is_network_admin=True)
    assert SearchDocument.objects.filter(kind="test_site", object_id=site.pk).exists()
    assert Organisation.objects.accepting_tests().filter(pk=municipality.pk).exists()

    client.force_login(municipality_admin)
    delete(client, site, django_capture_on_commit_callbacks)
    services.offer_delete(offer=offer)
    client.logout()

    assert NAME not in client.get(municipality.get_absolute_url()).content.decode()
    assert not SearchDocument.objects.filter(kind="test_site", object_id=site.pk).exists()
    hits = client.get(reverse("search"), {"q": "zebrafisk"}).context["results"].hits
    assert NAME not in {hit.title for hit in hits}
    listed = get(client, reverse("api-test-site-list"), key).json()["results"]
    assert NAME not in [row["name"] for row in listed]
    url = reverse("api-test-site-detail", args=[site.pk])
    assert get(client, url, key).status_code == 404
    offers = get(client, reverse("api-knowledge-offer-list"), key).json()["results"]
    assert "Zebrafisk-forskning" not in [row["title"] for row in offers]
    assert not Organisation.objects.accepting_tests().filter(pk=municipality.pk).exists()
    assert not TestSite.objects.matchable().filter(pk=site.pk).exists()
    assert not KnowledgeOffer.objects.filter(pk=offer.pk).exists()
    assert not Match.objects.visible_to(admin).filter(pk=match.pk).exists()
    assert not municipality.test_sites.exists()  # the owner's own pages too

    # Restored, it is everywhere again, the match someone acted on included.
    client.force_login(municipality_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("test_site_restore", args=[municipality.slug, site.pk]))
    assert Match.objects.visible_to(admin).filter(pk=match.pk).exists()
    assert Organisation.objects.accepting_tests().filter(pk=municipality.pk).exists()
    assert SearchDocument.objects.filter(kind="test_site", object_id=site.pk).exists()
    client.logout()
    assert NAME in client.get(municipality.get_absolute_url()).content.decode()


def test_after_the_undo_time_it_cannot_be_restored_and_is_purged(
    client, site, municipality, municipality_admin
):
    long_ago = timezone.now() - timedelta(minutes=services.OFFER_UNDO_MINUTES, seconds=1)
    services.offer_delete(offer=site, now=long_ago)
    recent = TestSiteFactory(owner=municipality, name="Sundhedshus Vollsmose")
    services.offer_delete(offer=recent)
    client.force_login(municipality_admin)

    response = client.post(
        reverse("test_site_restore", args=[municipality.slug, site.pk]), follow=True
    )

    assert "kan ikke længere gendannes" in response.content.decode()
    assert not TestSite.objects.filter(pk=site.pk).exists()
    assert purge_deleted_offers() == 1
    assert not TestSite.all_objects.filter(pk=site.pk).exists()
    assert TestSite.all_objects.filter(pk=recent.pk).exists()  # still within its undo time


def test_a_knowledge_offer_is_deleted_and_restored_the_same_way(client):
    university = OrganisationFactory(kind="university", cvr="")
    admin = person_with_login(university, "admin", "forsker@sdu.example")
    offer = KnowledgeOfferFactory(owner=university, title="Brugerinddragelse")
    client.force_login(admin)

    response = client.post(
        reverse("offer_delete", args=[university.slug, offer.pk]), {"confirm": "yes"}, follow=True
    )
    restore = reverse("offer_restore", args=[university.slug, offer.pk])
    assert f'action="{restore}"' in response.content.decode()
    assert not KnowledgeOffer.objects.filter(pk=offer.pk).exists()
    client.post(restore)
    assert KnowledgeOffer.objects.filter(pk=offer.pk).exists()


def test_others_cannot_restore_and_a_get_changes_nothing(client, site, municipality):
    services.offer_delete(offer=site)
    url = reverse("test_site_restore", args=[municipality.slug, site.pk])

    assert client.post(url).status_code == 302  # anonymous: to sign in
    client.force_login(person_with_login(OrganisationFactory(), "admin", "x@andet.example"))
    assert client.post(url).status_code == 403
    client.force_login(person_with_login(municipality, "member", "laeser@odense.example"))
    assert client.post(url).status_code == 403
    client.force_login(person_with_login(municipality, "admin", "chef@odense.example"))
    assert client.get(url).status_code == 405
    assert not TestSite.objects.filter(pk=site.pk).exists()
    # Another organisation's site is not found through this organisation's address.
    other = TestSiteFactory(owner=OrganisationFactory(kind="municipality", cvr=""))
    services.offer_delete(offer=other)
    wrong = reverse("test_site_restore", args=[municipality.slug, other.pk])
    assert client.post(wrong).status_code == 404
    assert not TestSite.objects.filter(pk=other.pk).exists()


def test_a_site_that_is_not_deleted_is_not_restored(client, site, municipality, municipality_admin):
    client.force_login(municipality_admin)
    url = reverse("test_site_restore", args=[municipality.slug, site.pk])
    assert client.post(url).status_code == 404
