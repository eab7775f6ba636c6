"""Slugs spell out æ, ø and å wherever they are made, and the slugs made before (which lost
those letters) lead to the new ones with a permanent redirect."""

import pytest
from django.urls import reverse

from clusters.services.importing import _unique_slugs
from network.models import Municipality, Organisation, Region, SlugRedirect, Tag
from network.services import organisation_save, unique_slug
from network.slugs import rewrite_lost_letters, slugify
from tests.clusters.factories import org_admin
from tests.factories import OrganisationFactory, municipality

MODELS = {"Organisation": Organisation, "Municipality": Municipality, "Region": Region, "Tag": Tag}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("DK-Ærø", "dk-aeroe"),
        ("DK-Læsø", "dk-laesoe"),
        ("DK-København", "dk-koebenhavn"),
        ("Aabenraa Sundhed", "aabenraa-sundhed"),
        ("Åbenrå ØKONOMI", "aabenraa-oekonomi"),
        ("NO-Tromsø", "no-tromsoe"),
        ("Café Ærlig", "cafe-aerlig"),
    ],
)
def test_danish_and_norwegian_letters_are_spelled_out(text, slug):
    assert slugify(text) == slug


@pytest.mark.django_db
def test_reference_data_municipalities_keep_their_letters():
    assert municipality("Ærø").slug == "dk-aeroe"
    assert municipality("Læsø").slug == "dk-laesoe"
    assert municipality("København").slug == "dk-koebenhavn"
    assert Municipality.objects.get(country="NO", name="Tromsø").slug == "no-tromsoe"
    assert Region.objects.get(country="DK", name="Region Sjælland").slug == "dk-region-sjaelland"


@pytest.mark.django_db
def test_a_new_profile_and_an_imported_organisation_get_spelled_out_slugs():
    organisation = OrganisationFactory.build(slug="", name="Sundhedsøkonomi på Ærø ApS")
    organisation.municipality.save()
    organisation_save(organisation=organisation, focus_areas=[], tags=[])

    assert organisation.slug == "sundhedsoekonomi-paa-aeroe-aps"
    assert _unique_slugs(["Sundhedsøkonomi på Ærø ApS", "Læsø Data"]) == [
        "sundhedsoekonomi-paa-aeroe-aps-2",
        "laesoe-data",
    ]


@pytest.mark.django_db
def test_a_tombstones_slug_is_not_given_to_a_new_organisation():
    OrganisationFactory(name="Faldsikker", slug="faldsikker", merged_at="2026-12-01T00:00Z")

    assert unique_slug(Organisation, "Faldsikker") == "faldsikker-2"


@pytest.mark.django_db
def test_the_migration_rewrites_slugs_that_lost_letters_and_records_the_old_ones():
    lost = OrganisationFactory(name="København Sundhed ApS", slug="kbenhavn-sundhed-aps")
    second = OrganisationFactory(name="København Sundhed A/S", slug="kbenhavn-sundhed-as-2")
    chosen = OrganisationFactory(name="Københavns Klinik", slug="kbh-klinik")
    plain = OrganisationFactory(name="Odense Data", slug="odense-data")
    Municipality.objects.filter(name="Ærø").update(slug="dk-r")
    tag = Tag.objects.create(name="sundhedsøkonomi", slug="sundhedskonomi")

    rewrite_lost_letters(MODELS, SlugRedirect)
    rewrite_lost_letters(MODELS, SlugRedirect)  # a second run changes nothing

    slugs = dict(Organisation.objects.values_list("pk", "slug"))
    assert slugs[lost.pk] == "koebenhavn-sundhed-aps"
    assert slugs[second.pk] == "koebenhavn-sundhed-as"
    assert (slugs[chosen.pk], slugs[plain.pk]) == ("kbh-klinik", "odense-data")
    assert municipality("Ærø").slug == "dk-aeroe"
    tag.refresh_from_db()
    assert tag.slug == "sundhedsoekonomi"
    assert set(SlugRedirect.objects.values_list("kind", "old_slug", "new_slug")) == {
        ("organisation", "kbenhavn-sundhed-aps", "koebenhavn-sundhed-aps"),
        ("organisation", "kbenhavn-sundhed-as-2", "koebenhavn-sundhed-as"),
        ("municipality", "dk-r", "dk-aeroe"),
        ("tag", "sundhedskonomi", "sundhedsoekonomi"),
    }


@pytest.fixture
def renamed(db):
    organisation = OrganisationFactory(name="København Sundhed ApS", slug="kbenhavn-sundhed-aps")
    Municipality.objects.filter(name="Ærø").update(slug="dk-r")
    rewrite_lost_letters(MODELS, SlugRedirect)
    organisation.refresh_from_db()
    return organisation


def test_an_old_profile_address_redirects_permanently_to_the_new_one(client, renamed):
    response = client.get("/organisations/kbenhavn-sundhed-aps/?tab=needs")

    assert response.status_code == 301
    assert response["Location"] == "/organisations/koebenhavn-sundhed-aps/?tab=needs"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/organisations/kbenhavn-findes-ikke/").status_code == 404


def test_an_old_my_organisation_address_redirects_for_its_admin(client, renamed):
    client.force_login(org_admin(renamed))

    response = client.get("/my-organisation/kbenhavn-sundhed-aps/edit/")

    assert response.status_code == 301
    assert response["Location"] == reverse("organisation_edit", args=[renamed.slug])


def test_an_old_address_of_a_private_profile_stays_not_found(client, renamed):
    Organisation.objects.filter(pk=renamed.pk).update(is_public=False)

    assert client.get("/organisations/kbenhavn-sundhed-aps/").status_code == 404


def test_an_old_municipality_slug_in_a_filter_redirects_to_the_new_one(client, renamed):
    response = client.get(reverse("directory"), {"municipality": "dk-r", "kind": "sme"})

    assert response.status_code == 301
    assert response["Location"] == f"{reverse('directory')}?municipality=dk-aeroe&kind=sme"
    assert client.get(response["Location"]).status_code == 200


def test_a_facet_value_that_is_no_slug_is_not_looked_up(client, db):
    response = client.get("/directory/", {"municipality": "\x00Ô r", "region": "a b"})
    assert response.status_code in (200, 400)
