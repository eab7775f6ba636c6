"""Destructive actions ask first (issue 20): a POST without `confirm` shows a confirm page
(the no-JavaScript path of the DKFDS modal) and changes nothing; only `confirm=yes` acts."""

import pytest
from django.urls import reverse

from network.models import KnowledgeOffer, TestSite
from tests.conftest import person_with_login
from tests.factories import KnowledgeOfferFactory, OrganisationFactory, TestSiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality():
    return OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")


@pytest.fixture
def municipality_admin(municipality):
    return person_with_login(municipality, "admin", "sundhed@odense.example")


def assert_asks(response, action_url, **fields):
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="confirm-question"' in body
    assert f'action="{action_url}"' in body
    assert '<input type="hidden" name="confirm" value="yes">' in body
    for name, value in fields.items():
        assert f'<input type="hidden" name="{name}" value="{value}">' in body


def test_deleting_a_test_site_asks_first(client, municipality, municipality_admin):
    site = TestSiteFactory(owner=municipality, name="Plejecenter Ærtebjerghave")
    client.force_login(municipality_admin)
    url = reverse("test_site_delete", args=[municipality.slug, site.pk])

    response = client.post(url)

    assert_asks(response, url)
    assert "Plejecenter Ærtebjerghave" in response.content.decode()
    edit_url = reverse("test_site_edit", args=[municipality.slug, site.pk])
    assert f'href="{edit_url}"' in response.content.decode()  # "Annuller" goes back
    assert TestSite.objects.filter(pk=site.pk).exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not TestSite.objects.filter(pk=site.pk).exists()


def test_the_edit_page_offers_the_modal_and_the_plain_button(
    client, municipality, municipality_admin
):
    site = TestSiteFactory(owner=municipality)
    client.force_login(municipality_admin)
    body = client.get(reverse("test_site_edit", args=[municipality.slug, site.pk])).content.decode()
    assert 'data-module="modal" data-target="confirm-delete"' in body
    assert 'class="fds-modal" id="confirm-delete" aria-hidden="true"' in body


def test_deleting_a_knowledge_offer_asks_first(client):
    university = OrganisationFactory(kind="university", cvr="")
    admin = person_with_login(university, "admin", "forsker@sdu.example")
    offer = KnowledgeOfferFactory(owner=university)
    client.force_login(admin)
    url = reverse("offer_delete", args=[university.slug, offer.pk])

    assert_asks(client.post(url), url)
    assert KnowledgeOffer.objects.filter(pk=offer.pk).exists()
    client.post(url, {"confirm": "yes"})
    assert not KnowledgeOffer.objects.filter(pk=offer.pk).exists()


def test_an_outsider_is_not_asked_but_refused(client, municipality):
    site = TestSiteFactory(owner=municipality)
    client.force_login(person_with_login(OrganisationFactory(), "admin", "x@andet.example"))
    url = reverse("test_site_delete", args=[municipality.slug, site.pk])
    assert client.post(url).status_code == 403
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert TestSite.objects.filter(pk=site.pk).exists()


def test_discarding_pending_changes_asks_first(client, municipality, municipality_admin):
    site = TestSiteFactory(
        owner=municipality, review_status="pending", pending_changes={"name": "Nyt navn"}
    )
    client.force_login(municipality_admin)
    url = reverse("review_action", args=["test_site", site.pk])

    assert_asks(client.post(url, {"action": "discard"}), url, action="discard")
    site.refresh_from_db()
    assert site.pending_changes == {"name": "Nyt navn"}

    client.post(url, {"action": "discard", "confirm": "yes"})
    site.refresh_from_db()
    assert (site.review_status, site.pending_changes) == ("published", None)


def test_sending_for_review_does_not_ask(client, municipality, municipality_admin):
    site = TestSiteFactory(owner=municipality, review_status="draft", is_published=False)
    client.force_login(municipality_admin)
    response = client.post(
        reverse("review_action", args=["test_site", site.pk]), {"action": "submit"}
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.review_status == "pending"
