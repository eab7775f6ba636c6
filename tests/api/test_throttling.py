"""Each token has its own allowance; past it the API answers 429."""

import pytest
from django.urls import reverse

from tests.api.factories import api_key, get

pytestmark = pytest.mark.django_db


def test_a_token_over_its_rate_gets_429_and_others_are_unaffected(client, cluster, settings):
    settings.API_RATE_LIMIT = "2/minute"
    busy, calm = api_key(cluster=cluster), api_key(cluster=cluster)
    url = reverse("api-cluster-list")

    assert [get(client, url, busy).status_code for _ in range(3)] == [200, 200, 429]
    assert get(client, url, calm).status_code == 200
    assert int(get(client, url, busy)["Retry-After"]) > 0


def test_a_tokens_own_limit_wins_over_the_default(client, cluster, settings):
    settings.API_RATE_LIMIT = "1000/hour"
    key = api_key(cluster=cluster, rate_limit="1/minute")
    url = reverse("api-cluster-list")
    assert [get(client, url, key).status_code for _ in range(2)] == [200, 429]
