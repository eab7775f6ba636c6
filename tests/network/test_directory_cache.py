"""The directory keeps its totals and facet lists in the cache for a short time; what one viewer
sees is never counted or shown for another, and every filter has a total of its own."""

import pytest
from django.urls import reverse

from network.models import Municipality
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = reverse("directory")


def total(response) -> int:
    return response.context["page"].paginator.count


def test_a_repeated_visit_reads_only_the_rows(client, django_assert_max_num_queries):
    for n in range(30):
        OrganisationFactory(name=f"Virksomhed {n:02d} ApS")
    first = client.get(URL, {"page": 2})
    assert total(first) == 30
    # The total and the facet lists (clusters, regions, municipalities, tags) come from the
    # cache: the organisations of the page and their focus areas and tags are read.
    with django_assert_max_num_queries(3):
        again = client.get(URL, {"page": 1})
    assert total(again) == 30
    assert 'name="municipality"' in again.content.decode()
    assert "Virksomhed 00 ApS" in again.content.decode()


def test_a_member_counts_their_private_organisation_after_anonymous_visitors(client):
    OrganisationFactory(name="Synlig ApS")
    private = OrganisationFactory(name="Skjult ApS", is_public=False)
    assert total(client.get(URL)) == 1
    client.force_login(person_with_login(private, "member", "skjult@example.com"))
    response = client.get(URL)
    assert total(response) == 2
    assert "Skjult ApS" in response.content.decode()
    client.logout()
    response = client.get(URL)
    assert total(response) == 1
    assert "Skjult ApS" not in response.content.decode()


def test_each_filter_has_its_own_total_and_facets(client):
    aalborg = Municipality.objects.get(country="DK", name="Aalborg")
    OrganisationFactory(name="Nordjysk ApS", municipality=aalborg)
    OrganisationFactory(name="Fynsk ApS")
    assert total(client.get(URL)) == 2
    response = client.get(URL, {"municipality": aalborg.slug})
    assert total(response) == 1
    body = response.content.decode()
    assert f'<option value="{aalborg.slug}" selected>' in body
    assert f'<option value="{aalborg.slug}" selected>' not in client.get(URL).content.decode()


def test_facets_follow_the_language(client):
    OrganisationFactory(name="Firma ApS")
    danish = client.get(URL, headers={"accept-language": "da"}).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(URL, headers={"accept-language": "en"}).content.decode()
    assert "All regions" in english
    assert "All regions" not in danish
