"""Guessing passwords locks the account out for a while (allauth's rate limits)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # the counters live in the cache, shared by every worker in production
    yield
    cache.clear()


def attempt(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    user = UserFactory()
    for _ in range(5):
        response = attempt(client, user.email, "wrong-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    locked = attempt(client, user.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert locked.status_code in (200, 429)
    assert "Too many failed login attempts" in locked.content.decode()


def test_another_account_is_not_locked_by_someone_elses_failures(client):
    victim, other = UserFactory(), UserFactory()
    for _ in range(5):
        attempt(client, victim.email, "wrong-password")
    response = attempt(client, other.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)
