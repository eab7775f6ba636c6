"""The preference centre (issue 24): a frequency per kind of email, a one-click unsubscribe in
every email (RFC 8058 List-Unsubscribe and List-Unsubscribe-Post) that stops that kind, an
unsubscribe page that asks before it changes anything, and messages about one's own account
marked as required."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from network import deliveries, notifications
from network.models import Notification, NotificationDelivery
from network.models.notifications import NotificationCategory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# One notification kind of each category, and a template that renders without context.
KINDS = {
    "membership": "membership_lapsed",
    "introductions": "introduction_requested",
    "matches": "match_suggested",
    "reviews": "review_requested",
}
TEMPLATE = "emails/matchmaking/introduction_expired.txt"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def anna(db):
    return UserFactory(email="anna@faldvagt.example", first_name="Anna", language="en")


def send(user, kind, **extra):
    return notifications.notification_send(
        user=user,
        kind=kind,
        template=TEMPLATE,
        context={"target_name": "Plejecenter", "url": "http://x/"},
        url="/",
        **extra,
    )


def test_every_kind_has_a_place_in_the_preference_centre(client, anna):
    client.force_login(anna)
    page = client.get(reverse("notification_preferences")).content.decode()
    for category in NotificationCategory:
        assert escape(str(category.label)) in page
        assert f'name="{category.value}"' in page
    # Staff summaries are digests: daily, weekly or none, not one email per event.
    assert 'name="digests" value="immediately"' not in page
    assert "the law requires them" in page


@pytest.mark.parametrize("category", list(KINDS))
def test_turning_one_kind_off_stops_only_its_emails(
    anna, category, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=anna, frequencies={category: "never"})
    with django_capture_on_commit_callbacks(execute=True):
        for kind in KINDS.values():
            send(anna, kind)
    emailed = Notification.objects.filter(user=anna, emailed_at__isnull=False)
    assert set(emailed.values_list("kind", flat=True)) == set(KINDS.values()) - {KINDS[category]}
    assert len(mail.outbox) == len(KINDS) - 1
    assert Notification.objects.filter(user=anna).count() == len(KINDS)  # the inbox has all


@pytest.mark.parametrize("frequency", ["daily", "weekly"])
def test_digest_kinds_wait_for_the_digest_unless_the_deadline_comes_first(
    anna, frequency, django_capture_on_commit_callbacks
):
    notifications.preference_set(user=anna, frequencies={"introductions": frequency})
    period = deliveries.PERIOD_DAYS[frequency]
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        send(anna, "introduction_requested")
        send(anna, "introduction_requested", deadline=now + timedelta(days=period + 1))
        assert mail.outbox == []
        send(anna, "introduction_reminder", deadline=now + timedelta(days=period, hours=-1))
        send(anna, "introduction_reminder", deadline=(now + timedelta(days=period - 1)).date())
    assert len(mail.outbox) == 2


def test_never_means_never_even_with_a_deadline(anna, django_capture_on_commit_callbacks):
    notifications.preference_set(user=anna, frequencies={"introductions": "never"})
    with django_capture_on_commit_callbacks(execute=True):
        send(anna, "introduction_reminder", deadline=timezone.now() + timedelta(hours=1))
    assert mail.outbox == []


def test_the_list_unsubscribe_headers_stop_that_kind_in_one_post_without_a_session(
    anna, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(anna, "review_requested")
    [email] = mail.outbox
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in email.body
    path = url.removeprefix(notifications.site_url(""))
    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert notifications.frequencies_of(anna) == {
        "membership": "immediately",
        "introductions": "immediately",
        "matches": "immediately",
        "reviews": "never",
        "digests": "weekly",
    }


def test_the_unsubscribe_page_asks_and_only_the_post_changes_the_choice(anna):
    browser = Client()
    url = notifications.unsubscribe_url(anna, "matches")
    page = browser.get(url).content.decode()
    assert 'Do you want to stop emails about "New matches" to anna@faldvagt.example?' in page
    assert "Nothing changes until you confirm." in page
    assert "will no longer" not in page  # it has not happened yet
    assert notifications.frequency_of(anna, "matches") == "immediately"
    done = browser.post(url).content.decode()
    assert 'The portal will no longer email anna@faldvagt.example about "New matches".' in done
    assert notifications.frequency_of(anna, "matches") == "never"


def test_the_footer_link_without_a_kind_stops_everything(anna):
    Client().post(notifications.unsubscribe_url(anna))
    assert set(notifications.frequencies_of(anna).values()) == {"never"}


def test_a_required_message_says_so(anna):
    email = notifications.email_for(anna, "Your account", "Body", required=True)
    assert "the law requires us to send it whatever you chose" in email.body
    ordinary = notifications.email_for(anna, "News", "Body", category="matches")
    assert "the law requires" not in ordinary.body
    assert 'Stop emails about "New matches":' in ordinary.body


def test_account_emails_are_marked_as_required(client, anna):
    client.post(reverse("account_reset_password"), {"email": anna.email})
    [email] = mail.outbox
    assert "This message is about your own account" in email.body


def test_a_delivery_is_claimed_once_and_erased_with_the_account(anna):
    assert deliveries.delivery_claim(kind="digest:weekly", key="2026-W10", user=anna)
    assert not deliveries.delivery_claim(kind="digest:weekly", key="2026-W10", user=anna)
    assert deliveries.delivery_claim(kind="digest:weekly", key="2026-W11", user=anna)
    assert deliveries.delivery_claim(kind="x", key="1", address="Kontakt@Example.org")
    assert not deliveries.delivery_claim(kind="x", key="1", address="kontakt@example.org ")
    notifications._erase_notifications(anna)
    assert not NotificationDelivery.objects.filter(user=anna).exists()


def test_the_preference_centre_lists_my_saved_searches_and_not_others(client, anna):
    from network.models import SavedSearch

    SavedSearch.objects.create(user=anna, query="faldalarm", frequency="weekly")
    someone = UserFactory(email="bo@andet.example")
    SavedSearch.objects.create(user=someone, query="hemmelig søgning")
    client.force_login(anna)
    page = client.get(reverse("notification_preferences")).content.decode()
    section = page.split('data-testid="preference-saved-searches"')[1]
    assert "faldalarm" in section
    assert "A weekly email" in section
    assert "hemmelig" not in page
    assert reverse("saved_searches") in section
