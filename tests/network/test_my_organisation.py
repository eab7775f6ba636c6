import pytest
from django.urls import reverse

from network import moderation
from network.models import Organisation, TestSite
from tests.factories import (
    KnowledgeOfferFactory,
    OrganisationFactory,
    TestSiteFactory,
    UserFactory,
    focus_area,
)

pytestmark = pytest.mark.django_db


def edit_url(organisation):
    return reverse("organisation_edit", args=[organisation.slug])


def profile_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "country": organisation.country,
        "cvr": organisation.cvr,
        "orgnr": "",
        "description": organisation.description,
        "language": "da",
        "website": "",
        "email": "",
        "phone": "",
        "street": "Forskerparken 10",
        "postcode": "5230",
        "town": "Odense M",
        "municipality": organisation.municipality_id,
        "focus_areas": [focus_area("health-data").pk],
        "tag_names": "faldsensorer, nattevagt",
        "is_public": "on",
    }
    data.update(changes)
    return data


class TestEditProfile:
    def test_anonymous_is_sent_to_login(self, client, organisation):
        response = client.get(edit_url(organisation))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]

    def test_admin_edits_own_profile(self, client, owner, organisation):
        client.force_login(owner)
        assert client.get(edit_url(organisation)).status_code == 200
        response = client.post(
            edit_url(organisation), profile_data(organisation, name="Faldsikker A/S")
        )
        assert response.status_code == 302
        # A published profile's changes wait for review; once approved they are the profile.
        organisation.refresh_from_db()
        assert organisation.name == "Faldsikker ApS"
        moderation.approve(organisation, actor=UserFactory(is_network_admin=True))
        organisation.refresh_from_db()
        assert organisation.name == "Faldsikker A/S"
        assert organisation.town == "Odense M"
        assert sorted(t.name for t in organisation.tags.all()) == ["faldsensorer", "nattevagt"]
        assert list(organisation.focus_areas.values_list("slug", flat=True)) == ["health-data"]

    def test_member_without_admin_role_is_forbidden(self, client, colleague, organisation):
        client.force_login(colleague)
        assert client.get(edit_url(organisation)).status_code == 403
        response = client.post(edit_url(organisation), profile_data(organisation, name="Hacked"))
        assert response.status_code == 403
        organisation.refresh_from_db()
        assert organisation.name == "Faldsikker ApS"

    def test_admin_of_another_organisation_is_forbidden(self, client, outsider, organisation):
        client.force_login(outsider)
        response = client.post(edit_url(organisation), profile_data(organisation, name="Hacked"))
        assert response.status_code == 403
        assert Organisation.objects.get(pk=organisation.pk).name == "Faldsikker ApS"

    def test_outsider_gets_404_for_a_private_organisation(self, client, outsider):
        private = OrganisationFactory(name="Privat ApS", is_public=False)
        client.force_login(outsider)
        assert client.get(edit_url(private)).status_code == 404

    def test_network_admin_may_edit_any_profile(self, client, network_admin, organisation):
        client.force_login(network_admin)
        response = client.post(edit_url(organisation), profile_data(organisation, name="Ny ApS"))
        assert response.status_code == 302

    def test_bad_cvr_shows_translated_error_and_keeps_what_was_typed(
        self, client, owner, organisation
    ):
        client.force_login(owner)
        data = profile_data(
            organisation, cvr="12345678", description="Ny tekst, som ikke må gå tabt."
        )
        response = client.post(edit_url(organisation), data, HTTP_ACCEPT_LANGUAGE="da")
        assert response.status_code == 200
        body = response.content.decode()
        assert "12345678" in body
        assert "Ny tekst, som ikke må gå tabt." in body
        assert "faldsensorer, nattevagt" in body
        assert 'class="form-error-message"' in body
        organisation.refresh_from_db()
        assert organisation.description != "Ny tekst, som ikke må gå tabt."

    def test_wrong_method_on_delete_is_refused(self, client, owner, organisation):
        site_owner = OrganisationFactory(kind="municipality", cvr="")
        site = TestSiteFactory(owner=site_owner)
        client.force_login(owner)
        url = reverse("test_site_delete", args=[site_owner.slug, site.pk])
        assert client.get(url).status_code == 405


class TestTestSites:
    @pytest.fixture
    def municipality(self, db):
        return OrganisationFactory(name="Odense Kommune", kind="municipality", cvr="")

    @pytest.fixture
    def municipality_admin(self, municipality):
        from tests.conftest import person_with_login

        return person_with_login(municipality, "admin", "sundhed@odense.example")

    def site_data(self, **changes):
        data = {
            "name": "Plejecenter Ærtebjerghave",
            "site_type": "nursing_home",
            "description": "60 boliger",
            "capabilities": "Sensorer, personale, nattevagt",
            "capacity": 2,
            "tests_running": 0,
            "available_from": "2026-01-01",
            "available_until": "2026-12-31",
            "trl_min": 5,
            "trl_max": 8,
            "focus_areas": [focus_area("equality-near-citizen").pk],
            "language": "da",
            "is_public": "on",
            "tag_names": "fald",
        }
        data.update(changes)
        return data

    def test_admin_adds_and_deletes_a_test_site(self, client, municipality, municipality_admin):
        client.force_login(municipality_admin)
        response = client.post(
            reverse("test_site_create", args=[municipality.slug]), self.site_data()
        )
        assert response.status_code == 302
        site = TestSite.objects.get(owner=municipality)
        assert site.trl_min == 5
        assert client.get(municipality.get_absolute_url()).content.decode().count(site.name) >= 1
        url = reverse("test_site_delete", args=[municipality.slug, site.pk])
        asked = client.post(url)  # one click only asks
        assert asked.status_code == 200
        assert TestSite.objects.filter(pk=site.pk).exists()
        client.post(url, {"confirm": "yes"})
        assert not TestSite.objects.filter(pk=site.pk).exists()

    def test_inverted_readiness_range_is_refused_and_nothing_is_lost(
        self, client, municipality, municipality_admin
    ):
        client.force_login(municipality_admin)
        response = client.post(
            reverse("test_site_create", args=[municipality.slug]),
            self.site_data(trl_min=8, trl_max=3),
        )
        assert response.status_code == 200
        assert "Plejecenter Ærtebjerghave" in response.content.decode()
        assert not TestSite.objects.exists()

    def test_sme_cannot_have_test_sites(self, client, owner, organisation):
        client.force_login(owner)
        response = client.get(reverse("test_site_create", args=[organisation.slug]))
        assert response.status_code == 403

    def test_cannot_edit_another_organisations_site(self, client, municipality_admin):
        other = TestSiteFactory()
        client.force_login(municipality_admin)
        url = reverse("test_site_edit", args=[other.owner.slug, other.pk])
        assert client.post(url, self.site_data(name="Overtaget")).status_code == 403
        other.refresh_from_db()
        assert other.name != "Overtaget"


def test_knowledge_offer_owned_by_university_is_editable_by_its_admin(client):
    from tests.conftest import person_with_login

    offer = KnowledgeOfferFactory()
    admin = person_with_login(offer.owner, "admin", "tto@uni.example")
    client.force_login(admin)
    url = reverse("offer_edit", args=[offer.owner.slug, offer.pk])
    assert client.get(url).status_code == 200


def test_my_organisations_lists_the_users_organisations(client, owner, organisation):
    client.force_login(owner)
    response = client.get(reverse("my_organisations"))
    assert organisation.name in response.content.decode()
