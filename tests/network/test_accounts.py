import re

import pytest
from django.core import mail
from django.urls import reverse

from network.models import Person, User

pytestmark = pytest.mark.django_db


def test_signup_with_email_requires_verification_then_logs_in(client, settings):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ny@firma.example",
            "password1": "et-langt-kodeord-42",
            "password2": "et-langt-kodeord-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ny@firma.example")
    assert Person.objects.get(user=user).email == "ny@firma.example"
    assert user.language == "da"
    # Not signed in before the address is confirmed.
    assert client.get(reverse("my_organisations")).status_code == 302
    assert len(mail.outbox) == 1
    # The link is on the site's public address, whatever host the request came in on.
    site = re.escape(settings.PORTAL_SITE_URL)
    link = re.search(site + r"(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    client.post(link)
    assert client.get(reverse("my_organisations")).status_code == 200


def test_login_by_email(client, owner):
    response = client.post(
        reverse("account_login"),
        {"login": "owner@faldsikker.example", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert client.get(reverse("my_organisations")).status_code == 200


def test_wrong_password_is_refused_with_a_message(client, owner):
    response = client.post(
        reverse("account_login"), {"login": "owner@faldsikker.example", "password": "forkert"}
    )
    assert response.status_code == 200
    assert (
        'class="form-error-message"' in response.content.decode()
        or "alert" in response.content.decode()
    )


def test_password_reset_sends_an_email(client, owner):
    client.post(reverse("account_reset_password"), {"email": "owner@faldsikker.example"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_every_user_can_set_up_totp(client, colleague):
    client.post(
        reverse("account_login"),
        {"login": "colleague@faldsikker.example", "password": "correct-horse-battery"},
    )
    # Setting up a second factor asks for the password once more, as it should.
    response = client.get(reverse("mfa_activate_totp"))
    assert reverse("account_reauthenticate") in response["Location"]
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert (
        "otpauth://" in response.content.decode() or "secret" in response.content.decode().lower()
    )
