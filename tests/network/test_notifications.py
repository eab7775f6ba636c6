"""The inbox, email preferences, one-click unsubscribe, and emails that survive a failing
mail server."""

import json
from smtplib import SMTPException

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from network import notifications
from network.models import Notification, NotificationPreference
from network.notifications_tasks import MAIL_ERRORS, deliver_notification_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "emails/matchmaking/introduction_expired.txt"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class _Intro:
    """Just enough of an introduction for a template."""

    class target_organisation:  # noqa: N801
        name = "Odense Kommune"

    status = "expired"


def send(user, **fields):
    context = {
        "introduction": _Intro,
        "answerer": _Intro.target_organisation,  # the side that did not answer
        "target_name": "Plejecenter",
        "url": "http://x/",
    }
    return notifications.notification_send(
        user=user,
        kind=fields.pop("kind", "introduction_expired"),
        template=TEMPLATE,
        context=context,
        url=fields.pop("url", "/matches/introductions/"),
    )


@pytest.fixture
def anna(db):
    return UserFactory(email="anna@faldvagt.example", first_name="Anna", language="en")


@pytest.fixture
def bo(db):
    return UserFactory(email="bo@faldvagt.example", first_name="Bo", language="en")


# --- Inbox ----------------------------------------------------------------------------------
def test_the_inbox_needs_a_login(client, anna):
    note = send(anna)
    for method, url in (
        ("get", reverse("notification_inbox")),
        ("get", reverse("notification_preferences")),
        ("post", reverse("notifications_mark_read")),
        ("post", reverse("notification_open", args=[note.pk])),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    note.refresh_from_db()
    assert note.read_at is None


def test_the_inbox_is_only_shown(client, anna):
    client.force_login(anna)
    assert client.post(reverse("notification_inbox")).status_code == 405


def test_the_inbox_shows_my_notifications_only_and_the_header_counts_unread(client, anna, bo):
    send(anna)
    send(anna)
    send(bo)
    client.force_login(anna)
    page = client.get(reverse("notification_inbox")).content.decode()
    assert page.count("Your introduction to Odense Kommune expired") == 2
    assert "2 unread" in page
    client.force_login(bo)
    page = client.get(reverse("notification_inbox")).content.decode()
    assert page.count("Your introduction to Odense Kommune expired") == 1
    assert "1 unread" in page


def test_marking_read_is_posted_and_clears_the_count(client, anna):
    send(anna)
    client.force_login(anna)
    assert client.get(reverse("notifications_mark_read")).status_code == 405
    response = client.post(reverse("notifications_mark_read"), follow=True)
    assert "unread" not in response.content.decode()
    assert not Notification.objects.unread().exists()


def test_opening_marks_read_and_follows_the_link_but_only_my_own(client, anna, bo):
    mine = send(anna)
    theirs = send(bo)
    client.force_login(anna)
    assert client.get(reverse("notification_open", args=[mine.pk])).status_code == 405
    assert client.post(reverse("notification_open", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("notification_open", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/matches/introductions/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_a_notification_never_links_off_site(client, anna, url):
    note = send(anna, url=url)
    client.force_login(anna)
    response = client.post(reverse("notification_open", args=[note.pk]))
    assert response["Location"] == reverse("notification_inbox")


@pytest.mark.parametrize("n", [1, 40])
def test_the_inbox_takes_the_same_queries_for_short_and_long_lists(
    client, anna, n, django_assert_max_num_queries
):
    for _ in range(n):
        send(anna)
    client.force_login(anna)
    client.get(reverse("notification_inbox"))
    with django_assert_max_num_queries(7):
        assert client.get(reverse("notification_inbox")).status_code == 200


# --- Preferences and emails -------------------------------------------------------------------
def test_preferences_are_saved_and_bad_input_is_refused(client, anna):
    client.force_login(anna)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "A weekly digest" in page
    assert "A daily digest" in page
    choices = {
        "membership": "immediately",
        "introductions": "weekly",
        "matches": "daily",
        "reviews": "never",
        "digests": "weekly",
    }
    refused = client.post(reverse("notification_preferences"), {**choices, "matches": "hourly"})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert notifications.frequency_of(anna, "matches") == "immediately"
    assert client.put(reverse("notification_preferences")).status_code == 405
    response = client.post(reverse("notification_preferences"), choices)
    assert response.status_code == 302
    assert notifications.frequencies_of(anna) == choices


def test_the_privacy_page_links_to_the_preferences(client, anna):
    client.force_login(anna)
    page = client.get(reverse("privacy_settings")).content.decode()
    assert reverse("notification_preferences") in page


@pytest.mark.parametrize(("frequency", "emails"), [("immediately", 1), ("weekly", 0), ("never", 0)])
def test_emails_follow_the_persons_choice_and_the_inbox_always_has_it(
    anna, frequency, emails, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=anna, frequency=frequency)
    with django_capture_on_commit_callbacks(execute=True):
        send(anna)
    assert len(mailoutbox) == emails
    assert Notification.objects.filter(user=anna).count() == 1


def test_an_email_carries_a_one_click_unsubscribe(
    anna, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = send(anna)
    [email] = mailoutbox
    # It stops this kind of email (an expired introduction); the preference centre has the rest.
    url = notifications.site_url(notifications.unsubscribe_url(anna, "introductions"))
    assert email.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in email.body
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_a_failing_mail_server_is_retried_and_the_email_sent_once(
    anna, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    note = send(anna)
    assert set(MAIL_ERRORS) <= set(deliver_notification_email.autoretry_for)
    from django.core.mail import EmailMessage

    original = EmailMessage.send
    monkeypatch.setattr(
        EmailMessage, "send", lambda self, *a, **k: (_ for _ in ()).throw(SMTPException("down"))
    )
    with pytest.raises(SMTPException):
        notifications.notification_email_deliver(notification_id=note.pk)
    note.refresh_from_db()
    assert note.emailed_at is None  # so the retry sends it
    monkeypatch.setattr(EmailMessage, "send", original)
    assert notifications.notification_email_deliver(notification_id=note.pk)
    assert not notifications.notification_email_deliver(notification_id=note.pk)  # not twice
    assert len(mailoutbox) == 1


# --- Unsubscribe ----------------------------------------------------------------------------
def test_the_unsubscribe_link_asks_first_then_works_without_a_login(anna):
    browser = Client(enforce_csrf_checks=True)  # mail clients post without a CSRF token
    url = notifications.unsubscribe_url(anna)
    page = browser.get(url)
    assert page.status_code == 200
    assert "anna@faldvagt.example" in page.content.decode()
    assert notifications.frequency_of(anna) == "immediately"  # a GET (link scanner) changes nothing
    response = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert notifications.frequency_of(anna) == "never"


def test_an_unsubscribe_token_cannot_be_forged(client, anna):
    token = notifications.unsubscribe_token(anna)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        signing.dumps({"u": anna.pk, "e": anna.email}),  # signed, but not for this purpose
        signing.dumps({"u": anna.pk, "e": anna.email}, salt="other"),
        "not-a-token",
    ]
    for bad in forged:
        response = client.post(reverse("unsubscribe", args=[bad]))
        assert response.status_code == 404
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_an_unsubscribe_token_only_ever_changes_its_own_person(client, anna, bo):
    client.post(notifications.unsubscribe_url(anna))
    assert notifications.frequency_of(anna) == "never"
    assert notifications.frequency_of(bo) == "immediately"
    # Bo's id in Anna's token's place does not verify.
    payload = signing.loads(
        notifications.unsubscribe_token(anna), salt=notifications.UNSUBSCRIBE_SALT
    )
    assert payload["u"] == anna.pk
    tampered = notifications.unsubscribe_token(anna).replace(
        signing.b64_encode(json.dumps(payload, separators=(",", ":")).encode()).decode(),
        signing.b64_encode(
            json.dumps({**payload, "u": bo.pk}, separators=(",", ":")).encode()
        ).decode(),
    )
    assert tampered != notifications.unsubscribe_token(anna)
    assert client.post(reverse("unsubscribe", args=[tampered])).status_code == 404
    assert notifications.frequency_of(bo) == "immediately"


def test_a_link_dies_when_the_address_changes_or_the_account_is_erased(client, anna):
    token = notifications.unsubscribe_token(anna)
    anna.email = "anna@new.example"
    anna.save()
    assert client.post(reverse("unsubscribe", args=[token])).status_code == 404
    assert notifications.frequency_of(anna) == "immediately"


# --- Personal data --------------------------------------------------------------------------
def test_the_export_and_erasure_cover_notifications(client, anna):
    send(anna)
    notifications.preference_set(user=anna, frequency="weekly")
    client.force_login(anna)
    data = json.loads(client.get(reverse("personal_data_download")).content)
    assert data["notifications"]["preference"]["frequency"] == "weekly"
    assert data["notifications"]["inbox"][0]["title"].startswith("Your introduction to")
    client.post(reverse("account_delete"), {"password": "correct-horse-battery", "confirm": "on"})
    assert not Notification.objects.filter(user=anna).exists()
    assert not NotificationPreference.objects.filter(user=anna).exists()
