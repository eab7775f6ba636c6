"""The member list finds a page's members by their keys and sort columns first, then reads only
those rows: pages still follow each other in the chosen order, with nothing lost or repeated,
and only this cluster's members, as the staff member may see them."""

from datetime import date

import pytest
from django.urls import reverse

from tests.clusters.factories import active_membership, valid_cvr
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _page(client, cluster, **params):
    url = reverse("clusters:member_list", args=[cluster.slug])
    response = client.get(url, {"per_page": 25, **params})
    assert response.status_code == 200
    return [m.organisation.name for m in response.context["page"]]


@pytest.fixture
def many(cluster, other_cluster, basic, premium):
    for n in range(60):
        MembershipFactory(
            organisation=OrganisationFactory(name=f"Medlem {n:02d} ApS", cvr=valid_cvr(n)),
            cluster=cluster,
            tier=(basic, premium, None)[n % 3],
            annual_fee=(1000 + n * 10) if n % 4 else None,
            status="active" if n % 5 else "applied",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        )
    active_membership(other_cluster, organisation=OrganisationFactory(name="Fremmed ApS"))


@pytest.mark.parametrize("ordering", ["name", "-name", "fee", "-fee", "tier", "-status"])
def test_pages_follow_the_order_without_gaps_or_repeats(client, cluster, manager, many, ordering):
    client.force_login(manager)
    pages = [_page(client, cluster, ordering=ordering, page=n) for n in (1, 2, 3)]
    shown = [name for page in pages for name in page]
    assert [len(page) for page in pages] == [25, 25, 10]
    assert sorted(shown) == [f"Medlem {n:02d} ApS" for n in range(60)]
    assert "Fremmed ApS" not in shown
    everything = _page(client, cluster, ordering=ordering, per_page=100)
    assert shown == everything  # one long page and three short ones agree on the order


def test_filters_apply_before_the_page_is_chosen(client, cluster, manager, many):
    client.force_login(manager)
    applied = _page(client, cluster, status="applied", ordering="-name")
    assert applied == [f"Medlem {n:02d} ApS" for n in range(55, -1, -5)]


def test_status_facet_counts_follow_an_approval_at_once(client, cluster, manager, many):
    """The facets are kept in the cache, but never with yesterday's counts."""
    from clusters.models import Membership
    from clusters.services.memberships import membership_approve

    client.force_login(manager)
    url = reverse("clusters:member_list", args=[cluster.slug])
    assert "Applied (12)" in client.get(url).content.decode()
    membership = Membership.objects.filter(cluster=cluster, status="applied").first()
    membership_approve(membership=membership, actor=manager)
    body = client.get(url).content.decode()
    assert "Applied (11)" in body
    assert "Active (49)" in body
