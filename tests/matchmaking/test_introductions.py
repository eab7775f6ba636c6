"""Introductions: asking, answering, following up; who may do what; the life cycle."""

import pytest
from django.urls import reverse

from matchmaking.introductions import contacts, services
from matchmaking.introductions.transitions import (
    TRANSITIONS,
    Action,
    IntroductionError,
    Status,
    is_allowed,
)
from matchmaking.models import Match
from matchmaking.models_introductions import Feedback, Introduction
from network.models import Notification
from tests.conftest import person_with_login
from tests.matchmaking.introduction_data import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def world(db):
    return make_world()


def ask(world, user=None, message="We would like to test our night-time fall sensor."):
    return services.introduction_request(
        match=world.match, user=user or world.sme_member, message=message
    )


# --- The life cycle -----------------------------------------------------------------------------
ALLOWED = {
    (Status.REQUESTED, Action.ACCEPT),
    (Status.REQUESTED, Action.DECLINE),
    (Status.REQUESTED, Action.EXPIRE),
    (Status.ACCEPTED, Action.MEET),
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(Action))
def test_every_transition_is_allowed_or_forbidden_as_designed(status, action):
    assert is_allowed(status, action) == ((status, action) in ALLOWED)
    assert set(TRANSITIONS) == set(Action)


def _run(action, introduction, world):
    if action == Action.ACCEPT:
        return services.introduction_accept(introduction=introduction, user=world.muni_user)
    if action == Action.DECLINE:
        return services.introduction_decline(
            introduction=introduction, user=world.muni_user, reason="No capacity this year."
        )
    if action == Action.EXPIRE:
        return services.introduction_expire(introduction=introduction)
    return services.introduction_mark_met(introduction=introduction, user=world.sme_member)


def _in_status(world, status):
    introduction = ask(world)
    if status in (Status.ACCEPTED, Status.MET):
        services.introduction_accept(introduction=introduction, user=world.muni_user)
    if status == Status.MET:
        services.introduction_mark_met(introduction=introduction, user=world.sme_member)
    if status == Status.DECLINED:
        services.introduction_decline(
            introduction=introduction, user=world.muni_user, reason="Not now."
        )
    if status == Status.EXPIRED:
        services.introduction_expire(introduction=introduction)
    introduction.refresh_from_db()
    assert introduction.status == status
    return introduction


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(Action))
def test_services_enforce_the_life_cycle(world, status, action):
    introduction = _in_status(world, status)
    if (status, action) in ALLOWED:
        result = _run(action, introduction, world)
        assert result.status == TRANSITIONS[action].target
        introduction.refresh_from_db()
        assert introduction.status == TRANSITIONS[action].target
    else:
        with pytest.raises(IntroductionError):
            _run(action, introduction, world)
        introduction.refresh_from_db()
        assert introduction.status == status  # nothing changed


def test_the_match_follows_its_introduction_and_history_is_kept(world):
    introduction = ask(world)
    assert Match.objects.get(pk=world.match.pk).status == "requested"
    services.introduction_accept(introduction=introduction, user=world.muni_user)
    assert Match.objects.get(pk=world.match.pk).status == "accepted"
    services.introduction_mark_met(introduction=introduction, user=world.sme_member)
    assert Match.objects.get(pk=world.match.pk).status == "introduced"
    statuses = list(introduction.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["requested", "accepted", "met"]


def test_one_open_introduction_per_match_but_ask_again_after_a_decline(world):
    first = ask(world)
    with pytest.raises(IntroductionError):
        ask(world)
    services.introduction_decline(introduction=first, user=world.muni_user, reason="Full.")
    second = ask(world, message="We have a new version; may we try again?")
    assert second.pk != first.pk
    assert Introduction.objects.filter(match=world.match).count() == 2


def test_declining_needs_a_reason(world):
    introduction = ask(world)
    with pytest.raises(IntroductionError):
        services.introduction_decline(introduction=introduction, user=world.muni_user, reason=" ")


# --- Asking -------------------------------------------------------------------------------------
def request_url(world):
    return reverse("matchmaking:introduction_request", args=[world.match.pk])


def test_asking_needs_a_login(client, world):
    response = client.get(request_url(world))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_outsiders_do_not_find_the_match(client, world, outsider):
    client.force_login(outsider)
    assert client.get(request_url(world)).status_code == 404
    assert client.post(request_url(world), {"message": "Hi"}).status_code == 404
    assert not Introduction.objects.exists()


def test_staff_of_another_cluster_do_not_find_the_match(client, world):
    client.force_login(world.other_staff)
    assert client.get(request_url(world)).status_code == 404


def test_the_target_side_may_see_the_match_but_not_ask_for_the_company(client, world):
    client.force_login(world.muni_user)
    assert client.get(request_url(world)).status_code == 403
    assert client.post(request_url(world), {"message": "Hi"}).status_code == 403


def test_asking_accepts_only_get_and_post(client, world):
    client.force_login(world.sme_member)
    assert client.put(request_url(world)).status_code == 405


def test_an_sme_member_asks_and_the_municipality_is_told(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.sme_member)
    page = client.get(request_url(world))
    assert page.status_code == 200
    assert "Plejecenter Ærtebjerghave" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(world), {"message": "We would like to test."})
    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == introduction.get_absolute_url()
    assert introduction.status == "requested"
    assert introduction.requested_by == world.sme_member
    assert introduction.target_organisation == world.municipality
    assert not introduction.on_behalf
    inbox = Notification.objects.get(user=world.muni_user)
    assert inbox.kind == "introduction_requested"
    assert "Faldvagt ApS" in inbox.title
    assert [m.to for m in mailoutbox] == [["mette@odense.example"]]
    assert "We would like to test." in mailoutbox[0].body


def test_an_empty_message_is_refused_and_nothing_is_sent(client, world):
    client.force_login(world.sme_member)
    response = client.post(request_url(world), {"message": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Introduction.objects.exists()


def test_asking_twice_shows_the_existing_introduction(client, world):
    introduction = ask(world)
    client.force_login(world.sme_admin)
    response = client.get(request_url(world))
    assert response.status_code == 302
    assert response["Location"] == introduction.get_absolute_url()
    again = client.post(request_url(world), {"message": "Hello again"})
    assert again.status_code == 200
    assert "already been requested" in again.content.decode()
    assert "Hello again" in again.content.decode()  # what they wrote is kept


def test_cluster_staff_ask_on_the_companys_behalf(client, world):
    client.force_login(world.staff)
    response = client.post(request_url(world), {"message": "On behalf of Faldvagt."})
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert introduction.on_behalf
    told = set(Notification.objects.values_list("user__email", "kind"))
    assert ("mette@odense.example", "introduction_requested") in told
    assert ("anna@faldvagt.example", "introduction_requested_on_behalf") in told


# --- Answering ----------------------------------------------------------------------------------
def test_answering_needs_a_login(client, world):
    introduction = ask(world)
    url = reverse("matchmaking:introduction_accept", args=[introduction.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_outsiders_cannot_see_or_answer(client, world, outsider):
    introduction = ask(world)
    client.force_login(outsider)
    for name in ("introduction_detail", "introduction_accept", "introduction_decline"):
        url = reverse(f"matchmaking:{name}", args=[introduction.pk])
        response = client.get(url) if name == "introduction_detail" else client.post(url)
        assert response.status_code == 404, name
    introduction.refresh_from_db()
    assert introduction.status == "requested"


@pytest.mark.parametrize("who", ["sme_admin", "staff"])
def test_only_the_asked_organisation_answers(client, world, who):
    introduction = ask(world)
    client.force_login(getattr(world, who))
    assert client.get(introduction.get_absolute_url()).status_code == 200
    url = reverse("matchmaking:introduction_accept", args=[introduction.pk])
    assert client.post(url).status_code == 403
    introduction.refresh_from_db()
    assert introduction.status == "requested"


def test_answers_are_posted(client, world):
    introduction = ask(world)
    client.force_login(world.muni_user)
    url = reverse("matchmaking:introduction_accept", args=[introduction.pk])
    assert client.get(url).status_code == 405


def test_the_municipality_accepts_and_the_company_is_told(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    introduction = ask(world)
    client.force_login(world.muni_user)
    page = client.get(introduction.get_absolute_url()).content.decode()
    assert "Accept" in page
    assert "Decline" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matchmaking:introduction_accept", args=[introduction.pk]))
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    assert introduction.responded_by == world.muni_user
    told = {m.to[0] for m in mailoutbox}
    assert {"anna@faldvagt.example", "bo@faldvagt.example"} <= told
    accepted = next(m for m in mailoutbox if m.to == ["bo@faldvagt.example"])
    assert "mette.private@odense.example" in accepted.body  # now they may reach each other


def test_declining_without_a_reason_keeps_the_request_open(client, world):
    introduction = ask(world)
    client.force_login(world.muni_user)
    url = reverse("matchmaking:introduction_decline", args=[introduction.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    introduction.refresh_from_db()
    assert introduction.status == "requested"


def test_declining_with_a_reason_tells_the_company_why(client, world):
    introduction = ask(world)
    client.force_login(world.muni_user)
    url = reverse("matchmaking:introduction_decline", args=[introduction.pk])
    response = client.post(url, {"reason": "No night staff to run a test this year."})
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == "declined"
    told = Notification.objects.get(user=world.sme_member, kind="introduction_declined")
    assert "No night staff" in told.body
    client.force_login(world.sme_member)
    page = client.get(introduction.get_absolute_url()).content.decode()
    assert "No night staff to run a test this year." in page


@pytest.mark.parametrize("colleagues", [0, 4])
def test_an_accept_reads_the_contact_people_once_not_once_per_recipient(
    world, colleagues, monkeypatch
):
    for n in range(colleagues):
        person_with_login(world.sme, "member", f"colleague{n}@faldvagt.example")
    introduction = ask(world)
    read = []
    real = contacts.contact_people
    monkeypatch.setattr(services, "contact_people", lambda i: read.append(i) or real(i))
    services.introduction_accept(introduction=introduction, user=world.muni_user)
    # For the message to the company's people, however many they are (the municipality has
    # nobody else to tell).
    assert len(read) == 1


def test_accepting_twice_is_refused_with_a_message(client, world):
    introduction = ask(world)
    services.introduction_accept(introduction=introduction, user=world.muni_user)
    client.force_login(world.muni_user)
    url = reverse("matchmaking:introduction_accept", args=[introduction.pk])
    response = client.post(url, follow=True)
    assert "cannot be changed this way" in response.content.decode()


# --- After the introduction ---------------------------------------------------------------------
def test_we_met_with_meeting_feedback(client, world):
    introduction = ask(world)
    met_url = reverse("matchmaking:introduction_met", args=[introduction.pk])
    client.force_login(world.sme_member)
    early = client.post(met_url, {"outcome": "promising"}, follow=True)
    assert "cannot be changed this way" in early.content.decode()
    services.introduction_accept(introduction=introduction, user=world.muni_user)
    assert client.get(met_url).status_code == 405
    response = client.post(met_url, {"outcome": "promising", "comment": "Pilot in March."})
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == "met"
    feedback = Feedback.objects.get(kind="meeting")
    assert (feedback.outcome, feedback.reason, feedback.organisation) == (
        "promising",
        "Pilot in March.",
        world.sme,
    )


def test_staff_may_follow_but_not_report_a_meeting(client, world):
    introduction = ask(world)
    services.introduction_accept(introduction=introduction, user=world.muni_user)
    client.force_login(world.staff)
    response = client.post(reverse("matchmaking:introduction_met", args=[introduction.pk]))
    assert response.status_code == 403


def test_staff_nudge_once_a_day(client, world):
    introduction = ask(world)
    url = reverse("matchmaking:introduction_nudge", args=[introduction.pk])
    client.force_login(world.sme_member)
    assert client.post(url).status_code == 403
    client.force_login(world.other_staff)
    assert client.post(url).status_code == 404
    client.force_login(world.staff)
    assert client.get(url).status_code == 405
    first = client.post(url, follow=True)
    assert "Follow-up sent to 1 people." in first.content.decode()
    assert Notification.objects.filter(user=world.muni_user, kind="introduction_nudge").count()
    second = client.post(url, follow=True)
    assert "already" in second.content.decode()
    assert Notification.objects.filter(kind="introduction_nudge").count() == 1


# --- Rating matches -----------------------------------------------------------------------------
def test_rating_a_match(client, world, outsider):
    url = reverse("matchmaking:match_feedback", args=[world.match.pk])
    data = {"kind": "not_relevant", "reason": "We do not work with nursing homes."}
    assert client.post(url, data).status_code == 302  # to the login
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(world.staff)
    assert client.post(url, data).status_code == 403
    client.force_login(world.sme_member)
    assert client.get(url).status_code == 405
    refused = client.post(url, {"kind": "not_relevant", "reason": ""})
    assert refused.status_code == 200
    assert "Please tell us why it is not relevant." in refused.content.decode()
    assert not Feedback.objects.exists()
    assert client.post(url, data).status_code == 302
    client.post(url, {"kind": "useful", "reason": ""})
    rating = Feedback.objects.get()  # rating again replaces the rating
    assert (rating.kind, rating.organisation) == ("useful", world.sme)


# --- Lists ----------------------------------------------------------------------------------
def test_the_list_shows_requests_both_ways_and_nothing_of_others(client, world, outsider):
    ask(world)
    url = reverse("matchmaking:introduction_list")
    assert client.get(url).status_code == 302
    client.force_login(world.muni_user)
    page = client.get(url).content.decode()
    assert "Faldvagt ApS" in page
    client.force_login(outsider)
    assert "Faldvagt ApS" not in client.get(url).content.decode()
    client.force_login(world.sme_member)
    assert client.post(url).status_code == 405


def _many(world, n):
    from tests.factories import TestSiteFactory
    from tests.matchmaking.factories import MatchFactory

    for i in range(n):
        site = TestSiteFactory(owner=world.municipality, name=f"Site {i}")
        match = MatchFactory(
            source=world.sme, need=None, test_site=site, target_type="test_site", target_id=site.pk
        )
        services.introduction_request(match=match, user=world.sme_member, message=f"Hi {i}")


@pytest.mark.parametrize("n", [1, 30])
def test_the_list_takes_the_same_queries_for_short_and_long_lists(
    client, world, n, django_assert_max_num_queries
):
    _many(world, n)
    client.force_login(world.muni_user)
    client.get(reverse("matchmaking:introduction_list"))  # warm the session
    with django_assert_max_num_queries(11):
        response = client.get(reverse("matchmaking:introduction_list"))
    assert response.status_code == 200


def test_the_staff_view_by_status_with_age(client, world, outsider):
    introduction = ask(world)
    url = reverse("matchmaking:cluster_introductions", args=[world.cluster.slug])
    client.force_login(world.staff)
    listing = client.get(reverse("matchmaking:introduction_list")).content.decode()
    assert url in listing
    assert reverse("matchmaking:cluster_introductions", args=["other-cluster"]) not in listing
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.other_staff)
    assert client.get(url).status_code == 404
    client.force_login(world.staff)
    assert client.post(url).status_code == 405
    page = client.get(url).content.decode()
    assert "Faldvagt ApS" in page
    assert "Odense Kommune" in page
    assert "Anmodet (1)" in page  # the status facet with its count, in Danish
    assert introduction.get_absolute_url() in page
    filtered = client.get(url, {"status": "declined"}).content.decode()
    assert introduction.get_absolute_url() not in filtered
    client.force_login(world.other_staff)
    other = reverse("matchmaking:cluster_introductions", args=["other-cluster"])
    assert "Faldvagt ApS" not in client.get(other).content.decode()


@pytest.mark.parametrize("n", [1, 30])
def test_the_staff_view_takes_the_same_queries_for_short_and_long_lists(
    client, world, n, django_assert_max_num_queries
):
    _many(world, n)
    client.force_login(world.staff)
    url = reverse("matchmaking:cluster_introductions", args=[world.cluster.slug])
    client.get(url)
    with django_assert_max_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200


def test_after_an_accept_a_nudge_asks_both_sides_whether_they_met(world):
    introduction = ask(world)
    services.introduction_accept(introduction=introduction, user=world.muni_user)
    introduction.refresh_from_db()
    assert services.introduction_nudge(introduction=introduction, user=world.staff) == 3
    nudged = set(
        Notification.objects.filter(kind="introduction_nudge").values_list("user__email", flat=True)
    )
    assert nudged == {"anna@faldvagt.example", "bo@faldvagt.example", "mette@odense.example"}
    assert "Have Faldvagt ApS and Odense Kommune met yet?" in Notification.objects.filter(
        kind="introduction_nudge"
    ).values_list("title", flat=True)


@pytest.mark.parametrize(
    ("name", "method", "kind"),
    [
        ("introduction_list", "get", None),
        ("introduction_request", "get", "match"),
        ("match_feedback", "post", "match"),
        ("cluster_introductions", "get", "cluster"),
        ("introduction_detail", "get", "introduction"),
        ("introduction_accept", "post", "introduction"),
        ("introduction_decline", "post", "introduction"),
        ("introduction_met", "post", "introduction"),
        ("introduction_nudge", "post", "introduction"),
    ],
)
def test_every_introduction_page_sends_anonymous_visitors_to_sign_in(
    client, world, name, method, kind
):
    introduction = ask(world)
    args = {
        None: [],
        "match": [world.match.pk],
        "cluster": [world.cluster.slug],
        "introduction": [introduction.pk],
    }[kind]
    response = getattr(client, method)(reverse(f"matchmaking:{name}", args=args))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    introduction.refresh_from_db()
    assert introduction.status == "requested"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("introduction_list", None),
        ("cluster_introductions", "cluster"),
        ("introduction_detail", "introduction"),
    ],
)
def test_pages_that_only_show_refuse_other_methods(client, world, name, kind):
    introduction = ask(world)
    args = {None: [], "cluster": [world.cluster.slug], "introduction": [introduction.pk]}[kind]
    client.force_login(world.staff)
    assert client.post(reverse(f"matchmaking:{name}", args=args)).status_code == 405
