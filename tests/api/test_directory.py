"""The directory's resources: only what the public may see, filtered as on the pages."""

import pytest
from django.urls import reverse

from network.models import Municipality
from tests.api.factories import api_key, get
from tests.factories import (
    AffiliationFactory,
    KnowledgeOfferFactory,
    OrganisationFactory,
    PersonFactory,
    TagFactory,
    TestSiteFactory,
    focus_area,
)
from tests.matchmaking.factories import NeedFactory

pytestmark = pytest.mark.django_db


def _names(response, field="name"):
    return [row[field] for row in response.json()["results"]]


def test_organisations_lists_only_public_ones_without_people(client, directory_key):
    public = OrganisationFactory(name="Synlig ApS", email="info@synlig.example")
    OrganisationFactory(name="Skjult ApS", is_public=False)
    person = PersonFactory(email="jens@synlig.example", phone="12345678", contact_public=False)
    AffiliationFactory(person=person, organisation=public, is_primary_contact=True)

    response = get(client, reverse("api-organisation-list"), directory_key)

    assert response.status_code == 200
    assert _names(response) == ["Synlig ApS"]
    row = response.json()["results"][0]
    assert row["email"] == "info@synlig.example"  # the general address the profile shows
    assert "jens@synlig.example" not in response.content.decode()
    assert "12345678" not in response.content.decode()
    assert row["municipality"] == "dk-odense"


def test_hidden_organisation_detail_is_not_found(client, directory_key):
    hidden = OrganisationFactory(is_public=False)
    shown = OrganisationFactory()

    url = reverse("api-organisation-detail", args=[hidden.slug])
    assert get(client, url, directory_key).status_code == 404
    url = reverse("api-organisation-detail", args=[shown.slug])
    assert get(client, url, directory_key).json()["slug"] == shown.slug


def test_organisations_filter_by_kind_place_focus_area_and_text(client, directory_key):
    aarhus = Municipality.objects.get(country="DK", name="Aarhus")
    OrganisationFactory(name="Faldsensor ApS", kind="sme", focus_areas=[focus_area()])
    OrganisationFactory(name="Aarhus Kommune", kind="municipality", cvr="", municipality=aarhus)
    url = reverse("api-organisation-list")

    assert _names(get(client, url, directory_key, kind="municipality")) == ["Aarhus Kommune"]
    assert _names(get(client, url, directory_key, municipality=aarhus.slug)) == ["Aarhus Kommune"]
    assert _names(get(client, url, directory_key, region=aarhus.region.slug)) == ["Aarhus Kommune"]
    assert _names(get(client, url, directory_key, focus_area="health-data")) == ["Faldsensor ApS"]
    assert _names(get(client, url, directory_key, q="Faldsensor")) == ["Faldsensor ApS"]


def test_unknown_filter_value_is_a_bad_request(client, directory_key):
    response = get(client, reverse("api-organisation-list"), directory_key, kind="spaceship")
    assert response.status_code == 400


def test_pages_have_a_ceiling(client, directory_key, settings):
    settings.API_MAX_PAGE_SIZE = 3
    for _ in range(5):
        OrganisationFactory()
    response = get(client, reverse("api-organisation-list"), directory_key, page_size=100)
    body = response.json()
    assert body["count"] == 5
    assert len(body["results"]) == 3
    assert body["next"]


def test_needs_are_the_open_public_ones(client, directory_key):
    NeedFactory(title="Åbent behov")
    NeedFactory(title="Kladde", status="draft")
    NeedFactory(title="Lukket", status="closed")
    NeedFactory(title="Kun medlemmer", visibility="network")
    NeedFactory(title="Privat", visibility="private")
    url = reverse("api-need-list")

    response = get(client, url, directory_key)

    assert _names(response, "title") == ["Åbent behov"]


def test_hidden_need_detail_is_not_found(client, directory_key):
    private = NeedFactory(visibility="private")
    url = reverse("api-need-detail", args=[private.pk])
    assert get(client, url, directory_key).status_code == 404


def test_needs_filter_by_focus_area_and_text(client, directory_key):
    NeedFactory(title="Data om søvn", focus_areas=[focus_area()])
    NeedFactory(title="Velfærdsteknologi")
    url = reverse("api-need-list")
    response = get(client, url, directory_key, focus_area="health-data")
    assert _names(response, "title") == ["Data om søvn"]
    assert _names(get(client, url, directory_key, q="Velfærd"), "title") == ["Velfærdsteknologi"]


def test_test_sites_are_public_ones_of_public_owners(client, directory_key):
    municipality = OrganisationFactory(kind="municipality", cvr="")
    hidden_owner = OrganisationFactory(kind="municipality", cvr="", is_public=False)
    TestSiteFactory(owner=municipality, name="Plejecenter Lyngen", site_type="nursing_home")
    TestSiteFactory(owner=municipality, name="Skjult lab", is_public=False)
    TestSiteFactory(owner=hidden_owner, name="Skjult ejer")
    url = reverse("api-test-site-list")

    response = get(client, url, directory_key)

    assert _names(response) == ["Plejecenter Lyngen"]
    assert response.json()["results"][0]["owner"]["slug"] == municipality.slug
    assert _names(get(client, url, directory_key, kind="home_care")) == []


def test_knowledge_offers_leave_out_the_contact_person(client, directory_key):
    university = OrganisationFactory(kind="university", cvr="")
    contact = PersonFactory(first_name="Hemmelig", email="forsker@uni.example")
    KnowledgeOfferFactory(owner=university, title="Brugertest", contact=contact)
    KnowledgeOfferFactory(owner=university, title="Skjult", is_public=False)

    response = get(client, reverse("api-knowledge-offer-list"), directory_key)

    assert _names(response, "title") == ["Brugertest"]
    assert "forsker@uni.example" not in response.content.decode()
    assert "Hemmelig" not in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "api-organisation-list",
        "api-need-list",
        "api-test-site-list",
        "api-knowledge-offer-list",
        "api-cluster-list",
    ],
)
def test_lists_take_the_same_queries_however_long(
    client, directory_key, name, django_assert_max_num_queries
):
    def add_rows(n):
        for _ in range(n):
            municipality = OrganisationFactory(
                kind="municipality", cvr="", focus_areas=[focus_area()], tags=[TagFactory()]
            )
            NeedFactory(owner=municipality, focus_areas=[focus_area()], tags=[TagFactory()])
            TestSiteFactory(owner=municipality)
            KnowledgeOfferFactory(owner=OrganisationFactory(kind="university", cvr=""))

    add_rows(2)
    url = reverse(name)
    with django_assert_max_num_queries(7) as few:
        get(client, url, directory_key)
    add_rows(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = get(client, url, directory_key)
    assert response.status_code == 200


def test_another_organisations_token_reads_the_directory(client, cluster):
    key = api_key(organisation=OrganisationFactory(kind="region", cvr=""))
    OrganisationFactory(name="Synlig ApS")
    response = get(client, reverse("api-organisation-list"), key)
    assert "Synlig ApS" in _names(response)


def test_a_shared_need_is_found_in_a_public_joiners_place(client, directory_key):
    from matchmaking.models_sharing import NeedShare

    need = NeedFactory(
        title="Natlige faldsensorer", municipality=Municipality.objects.get(slug="dk-aarhus")
    )
    url = reverse("api-need-list")
    joiner = OrganisationFactory(
        name="Svendborg Kommune",
        kind="municipality",
        cvr="",
        municipality=Municipality.objects.get(slug="dk-svendborg"),
    )
    hidden = OrganisationFactory(
        name="Nyborg Kommune",
        kind="municipality",
        cvr="",
        is_public=False,
        municipality=Municipality.objects.get(slug="dk-nyborg"),
    )
    assert _names(get(client, url + "?municipality=dk-svendborg", directory_key), "title") == []
    NeedShare.objects.create(need=need, organisation=joiner)
    NeedShare.objects.create(need=need, organisation=hidden)
    for query in (
        "municipality=dk-svendborg",
        "region=dk-region-syddanmark",
        "municipality=dk-aarhus",
    ):
        assert _names(get(client, f"{url}?{query}", directory_key), "title") == [need.title]
    # A joiner that is not public gives its place away to nobody.
    assert _names(get(client, url + "?municipality=dk-nyborg", directory_key), "title") == []
