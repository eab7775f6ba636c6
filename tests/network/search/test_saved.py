"""Saved searches: a signed-in person keeps a search and is emailed, once each, about new needs,
test sites and offers it finds, at the frequency they chose; never about anything hidden from
them; one click in the email deletes that saved search alone."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from network.models import SavedSearch, SavedSearchSent
from network.search import saved as service
from tests.factories import KnowledgeOfferFactory, OrganisationFactory, TestSiteFactory
from tests.matchmaking.factories import NeedFactory

pytestmark = pytest.mark.django_db

TEXT = "Zebrafisk i hjemmeplejen: vi søger sensorer."


@pytest.fixture
def keep(owner):
    def keep(query="zebrafisk", frequency="daily", **fields):
        return service.saved_search_create(user=owner, query=query, frequency=frequency, **fields)

    return keep


def run(frequency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return service.alerts_run(frequency)


def test_the_pages_need_a_login(client):
    saved = SavedSearch(pk=1)
    for method, url in (
        ("get", reverse("saved_searches")),
        ("post", reverse("saved_searches")),
        ("post", reverse("saved_search_delete", args=[saved.pk])),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_what_it_finds_when_saved_is_not_sent_only_what_comes_after_and_once(
    keep, django_capture_on_commit_callbacks
):
    NeedFactory(title="Zebrafisk i gamle dage", description=TEXT)
    saved = keep()
    assert run("daily", django_capture_on_commit_callbacks) == {"searches": 1, "items": 0}
    assert mail.outbox == []
    NeedFactory(title="Zebrafisk om natten", description=TEXT)
    TestSiteFactory(name="Zebrafisk testhjem", description=TEXT)
    KnowledgeOfferFactory(title="Zebrafisk viden", competence=TEXT)
    OrganisationFactory(name="Zebrafisk ApS", description=TEXT)  # not a kind alerts send
    assert run("daily", django_capture_on_commit_callbacks)["items"] == 3
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    for title in ("Zebrafisk om natten", "Zebrafisk testhjem", "Zebrafisk viden"):
        assert title in body
    assert "Zebrafisk ApS" not in body
    assert "Zebrafisk i gamle dage" not in body
    stop = service.unsubscribe_url(saved)
    assert stop in body
    assert stop in mail.outbox[0].extra_headers["List-Unsubscribe"]
    assert run("daily", django_capture_on_commit_callbacks)["items"] == 0
    assert len(mail.outbox) == 1


def test_only_searches_of_the_frequency_run(keep, django_capture_on_commit_callbacks):
    keep(frequency="weekly")
    NeedFactory(title="Zebrafisk om natten", description=TEXT)
    assert run("daily", django_capture_on_commit_callbacks) == {"searches": 0, "items": 0}
    assert run("immediately", django_capture_on_commit_callbacks)["searches"] == 0
    assert run("weekly", django_capture_on_commit_callbacks)["items"] == 1
    assert len(mail.outbox) == 1


def test_nothing_hidden_from_the_person_is_ever_sent(keep, django_capture_on_commit_callbacks):
    keep()
    private = OrganisationFactory(name="Privat", is_public=False)
    NeedFactory(title="Zebrafisk kladde", description=TEXT, status="draft")
    NeedFactory(title="Zebrafisk privat", description=TEXT, visibility="private")
    NeedFactory(
        title="Zebrafisk afventer", description=TEXT, is_published=False, review_status="pending"
    )
    TestSiteFactory(name="Zebrafisk hos privat", description=TEXT, owner=private)
    TestSiteFactory(
        name="Zebrafisk testsite kladde",
        description=TEXT,
        is_published=False,
        review_status="draft",
    )
    KnowledgeOfferFactory(title="Zebrafisk ikke offentligt", competence=TEXT, is_public=False)
    assert run("daily", django_capture_on_commit_callbacks)["items"] == 0
    assert mail.outbox == []


def test_never_by_email_in_the_preference_centre_stops_the_alerts_too(
    owner, keep, django_capture_on_commit_callbacks
):
    from network.notifications import preference_set

    keep()
    preference_set(user=owner, frequency="never")
    NeedFactory(title="Zebrafisk om natten", description=TEXT)
    assert run("daily", django_capture_on_commit_callbacks)["items"] == 1
    assert mail.outbox == []


def test_the_kind_and_facets_of_the_saved_search_apply(keep, django_capture_on_commit_callbacks):
    keep(kind="test_site")
    NeedFactory(title="Zebrafisk om natten", description=TEXT)
    TestSiteFactory(name="Zebrafisk testhjem", description=TEXT)
    assert run("daily", django_capture_on_commit_callbacks)["items"] == 1
    assert "Zebrafisk testhjem" in mail.outbox[0].body


def test_the_email_speaks_the_persons_language(owner, keep, django_capture_on_commit_callbacks):
    owner.language = "nb"
    owner.save()
    keep()
    NeedFactory(title="Zebrafisk om natten", description=TEXT)
    run("daily", django_capture_on_commit_callbacks)
    assert mail.outbox[0].subject.startswith("Nytt i portalen")


def test_save_from_the_search_page_list_and_delete(client, owner, outsider):
    client.force_login(owner)
    page = client.get(reverse("search"), {"q": "zebrafisk", "kind": "need"}).content.decode()
    assert 'data-testid="save-search"' in page
    response = client.post(
        reverse("saved_searches"),
        {"save-q": "zebrafisk", "save-kind": "need", "save-frequency": "immediately"},
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=owner)
    assert (saved.query, saved.kind, saved.frequency) == ("zebrafisk", "need", "immediately")
    listing = client.get(reverse("saved_searches")).content.decode()
    assert "zebrafisk" in listing
    # Another person can neither see nor delete it.
    client.force_login(outsider)
    assert "zebrafisk" not in client.get(reverse("saved_searches")).content.decode()
    assert client.post(reverse("saved_search_delete", args=[saved.pk])).status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    client.force_login(owner)
    assert client.post(reverse("saved_search_delete", args=[saved.pk])).status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_a_search_without_words_is_not_saved(client, owner):
    client.force_login(owner)
    client.post(reverse("saved_searches"), {"save-q": '"*"', "save-frequency": "daily"})
    assert not SavedSearch.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in_to_save(client):
    page = client.get(reverse("search"), {"q": "zebrafisk"}).content.decode()
    assert 'data-testid="save-search"' not in page
    assert reverse("account_login") in page


def test_one_click_deletes_that_saved_search_alone(keep):
    saved, other = keep(), keep(query="robotter")
    client = Client(enforce_csrf_checks=True)
    url = service.unsubscribe_url(saved)
    assert client.get(url).status_code == 200  # a mail scanner's visit changes nothing
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()
    assert SavedSearch.objects.filter(pk=other.pk).exists()
    assert client.get(url).status_code == 404
    assert client.get(url[:-3] + "xx/").status_code == 404


def test_the_list_page_costs_the_same_for_one_or_many(
    client, owner, keep, django_assert_max_num_queries
):
    client.force_login(owner)
    keep()
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("saved_searches"))
    for number in range(8):
        keep(query=f"robotter {number}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("saved_searches"))
    assert SavedSearchSent.objects.count() == 0
