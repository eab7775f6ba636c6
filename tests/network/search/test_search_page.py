"""The one search page: finds what people mean, shows only what the directory shows, and
answers every query (however hostile) with a page."""

import pytest
from django.urls import reverse

from network.search import index
from tests.factories import (
    KnowledgeOfferFactory,
    OrganisationFactory,
    TestSiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sync_every_search(settings):
    settings.SEARCH_SYNC_SECONDS = 0


def titles(response) -> list[str]:
    return [hit.title for hit in response.context["results"].hits]


def search(client, q, **params):
    response = client.get(reverse("search"), {"q": q, **params})
    assert response.status_code == 200
    return response


@pytest.fixture
def network(db):
    hospital = OrganisationFactory(
        name="Odense Universitetshospital",
        kind="hospital",
        cvr="",
        description="Danmarks største sygehus med afdelinger for geriatri og akutmedicin.",
    )
    home_care = OrganisationFactory(
        name="Omsorgsrobotter ApS",
        description="Vi laver robotter til hjemmeplejen og velfærdsteknologi til ældre.",
    )
    english = OrganisationFactory(
        name="CareSense Ltd",
        description="Sensors that detect falls among elderly people living at home.",
        language="en",
    )
    site = TestSiteFactory(
        name="Testhjem Vollsmose",
        description="Plejecenter hvor velfærdsteknologi afprøves i hverdagen.",
        capabilities="Videokonsultation, faldsensorer og medicinrobotter.",
    )
    offer = KnowledgeOfferFactory(
        title="Brugerinddragelse i sundhedsinnovation",
        competence="Interview og observation hos ældre borgere i eget hjem.",
    )
    return {
        "hospital": hospital,
        "home_care": home_care,
        "english": english,
        "site": site,
        "offer": offer,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("velfaerdsteknologi", "Omsorgsrobotter ApS"),
        ("velfærdsteknolgi", "Omsorgsrobotter ApS"),
        ("VELFÆRDSTEKNOLOGI", "Omsorgsrobotter ApS"),
        ("hjemmepleie", "Omsorgsrobotter ApS"),
        ("Odense Universitetshospitl", "Odense Universitetshospital"),
        ("sykehus", "Odense Universitetshospital"),
        ("hospital", "Odense Universitetshospital"),
        ("Ældre", "Omsorgsrobotter ApS"),
        ("faldsensor", "Testhjem Vollsmose"),
        ("falls", "CareSense Ltd"),
        ("brugerinddrag", "Brugerinddragelse i sundhedsinnovation"),
    ],
)
def test_finds_what_people_mean(client, network, query, expected):
    assert expected in titles(search(client, query))


def test_relevance_puts_the_name_first_and_name_order_is_a_choice(client, network):
    OrganisationFactory(
        name="Aabenraa Sundhedshus", description="Samarbejder med Odense Universitetshospital."
    )
    assert titles(search(client, "Odense Universitetshospital"))[0] == "Odense Universitetshospital"
    by_name = titles(search(client, "Odense Universitetshospital", order="name"))
    assert by_name[0] == "Aabenraa Sundhedshus"


def test_counts_per_kind_and_the_kind_facet(client, network):
    response = search(client, "velfærdsteknologi")
    counts = response.context["results"].counts
    assert counts["organisation"] == 1
    assert counts["test_site"] == 1
    only_sites = search(client, "velfærdsteknologi", kind="test_site")
    assert titles(only_sites) == ["Testhjem Vollsmose"]
    # The facet keeps every kind's count, so one can switch back.
    assert only_sites.context["results"].counts == counts


def test_snippets_mark_the_words_found_and_escape_the_rest(client, network):
    OrganisationFactory(
        name="Script ApS", description="<script>alert(1)</script> sygehuse i hele landet."
    )
    content = search(client, "hospital").content.decode()
    assert "<mark>sygehuse</mark>" in content
    assert "<script>alert(1)</script>" not in content


def test_header_box_and_plain_form_work_without_javascript(client, network):
    home = client.get(reverse("home")).content.decode()
    assert 'action="/search/"' in home
    assert 'name="q"' in home
    response = client.get("/search/?q=sykehus")
    assert "Odense Universitetshospital" in response.content.decode()


def test_htmx_gets_the_results_fragment_only(client, network):
    response = client.get(reverse("search"), {"q": "robot"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="results"' in content
    assert "<html" not in content


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        '"',
        '"velfærd',
        "*",
        "NEAR(",
        ")",
        "OR",
        "AND NOT",
        "hospital AND NOT robot",
        "%",
        "_",
        "\\",
        "a\x00b",
        "😀 sygehus 🏥",
        "'; DROP TABLE network_organisation; --",
        "c_hospital s_robot",
        "{title_keys}: x",
        "hjemmepleje " * 400,
    ],
)
def test_hostile_queries_answer_with_a_page(client, network, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200


def test_index_follows_a_change_without_any_signal(client, network):
    assert "Omsorgsrobotter ApS" in titles(search(client, "robotter"))
    network["home_care"].name = "Plejebotter ApS"
    network["home_care"].description = "Vi laver intet af det."
    network["home_care"].save()
    assert titles(search(client, "robotter")) == ["Testhjem Vollsmose"]
    index.rebuild()
    assert "Plejebotter ApS" in titles(search(client, "plejebotter"))


@pytest.mark.parametrize(
    ("language", "heading", "kind_label", "count"),
    [
        ("da", "Søg i netværket", "Testmiljøer", "1 resultat"),
        ("nb", "Søk i nettverket", "Testarenaer", "1 resultat"),
        ("en", "Search the network", "Test sites", "1 result"),
    ],
)
def test_the_page_and_its_results_speak_the_chosen_language(
    client, network, language, heading, kind_label, count
):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    response = search(client, "Vollsmose", kind="test_site")
    content = response.content.decode()
    assert response.headers["Content-Language"] == language
    assert f"<h1>{heading}</h1>" in content
    assert kind_label in content
    assert count in content
    hit = response.context["results"].hits[0]
    assert hit.kind_label == kind_label


def test_a_misspelt_word_says_what_it_was_read_as(client, network):
    response = search(client, "Odense Universitetshospitl")
    assert response.context["results"].corrected == {
        "universitetshospitl": ["universitetshospital"]
    }
    assert 'data-testid="corrected"' in response.content.decode()


def test_one_kind_of_many_alike_does_not_fill_the_first_results(client, db):
    """Twenty home-care test sites named alike and the home-care organisation of that name: the
    organisation is among the first, not under every site (each further site of the same
    relevance counts a little less); with the kind facet the sites keep their own order."""
    for n in range(20):
        TestSiteFactory(
            name=f"Hjemmeplejen, distrikt {n:02d}", description="Test af udstyr i hjemmet."
        )
    OrganisationFactory(name="Hjemmeplejen Vest", kind="municipality", cvr="")
    first = titles(search(client, "hjemmepleje"))[:3]
    assert "Hjemmeplejen Vest" in first
    assert first[0] == "Hjemmeplejen, distrikt 00"  # still ordered by relevance, then name
    sites = titles(search(client, "hjemmepleje", kind="test_site"))
    assert sites[:3] == [f"Hjemmeplejen, distrikt {n:02d}" for n in range(3)]
