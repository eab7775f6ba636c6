import pytest
from django.urls import reverse

from network.models import Municipality, Region
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    TagFactory,
    focus_area,
)

pytestmark = pytest.mark.django_db
URL = reverse("directory")


def names(response):
    return [organisation.name for organisation in response.context["page"]]


def test_lists_public_organisations_only(client):
    OrganisationFactory(name="Synlig ApS")
    OrganisationFactory(name="Skjult ApS", is_public=False)
    response = client.get(URL)
    assert names(response) == ["Synlig ApS"]


def test_filter_by_kind(client):
    OrganisationFactory(name="Firma ApS", kind="sme")
    OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    assert names(client.get(URL, {"kind": "municipality"})) == ["Odense Kommune"]
    assert sorted(names(client.get(URL, {"kind": ["municipality", "sme"]}))) == [
        "Firma ApS",
        "Odense Kommune",
    ]


def test_filter_by_cluster_counts_only_active_members(client):
    cluster = ClusterFactory(name="Welfare Tech", slug="welfare-tech")
    MembershipFactory(organisation=OrganisationFactory(name="Medlem ApS"), cluster=cluster)
    MembershipFactory(
        organisation=OrganisationFactory(name="Ansøger ApS"), cluster=cluster, status="applied"
    )
    OrganisationFactory(name="Udenfor ApS")
    assert names(client.get(URL, {"cluster": "welfare-tech"})) == ["Medlem ApS"]


def test_filter_by_region_and_municipality(client):
    aalborg = Municipality.objects.get(country="DK", name="Aalborg")
    OrganisationFactory(name="Nordjysk ApS", municipality=aalborg)
    OrganisationFactory(name="Fynsk ApS")  # Odense
    north = Region.objects.get(code="1081")
    assert names(client.get(URL, {"region": north.slug})) == ["Nordjysk ApS"]
    assert names(client.get(URL, {"municipality": aalborg.slug})) == ["Nordjysk ApS"]


def test_filter_by_focus_area(client):
    OrganisationFactory(name="Data ApS", focus_areas=[focus_area("health-data")])
    OrganisationFactory(
        name="Begge ApS",
        focus_areas=[focus_area("health-data"), focus_area("personalised-treatment")],
    )
    OrganisationFactory(
        name="Forebyg ApS", focus_areas=[focus_area("prevention-predictive-health")]
    )
    response = client.get(URL, {"focus_area": "health-data"})
    assert sorted(names(response)) == ["Begge ApS", "Data ApS"]


def test_filter_by_tag(client):
    sensors = TagFactory(name="sensorer")
    OrganisationFactory(name="Sensor ApS", tags=[sensors])
    OrganisationFactory(name="Andet ApS")
    assert names(client.get(URL, {"tag": sensors.slug})) == ["Sensor ApS"]


def test_free_text_search(client):
    OrganisationFactory(name="Faldalarm ApS", description="Sensorer opdager fald om natten.")
    OrganisationFactory(name="Diabetesdata ApS", description="Platform for blodsukkermålinger.")
    assert names(client.get(URL, {"q": "Faldalarm"})) == ["Faldalarm ApS"]
    assert names(client.get(URL, {"q": "blodsukkermålinger"})) == ["Diabetesdata ApS"]


def test_filters_combine_and_stay_in_pagination_links(client, settings):
    settings.DIRECTORY_PAGE_SIZE = 2
    for n in range(5):
        OrganisationFactory(name=f"Firma {n} ApS", kind="sme")
    OrganisationFactory(name="Kommune", kind="municipality", cvr="")
    response = client.get(URL, {"kind": "sme"})
    assert response.context["page"].paginator.count == 5
    assert "kind=sme&amp;page=2" in response.content.decode()


def test_unknown_filter_value_shows_an_error_not_a_crash(client):
    response = client.get(URL, {"region": "atlantis"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_htmx_request_gets_only_the_results_fragment(client):
    OrganisationFactory(name="Fragment ApS")
    response = client.get(URL, {"q": "Fragment"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Fragment ApS" in body
    assert "<html" not in body
    assert 'id="results"' in body


@pytest.mark.parametrize("count", [10, 200])
def test_query_count_does_not_grow_with_the_number_of_organisations(
    client, django_assert_max_num_queries, settings, count
):
    settings.DIRECTORY_PAGE_SIZE = 50
    tags = [TagFactory(name=f"emne {n}") for n in range(3)]
    for n in range(count):
        OrganisationFactory(
            name=f"Virksomhed {n:03d} ApS",
            focus_areas=[focus_area("health-data")],
            tags=tags,
        )
    cluster = ClusterFactory(slug="chc")
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"focus_area": "health-data", "cluster": ""})
    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 50)
    assert cluster  # the cluster facet is rendered from the database too


def test_profile_shows_test_sites_and_hides_private_contact_details(client):
    from tests.factories import PersonFactory, TestSiteFactory

    municipality = OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")
    TestSiteFactory(owner=municipality, name="Plejecenter Ærtebjerghave")
    hidden = PersonFactory(
        first_name="Skjult", email="hidden@odense.example", directory_consent=True
    )
    municipality.people.add(hidden, through_defaults={"role": "member"})
    response = client.get(municipality.get_absolute_url())
    body = response.content.decode()
    assert "Plejecenter Ærtebjerghave" in body
    assert "Skjult" in body  # named, as they consented to
    assert "hidden@odense.example" not in body  # but no contact details


def test_private_profile_is_404_for_strangers(client, outsider):
    private = OrganisationFactory(name="Hemmelig ApS", is_public=False)
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(private.get_absolute_url()).status_code == 404
