"""The member list keeps its rows and its viewer's access in the page cache until the data
changes (network/page_cache.py): staff who lose their role lose the list at the next visit, and
a new member shows at once."""

import pytest
from django.urls import reverse

from clusters.models import ClusterStaff
from tests.clusters.factories import active_membership
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_staff_removed_from_the_cluster_lose_the_kept_list_at_once(client, cluster, manager):
    url = reverse("clusters:member_list", args=[cluster.slug])
    client.force_login(manager)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # kept
    ClusterStaff.objects.filter(user=manager, cluster=cluster).delete()
    assert client.get(url).status_code == 404


def test_a_new_member_shows_on_the_kept_list_at_once(client, cluster, manager):
    url = reverse("clusters:member_list", args=[cluster.slug])
    client.force_login(manager)
    client.get(url)
    client.get(url)  # kept
    active_membership(cluster, organisation=OrganisationFactory(name="Nyt Medlem ApS"))
    assert "Nyt Medlem ApS" in client.get(url).content.decode()
