"""`next` and `back` go only to paths on this site; anything else falls back to a sensible page,
never to a server error (redirect() reversing a bare word) or another site."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from matchmaking.introductions import services
from matchmaking.models_introductions import Feedback
from network.models import Notification
from network.redirects import next_path, safe_path
from tests.matchmaking.introduction_data import make_world

BAD = ["abc", "https://evil.example", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("value", [*BAD, "", None, "matchmaking:my_matches"])
def test_anything_but_a_path_falls_back(value):
    assert safe_path(value, default="/home/") == "/home/"


def test_a_path_on_this_site_is_kept():
    request = RequestFactory().post("/x/", {"next": "/matches/?page=2"})
    assert next_path(request, default="/home/") == "/matches/?page=2"
    other = RequestFactory().post("/x/", {"next": "https://evil.example/matches/"})
    assert next_path(other, default="/home/") == "/home/"


@pytest.fixture
def world(db):
    return make_world()


@pytest.mark.django_db
@pytest.mark.parametrize("value", BAD)
def test_rating_a_match_with_a_bad_next_saves_once_and_goes_to_my_matches(client, world, value):
    client.force_login(world.sme_member)
    url = reverse("matchmaking:match_feedback", args=[world.match.pk])
    response = client.post(url, {"kind": "useful", "reason": "", "next": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("matchmaking:my_matches")
    assert Feedback.objects.filter(kind="useful").count() == 1


@pytest.mark.django_db
def test_rating_a_match_returns_to_the_page_it_came_from(client, world):
    client.force_login(world.sme_member)
    url = reverse("matchmaking:match_feedback", args=[world.match.pk])
    back = reverse("matchmaking:my_matches") + "?page=2"
    response = client.post(url, {"kind": "useful", "next": back})
    assert response["Location"] == back


@pytest.mark.django_db
@pytest.mark.parametrize("value", BAD)
def test_following_up_with_a_bad_next_goes_to_the_introduction(client, world, value):
    introduction = services.introduction_request(
        match=world.match, user=world.sme_member, message="May we test?"
    )
    client.force_login(world.staff)
    url = reverse("matchmaking:introduction_nudge", args=[introduction.pk])
    response = client.post(url, {"next": value})
    assert response.status_code == 302
    assert response["Location"] == introduction.get_absolute_url()
    assert Notification.objects.filter(kind="introduction_nudge").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "https://evil.example/"])
def test_a_notification_with_a_bad_address_opens_the_inbox(client, owner, value):
    notification = Notification.objects.create(user=owner, kind="test", title="Hi", url=value)
    client.force_login(owner)
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notification_inbox")
