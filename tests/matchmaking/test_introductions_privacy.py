"""No contact detail leaks before both sides agree: pages, inbox, emails, exports. Emails and
notifications in each recipient's language."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from matchmaking.introductions import services
from network.models import Affiliation, Notification
from tests.matchmaking.introduction_data import MUNI_SECRETS, SME_SECRETS, make_world

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


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
    # Both sides name a primary contact, so each side's card is on the page from the start.
    Affiliation.objects.filter(person__user__in=[world.sme_admin, world.muni_user]).update(
        is_primary_contact=True
    )
    return world


def _ask(world):
    return services.introduction_request(
        match=world.match, user=world.sme_member, message="May we test our fall sensor?"
    )


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _export(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("personal_data_download")).content.decode()


def _everything_user_sees(client, user, introduction) -> str:
    """Every page, inbox entry and export the person can reach about the introduction."""
    parts = [
        _page(client, user, introduction.get_absolute_url()),
        _page(client, user, reverse("matchmaking:introduction_list")),
        _page(client, user, reverse("notification_inbox")),
        _export(client, user),
        *Notification.objects.filter(user=user).values_list("body", flat=True),
    ]
    return "\n".join(parts)


def _absent(text: str, secrets) -> None:
    for secret in secrets:
        assert secret not in text, secret


def test_before_both_agree_no_side_sees_the_others_details(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        introduction = _ask(world)
    muni_view = _everything_user_sees(client, world.muni_user, introduction)
    assert "Faldvagt ApS" in muni_view
    assert world.sme_admin.person.full_name in muni_view  # named, without details
    _absent(muni_view, SME_SECRETS)
    sme_view = _everything_user_sees(client, world.sme_member, introduction)
    assert world.muni_user.person.full_name in sme_view
    _absent(sme_view, MUNI_SECRETS)
    staff_view = _page(client, world.staff, introduction.get_absolute_url()) + _page(
        client,
        world.staff,
        reverse("matchmaking:cluster_introductions", args=[world.cluster.slug]),
    )
    _absent(staff_view, SME_SECRETS + MUNI_SECRETS)
    emails = "\n".join(m.subject + m.body + str(m.extra_headers) for m in mailoutbox)
    assert mailoutbox
    _absent(emails, SME_SECRETS + MUNI_SECRETS)


@pytest.mark.parametrize("outcome", ["declined", "expired"])
def test_a_declined_or_expired_request_shares_nothing(client, world, outcome):
    introduction = _ask(world)
    if outcome == "declined":
        services.introduction_decline(introduction=introduction, user=world.muni_user, reason="No")
    else:
        services.introduction_expire(introduction=introduction)
    _absent(_everything_user_sees(client, world.muni_user, introduction), SME_SECRETS)
    _absent(_everything_user_sees(client, world.sme_member, introduction), MUNI_SECRETS)


def test_once_both_agree_both_see_each_others_contact_people(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    introduction = _ask(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_accept(introduction=introduction, user=world.muni_user)
    sme_page = _page(client, world.sme_member, introduction.get_absolute_url())
    for secret in MUNI_SECRETS:
        assert secret in sme_page
    muni_page = _page(client, world.muni_user, introduction.get_absolute_url())
    for secret in ("anna.private@faldvagt.example", "bo.private@faldvagt.example"):
        assert secret in muni_page
    to_sme = [m for m in mailoutbox if m.to == ["anna@faldvagt.example"]]
    assert "mette.private@odense.example" in to_sme[0].body


def test_a_person_who_made_their_details_public_is_reachable_from_the_start(client, world):
    person = world.muni_user.person
    person.contact_public = True
    person.save()
    introduction = _ask(world)
    sme_page = _page(client, world.sme_member, introduction.get_absolute_url())
    assert "mette.private@odense.example" in sme_page
    # ... and that does not open anyone else's details.
    _absent(_page(client, world.muni_user, introduction.get_absolute_url()), SME_SECRETS)


def test_the_export_holds_my_introductions_without_the_other_sides_details(client, world):
    introduction = _ask(world)
    services.introduction_decline(
        introduction=introduction, user=world.muni_user, reason="Busy this spring."
    )
    client.force_login(world.sme_member)
    data = json.loads(client.get(reverse("personal_data_download")).content)
    [mine] = data["introductions"]["introductions"]
    assert mine["my_message"] == "May we test our fall sensor?"
    assert mine["asked_organisation"] == "Odense Kommune"
    assert data["notifications"]["inbox"][0]["kind"] == "introduction_declined"
    client.force_login(world.muni_user)
    data = json.loads(client.get(reverse("personal_data_download")).content)
    [theirs] = data["introductions"]["introductions"]
    assert theirs["my_reason"] == "Busy this spring."
    assert theirs["my_message"] is None  # someone else's words are not theirs to download


def test_erasing_an_account_removes_their_words_also_from_the_history(client, world):
    introduction = _ask(world)
    client.force_login(world.sme_member)
    response = client.post(
        reverse("account_delete"), {"password": "correct-horse-battery", "confirm": "on"}
    )
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.message == ""
    assert introduction.requested_by is None
    assert introduction.status == "requested"  # the organisations' record stays
    assert not introduction.history.filter(message__contains="fall sensor").exists()
    assert not Notification.objects.filter(user=world.sme_member).exists()


# --- Languages ------------------------------------------------------------------------------
EXPECTED_DATES = {"da": "15. maj 2026", "nb": "15. mai 2026", "en": "15 May 2026"}


@pytest.mark.parametrize("language", ["da", "nb", "en"])
def test_emails_and_notifications_are_in_the_recipients_language(
    world, language, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.INTRODUCTION_EXPIRY_DAYS = 14
    world.muni_user.language = language
    world.muni_user.save()
    with (
        time_machine.travel(datetime(2026, 5, 1, 10, 0, tzinfo=CPH), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _ask(world)
    [email] = mailoutbox
    assert EXPECTED_DATES[language] in email.body  # dates and words of their language
    for other, text in EXPECTED_DATES.items():
        if other != language:
            assert text not in email.body
    assert "Faldvagt ApS" in email.subject
    notification = Notification.objects.get(user=world.muni_user)
    assert notification.title == email.subject
    assert EXPECTED_DATES[language] in notification.body
