from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import Membership
from network.models import Region
from tests.clusters.factories import active_membership, application, valid_cvr
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    focus_area,
    municipality,
)

pytestmark = pytest.mark.django_db


def list_url(cluster, **params):
    from urllib.parse import urlencode

    url = reverse("clusters:member_list", args=[cluster.slug])
    return url + ("?" + urlencode(params, doseq=True) if params else "")


def names(response):
    return [m.organisation.name for m in response.context["page"]]


def _members(cluster, tier, count, start=0):
    areas = [focus_area("health-data"), focus_area("personalised-treatment")]
    for n in range(start, start + count):
        organisation = OrganisationFactory(
            name=f"Medlem {n:04d} ApS", cvr=valid_cvr(n), focus_areas=areas
        )
        MembershipFactory(
            organisation=organisation,
            cluster=cluster,
            tier=tier,
            annual_fee=tier.annual_fee,
            status="active",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            primary_contact=PersonFactory(),
        )


@pytest.mark.parametrize("count", [10, 300])
def test_query_count_does_not_grow_with_the_list(
    client, cluster, basic, manager, count, django_assert_max_num_queries
):
    _members(cluster, basic, count)
    client.force_login(manager)
    client.get(list_url(cluster))  # warm the session and the site caches
    # Session, user, the cluster and role, the list with its focus areas and counts, the menus
    # and the filter choices: none of them per member. (The staff sign-in check's flags are
    # cached since the warm-up request.)
    with django_assert_max_num_queries(12):
        response = client.get(list_url(cluster, per_page=100))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 100)


def test_query_count_is_the_same_for_10_and_300(client, cluster, basic, manager):
    client.force_login(manager)
    counts = []
    for start, size in ((0, 10), (10, 290)):
        _members(cluster, basic, size, start)
        client.get(list_url(cluster, per_page=100))
        with CaptureQueriesContext(connection) as queries:
            client.get(list_url(cluster, per_page=100, focus_area="health-data", ordering="-fee"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_shows_member_details(client, cluster, basic, manager):
    contact = PersonFactory(first_name="Lone", last_name="Dahl", email="lone@medlem.example")
    organisation = OrganisationFactory(name="Faldsikker ApS", municipality=municipality("Odense"))
    active_membership(cluster, tier=basic, organisation=organisation, primary_contact=contact)
    client.force_login(manager)
    body = client.get(list_url(cluster)).content.decode()
    assert "Faldsikker ApS" in body
    assert "Basis" in body
    assert "lone@medlem.example" in body
    assert "Region Syddanmark" in body


class TestFilters:
    @pytest.fixture
    def members(self, cluster, basic, premium):
        today = date.today()
        hospital = OrganisationFactory(name="Odense Universitetshospital", kind="hospital", cvr="")
        hospital.focus_areas.set([focus_area("personalised-treatment")])
        return {
            "due": active_membership(
                cluster,
                tier=basic,
                organisation=OrganisationFactory(name="Snart Fornyes ApS"),
                start=today - timedelta(days=340),
            ),
            "later": active_membership(
                cluster,
                tier=premium,
                organisation=OrganisationFactory(
                    name="Langt Ude ApS", municipality=municipality("Aarhus")
                ),
                start=today - timedelta(days=10),
            ),
            "applied": application(cluster, organisation=hospital),
            "lapsed": MembershipFactory(
                cluster=cluster,
                status="lapsed",
                organisation=OrganisationFactory(name="Bortfaldet ApS"),
            ),
        }

    def test_status(self, client, cluster, manager, members):
        client.force_login(manager)
        response = client.get(list_url(cluster, status=["applied", "lapsed"]))
        assert sorted(names(response)) == ["Bortfaldet ApS", "Odense Universitetshospital"]
        assert "Applied (1)" in response.content.decode()

    def test_tier_kind_region_and_focus_area(self, client, cluster, manager, members, premium):
        client.force_login(manager)
        assert names(client.get(list_url(cluster, tier=premium.pk))) == ["Langt Ude ApS"]
        assert names(client.get(list_url(cluster, kind="hospital"))) == [
            "Odense Universitetshospital"
        ]
        midt = Region.objects.get(code="1082")
        assert names(client.get(list_url(cluster, region=midt.slug))) == ["Langt Ude ApS"]
        assert names(client.get(list_url(cluster, focus_area="personalised-treatment"))) == [
            "Odense Universitetshospital"
        ]

    def test_renewal_due(self, client, cluster, manager, members):
        client.force_login(manager)
        response = client.get(list_url(cluster, renewal_due="on"))
        assert names(response) == ["Snart Fornyes ApS"]
        assert "Renewal due" in response.content.decode()

    def test_text_matches_name_cvr_and_contact(self, client, cluster, manager, members):
        client.force_login(manager)
        assert names(client.get(list_url(cluster, q="langt"))) == ["Langt Ude ApS"]
        cvr = members["due"].organisation.cvr
        assert names(client.get(list_url(cluster, q=cvr))) == ["Snart Fornyes ApS"]

    def test_a_tier_of_another_cluster_is_not_a_choice(
        self, client, cluster, other_cluster, manager, members
    ):
        from tests.clusters.factories import MembershipTierFactory

        foreign = MembershipTierFactory(cluster=other_cluster, name="Fremmed")
        client.force_login(manager)
        response = client.get(list_url(cluster, tier=foreign.pk))
        assert "Fremmed" not in response.content.decode()
        assert len(names(response)) == 4  # an invalid choice filters nothing

    def test_sorting_both_ways(self, client, cluster, manager, members):
        client.force_login(manager)
        ascending = names(client.get(list_url(cluster, ordering="name")))
        assert ascending == sorted(ascending)
        descending = names(client.get(list_url(cluster, ordering="-name")))
        assert descending == list(reversed(ascending))
        by_fee = client.get(list_url(cluster, ordering="-fee"))
        assert names(by_fee)[0] == "Langt Ude ApS"
        body = by_fee.content.decode()
        assert 'aria-sort="descending"' in body

    def test_htmx_gets_only_the_results(self, client, cluster, manager, members):
        client.force_login(manager)
        response = client.get(list_url(cluster, status="active"), HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="results"')
        assert "<html" not in body


def test_pagination_and_page_size(client, cluster, basic, manager):
    _members(cluster, basic, 30)
    client.force_login(manager)
    first = client.get(list_url(cluster))
    assert len(first.context["page"]) == 25
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(list_url(cluster, page=2))
    assert len(second.context["page"]) == 5
    assert len(client.get(list_url(cluster, per_page=50)).context["page"]) == 30
    assert len(client.get(list_url(cluster, per_page=7)).context["page"]) == 25


def test_select_all_on_the_page(client, cluster, basic, manager):
    _members(cluster, basic, 3)
    client.force_login(manager)
    body = client.get(list_url(cluster, select="page")).content.decode()
    assert body.count('name="selected"') == 3
    assert body.count(" checked>") >= 3


def test_coordinators_see_the_list_without_import(client, cluster, coordinator, basic):
    _members(cluster, basic, 1)
    client.force_login(coordinator)
    body = client.get(list_url(cluster)).content.decode()
    assert reverse("clusters:import_upload", args=[cluster.slug]) not in body
    assert 'name="selected"' in body


def test_only_this_clusters_members_are_listed(client, cluster, other_cluster, manager):
    active_membership(other_cluster, organisation=OrganisationFactory(name="Fremmed ApS"))
    active_membership(cluster, organisation=OrganisationFactory(name="Egen ApS"))
    client.force_login(manager)
    assert names(client.get(list_url(cluster))) == ["Egen ApS"]
    assert Membership.objects.count() == 2


def test_total_is_right_with_and_without_filters(client, cluster, basic, manager):
    """Unfiltered, the total comes from the status counts; filtered, it is counted."""
    _members(cluster, basic, 3)
    application(cluster, organisation=OrganisationFactory(name="Ansøger ApS"))
    MembershipFactory(cluster=cluster, status="lapsed")
    client.force_login(manager)

    def total(response):
        return response.context["page"].paginator.count

    assert total(client.get(list_url(cluster))) == 5
    assert total(client.get(list_url(cluster, ordering="name"))) == 5
    assert total(client.get(list_url(cluster, status="active"))) == 3
    assert total(client.get(list_url(cluster, status=["active", "lapsed"]))) == 4
    assert total(client.get(list_url(cluster, q="Ansøger"))) == 1
    assert total(client.get(list_url(cluster, q=""))) == 5
