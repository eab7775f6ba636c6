"""A cluster's members, for the cluster's own token: contacts' names and roles only."""

import pytest
from django.urls import reverse

from tests.api.factories import api_key, get
from tests.clusters.factories import active_membership, application
from tests.factories import OrganisationFactory, PersonFactory, TagFactory, focus_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_key(cluster):
    return api_key(cluster=cluster, scopes=["members:read"])


def _url(cluster):
    return reverse("api-cluster-members", args=[cluster.slug])


def test_members_with_their_primary_contact_name_and_role(client, cluster, members_key):
    quiet = PersonFactory(
        first_name="Mette", last_name="Holm", job_title="CEO", email="mette@a.example"
    )
    open_person = PersonFactory(
        first_name="Ole", job_title="CTO", email="ole@b.example", phone="87654321"
    )
    open_person.contact_public = True
    open_person.save()
    active_membership(
        cluster, organisation=OrganisationFactory(name="A ApS"), primary_contact=quiet
    )
    active_membership(
        cluster, organisation=OrganisationFactory(name="B ApS"), primary_contact=open_person
    )
    application(cluster, organisation=OrganisationFactory(name="Ansøger ApS"))

    response = get(client, _url(cluster), members_key)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["organisation"]["name"] for row in rows] == ["A ApS", "B ApS"]
    assert rows[0]["primary_contact"] == {
        "name": "Mette Holm",
        "role": "CEO",
        "email": None,
        "phone": None,
    }
    assert "mette@a.example" not in response.content.decode()
    assert rows[1]["primary_contact"]["email"] == "ole@b.example"
    assert rows[1]["primary_contact"]["phone"] == "87654321"


def test_members_of_a_hidden_organisation_are_listed_for_their_cluster(
    client, cluster, members_key
):
    active_membership(cluster, organisation=OrganisationFactory(name="Skjult", is_public=False))
    response = get(client, _url(cluster), members_key)
    assert [row["organisation"]["name"] for row in response.json()["results"]] == ["Skjult"]


def test_members_filter_by_status_and_kind(client, cluster, members_key):
    active_membership(cluster, organisation=OrganisationFactory(name="SME ApS"))
    active_membership(
        cluster, organisation=OrganisationFactory(name="Kommune", kind="municipality", cvr="")
    )
    url = _url(cluster)
    response = get(client, url, members_key, kind="municipality")
    assert [row["organisation"]["name"] for row in response.json()["results"]] == ["Kommune"]
    assert get(client, url, members_key, status="lapsed").json()["count"] == 0


def test_another_clusters_token_finds_no_member_list(client, cluster, other_cluster):
    active_membership(cluster, organisation=OrganisationFactory(name="A ApS"))
    key = api_key(cluster=other_cluster, scopes=["members:read"])
    response = get(client, _url(cluster), key)
    assert response.status_code == 404
    assert "A ApS" not in response.content.decode()


def test_member_list_takes_the_same_queries_however_long(
    client, cluster, members_key, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            organisation = OrganisationFactory(focus_areas=[focus_area()], tags=[TagFactory()])
            active_membership(cluster, organisation=organisation, primary_contact=PersonFactory())

    add(2)
    with django_assert_max_num_queries(8) as few:
        get(client, _url(cluster), members_key)
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(client, _url(cluster), members_key).json()["count"] == 10
