"""API tokens for the tests, and a client that sends one."""

from datetime import timedelta

from django.utils import timezone

from clusters.services.api_tokens import api_token_create
from network.api.permissions import DIRECTORY_READ, MEMBERS_READ, STATS_READ
from tests.factories import UserFactory

ALL_SCOPES = [DIRECTORY_READ, MEMBERS_READ, STATS_READ]


def api_key(*, cluster=None, organisation=None, scopes=(DIRECTORY_READ,), **fields):
    """A new token's key (the token is `token_of(key)`)."""
    _token, key = api_token_create(
        name=fields.pop("name", "CRM"),
        scopes=list(scopes),
        cluster=cluster,
        organisation=organisation,
        created_by=fields.pop("created_by", None) or UserFactory(),
        **fields,
    )
    return key


def revoked_key(**kwargs):
    from clusters.models_api import APIToken

    key = api_key(**kwargs)
    APIToken.objects.filter(pk=APIToken.objects.for_key(key).pk).update(revoked_at=timezone.now())
    return key


def expired_key(**kwargs):
    from clusters.models_api import APIToken

    key = api_key(**kwargs)
    APIToken.objects.filter(pk=APIToken.objects.for_key(key).pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    return key


def get(client, url, key=None, **params):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(url, params, headers=headers)
