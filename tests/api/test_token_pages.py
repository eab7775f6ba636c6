"""Managers make and revoke their cluster's tokens in the browser; the key is shown once."""

import pytest
from django.urls import reverse

from clusters.models_api import APIToken
from network.api.keys import hash_key
from tests.api.factories import api_key, get
from tests.clusters.factories import staff

pytestmark = pytest.mark.django_db


def _create(client, cluster, **data):
    data = {"name": "Vores CRM", "scopes": ["directory:read", "members:read"], **data}
    return client.post(reverse("clusters:api_tokens", args=[cluster.slug]), data)


def test_manager_creates_a_token_and_sees_its_key_once(client, cluster):
    manager = staff(cluster)
    client.force_login(manager)

    response = _create(client, cluster)

    assert response.status_code == 302
    response = client.get(response["Location"])
    key = response.context["new_key"]
    assert key in response.content.decode()
    token = APIToken.objects.get(cluster=cluster)
    assert token.key_hash == hash_key(key)
    assert key not in {token.key_hash, token.prefix}
    assert token.created_by == manager
    assert sorted(token.scopes) == ["directory:read", "members:read"]
    assert get(client, reverse("api-cluster-members", args=[cluster.slug]), key).status_code == 200
    # The list shows the token again, but never its key.
    page = client.get(reverse("clusters:api_tokens", args=[cluster.slug]))
    assert "Vores CRM" in page.content.decode()
    assert key not in page.content.decode()


def test_form_errors_create_nothing(client, cluster):
    client.force_login(staff(cluster))
    response = _create(client, cluster, scopes=[], expires_on="2000-01-01")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"scopes", "expires_on"}
    assert not APIToken.objects.exists()


def test_coordinator_may_not_manage_tokens(client, cluster):
    client.force_login(staff(cluster, role="coordinator"))
    assert _create(client, cluster).status_code == 403
    assert not APIToken.objects.exists()


def test_other_clusters_staff_see_nothing(client, cluster, other_cluster):
    key = api_key(cluster=cluster, name="Hemmelig integration")
    client.force_login(staff(other_cluster))
    assert client.get(reverse("clusters:api_tokens", args=[cluster.slug])).status_code == 404
    token = APIToken.objects.for_key(key)
    url = reverse("clusters:api_token_revoke", args=[cluster.slug, token.pk])
    assert client.post(url).status_code == 404
    assert APIToken.objects.for_key(key).revoked_at is None


def test_revoked_token_stops_working(client, cluster):
    manager = staff(cluster)
    key = api_key(cluster=cluster)
    token = APIToken.objects.for_key(key)
    client.force_login(manager)

    url = reverse("clusters:api_token_revoke", args=[cluster.slug, token.pk])
    assert client.get(url).status_code == 405
    asked = client.post(url)  # one click only asks
    assert asked.status_code == 200
    assert APIToken.objects.get(pk=token.pk).revoked_at is None
    response = client.post(url, {"confirm": "yes"})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == manager
    client.logout()
    assert get(client, reverse("api-cluster-list"), key).status_code == 401


def test_token_of_another_cluster_cannot_be_revoked_through_this_one(
    client, cluster, other_cluster
):
    key = api_key(cluster=other_cluster)
    client.force_login(staff(cluster))
    url = reverse(
        "clusters:api_token_revoke", args=[cluster.slug, APIToken.objects.for_key(key).pk]
    )
    assert client.post(url).status_code == 404


def test_network_admin_creates_a_token_in_the_django_admin(client, cluster, network_admin):
    network_admin.is_staff = network_admin.is_superuser = True
    network_admin.save()
    client.force_login(network_admin)
    response = client.post(
        reverse("admin:clusters_apitoken_add"),
        {"name": "Dashboard", "cluster": cluster.pk, "scopes": ["stats:read"], "rate_limit": ""},
        follow=True,
    )
    assert response.status_code == 200
    token = APIToken.objects.get(name="Dashboard")
    shown = [str(message) for message in response.context["messages"]]
    key = next(text.rsplit(" ", 1)[-1] for text in shown if token.prefix in text)
    assert hash_key(key) == token.key_hash


def test_members_scope_needs_a_cluster(cluster):
    from django.core.exceptions import ValidationError

    from tests.factories import OrganisationFactory

    with pytest.raises(ValidationError):
        api_key(organisation=OrganisationFactory(), scopes=["members:read"])
