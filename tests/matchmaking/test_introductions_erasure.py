"""Erasure x introduction state: after either party deletes their account, every action on the
introduction still works or is refused with a message; nothing answers with a server error.

The company side's person who asked, or the asked side's person who answered (or would have),
erases their account; the people who remain (a colleague on each side, the cluster staff) act.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.introductions import services
from matchmaking.models_introductions import Feedback, Introduction
from network.gdpr import account_erase
from tests.conftest import person_with_login
from tests.matchmaking.introduction_data import make_world

pytestmark = pytest.mark.django_db

STATES = ["requested", "accepted", "declined", "expired", "met"]
ERASED = ["requester", "responder"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def world(db):
    world = make_world()
    # A colleague on the asked side, who answers once the first one has gone.
    world.muni_colleague = person_with_login(world.municipality, "member", "lars@odense.example")
    return world


def _in_state(world, state) -> Introduction:
    introduction = services.introduction_request(
        match=world.match, user=world.sme_member, message="May we test our night sensor?"
    )
    if state in ("accepted", "met"):
        services.introduction_accept(introduction=introduction, user=world.muni_user)
    if state == "met":
        services.introduction_mark_met(
            introduction=introduction, user=world.sme_member, outcome="promising", comment="Good."
        )
    if state == "declined":
        services.introduction_decline(
            introduction=introduction, user=world.muni_user, reason="No staff this year."
        )
    if state == "expired":
        services.introduction_expire(introduction=introduction)
    introduction.refresh_from_db()
    assert introduction.status == state
    return introduction


def _erase(world, erased) -> None:
    account_erase(user=world.sme_member if erased == "requester" else world.muni_user)


def _url(name, introduction):
    return reverse(f"matchmaking:{name}", args=[introduction.pk])


def _refused_or_done(response, client) -> str:
    """The action redirected (done, or refused with a message shown on the next page)."""
    assert response.status_code == 302, response.status_code
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize("erased", ERASED)
@pytest.mark.parametrize("state", STATES)
def test_both_sides_still_see_the_introduction(client, world, state, erased):
    introduction = _in_state(world, state)
    _erase(world, erased)
    for user in (world.sme_admin, world.muni_colleague, world.staff):
        client.force_login(user)
        assert client.get(introduction.get_absolute_url()).status_code == 200
        assert client.get(reverse("matchmaking:introduction_list")).status_code == 200
    client.force_login(world.staff)
    cluster_page = reverse("matchmaking:cluster_introductions", args=[world.cluster.slug])
    assert client.get(cluster_page).status_code == 200


@pytest.mark.parametrize("erased", ERASED)
@pytest.mark.parametrize("state", STATES)
def test_accept(client, world, state, erased):
    introduction = _in_state(world, state)
    _erase(world, erased)
    client.force_login(world.muni_colleague)
    page = _refused_or_done(client.post(_url("introduction_accept", introduction)), client)
    introduction.refresh_from_db()
    if state == "requested":
        assert introduction.status == "accepted"
        assert introduction.responded_by == world.muni_colleague
        assert introduction.message == ("" if erased == "requester" else introduction.message)
    else:
        assert introduction.status == state
        assert "cannot be changed this way" in page


@pytest.mark.parametrize("erased", ERASED)
@pytest.mark.parametrize("state", STATES)
def test_decline(client, world, state, erased):
    introduction = _in_state(world, state)
    _erase(world, erased)
    client.force_login(world.muni_colleague)
    response = client.post(_url("introduction_decline", introduction), {"reason": "Full."})
    page = _refused_or_done(response, client)
    introduction.refresh_from_db()
    if state == "requested":
        assert (introduction.status, introduction.decline_reason) == ("declined", "Full.")
    else:
        assert introduction.status == state
        assert "cannot be changed this way" in page


@pytest.mark.parametrize("erased", ERASED)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("side", ["sme_admin", "muni_colleague"])
def test_we_have_met(client, world, state, erased, side):
    introduction = _in_state(world, state)
    _erase(world, erased)
    client.force_login(getattr(world, side))
    response = client.post(_url("introduction_met", introduction), {"outcome": "maybe"})
    page = _refused_or_done(response, client)
    introduction.refresh_from_db()
    if state == "accepted":
        assert introduction.status == "met"
        assert Feedback.objects.filter(introduction=introduction, kind="meeting").exists()
    else:
        assert introduction.status == state
        assert "cannot be changed this way" in page


@pytest.mark.parametrize("erased", ERASED)
@pytest.mark.parametrize("state", STATES)
def test_staff_follow_up(client, world, state, erased):
    introduction = _in_state(world, state)
    _erase(world, erased)
    client.force_login(world.staff)
    page = _refused_or_done(client.post(_url("introduction_nudge", introduction)), client)
    if state in ("requested", "accepted"):
        assert "Follow-up sent to" in page
    else:
        assert "nothing to follow up" in page


@pytest.mark.parametrize("erased", ERASED)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("side", ["sme_admin", "muni_colleague"])
def test_rate_the_match(client, world, state, erased, side):
    _in_state(world, state)
    _erase(world, erased)
    client.force_login(getattr(world, side))
    url = reverse("matchmaking:match_feedback", args=[world.match.pk])
    response = client.post(url, {"kind": "useful", "reason": ""})
    _refused_or_done(response, client)
    assert Feedback.objects.filter(kind="useful", user=getattr(world, side)).count() == 1


@pytest.mark.parametrize("erased", ERASED)
def test_a_waiting_request_of_an_erased_party_is_reminded_and_expires(world, erased):
    introduction = _in_state(world, "requested")
    _erase(world, erased)
    now = introduction.expires_at - timedelta(days=1)
    assert services.introductions_expire_and_remind(now=now) == {"expired": 0, "reminded": 1}
    later = introduction.expires_at + timedelta(minutes=1)
    assert services.introductions_expire_and_remind(now=later) == {"expired": 1, "reminded": 0}
    introduction.refresh_from_db()
    assert introduction.status == "expired"
    assert introduction.message == ("" if erased == "requester" else introduction.message)


def test_a_request_whose_every_person_on_the_asked_side_left_still_expires(world):
    introduction = _in_state(world, "requested")
    for user in (world.muni_user, world.muni_colleague, world.sme_member):
        account_erase(user=user)
    result = services.introductions_expire_and_remind(now=timezone.now() + timedelta(days=30))
    assert result["expired"] == 1
    introduction.refresh_from_db()
    assert introduction.status == "expired"
