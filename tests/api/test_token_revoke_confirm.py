"""Revoking an API token asks first (issue 20)."""

import pytest
from django.urls import reverse

from clusters.models_api import APIToken
from tests.api.factories import api_key
from tests.clusters.factories import staff
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


def test_revoking_a_token_asks_first_and_offers_the_modal(client):
    cluster = ClusterFactory(slug="welfare-tech")
    token = APIToken.objects.for_key(api_key(cluster=cluster, name="CRM"))
    client.force_login(staff(cluster))
    page = client.get(reverse("clusters:api_tokens", args=[cluster.slug])).content.decode()
    assert f'data-target="confirm-revoke-{token.pk}"' in page
    url = reverse("clusters:api_token_revoke", args=[cluster.slug, token.pk])

    asked = client.post(url)

    assert asked.status_code == 200
    assert '<input type="hidden" name="confirm" value="yes">' in asked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    client.post(url, {"confirm": "yes"})
    token.refresh_from_db()
    assert token.revoked_at is not None
