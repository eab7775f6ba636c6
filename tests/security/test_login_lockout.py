"""Guessing passwords locks the account, not the office (allauth's rate limits, per account and,
far higher, per address)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
OFFICE = "192.0.2.10"  # one address for everyone behind the office's router


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # the counters live in the cache, shared by every worker in production
    yield
    cache.clear()


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def attempt(client, email, password, address=OFFICE):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def locked(response) -> bool:
    """The page says the account is locked and offers the reset (in any language)."""
    return 'data-testid="reset-after-lockout"' in response.content.decode()


def signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    user = UserFactory()
    for _ in range(5):
        response = attempt(client, user.email, "wrong-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    locked = attempt(client, user.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    page = locked.content.decode()
    assert "Too many failed login attempts for this account" in page
    assert reverse("account_reset_password") in page  # the way out is offered at once


def test_a_colleague_behind_the_same_address_still_signs_in(client):
    """Two accounts, one office address: one person's wrong passwords lock only their own."""
    clumsy, colleague = UserFactory(), UserFactory()
    for _ in range(12):  # well past both the account's and allauth's default per-address limit
        attempt(client, clumsy.email, "wrong-password")
    assert not signed_in_as(client, clumsy)
    response = attempt(client, colleague.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client, colleague)
    # And the clumsy one is still locked, from the office and from home alike.
    client.logout()
    assert locked(attempt(client, clumsy.email, PASSWORD))
    assert locked(attempt(client, clumsy.email, PASSWORD, address="198.51.100.7"))
    assert not signed_in_as(client, clumsy)


def test_another_account_is_not_locked_by_someone_elses_failures(client):
    victim, other = UserFactory(), UserFactory()
    for _ in range(5):
        attempt(client, victim.email, "wrong-password")
    response = attempt(client, other.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client, other)


def test_a_spray_across_many_accounts_from_one_address_is_stopped(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "5/5m/key,8/5m/ip",
    }
    accounts = [UserFactory() for _ in range(9)]
    for user in accounts[:8]:
        attempt(client, user.email, "wrong-password")  # one guess each: no account is locked
    response = attempt(client, accounts[8].email, PASSWORD)
    assert not signed_in_as(client, accounts[8])
    assert locked(response)
    elsewhere = attempt(client, accounts[8].email, PASSWORD, address="198.51.100.7")
    assert elsewhere.status_code == 302


def test_the_address_wide_limits_are_far_above_the_account_limit(settings):
    from allauth.core.internal.ratelimit import parse_rates

    rates = {
        action: {rate.per: rate for rate in parse_rates(settings.ACCOUNT_RATE_LIMITS[action])}
        for action in ("login_failed", "login")
    }
    per_account = rates["login_failed"]["key"]
    assert per_account.amount <= 5
    assert rates["login_failed"]["ip"].amount >= 10 * per_account.amount
    assert rates["login"]["ip"].amount >= 100
