"""`manage.py seed_demo --size small`: the demo data, its logins, and that a re-run adds nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from clusters.models import Cluster, ClusterStaff, Membership
from network.demo import DEMO_PASSWORD
from network.demo.users import DEMO_LOGINS
from network.identifiers import is_valid_cvr, is_valid_orgnr
from network.models import Affiliation, KnowledgeOffer, Organisation, TestSite, User
from network.models.organisations import KNOWLEDGE_OFFER_OWNER_KINDS, TEST_SITE_OWNER_KINDS

pytestmark = pytest.mark.django_db

CLUSTERS = {
    "Welfare Tech",
    "LifeScience Innovation North Denmark",
    "MedTech Innovation Consortium",
    "Copenhagen Healthtech Cluster",
    "Norway Health Tech",
    "Oslo Cancer Cluster",
    "Norwegian Smart Care Cluster",
    "The Life Science Cluster",
}


def seed_small() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):  # a local demo, as `make run` and `make demo` seed it
        call_command("seed_demo", size="small", stdout=out)
    return out.getvalue()


def row_counts() -> dict:
    """Rows in every table Django knows, many-to-many tables and history included."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_small_demo_has_the_clusters_and_valid_companies():
    seed_small()

    assert set(Cluster.objects.values_list("name", flat=True)) == CLUSTERS
    for cluster in Cluster.objects.prefetch_related("tiers", "regions"):
        assert 2 <= cluster.tiers.count() <= 3
        assert {tier.currency for tier in cluster.tiers.all()} == {
            "DKK" if cluster.country == "DK" else "NOK"
        }
        assert {region.country for region in cluster.regions.all()} == {cluster.country}

    smes = list(Organisation.objects.filter(kind="sme").select_related("municipality"))
    assert len(smes) >= 200
    for sme in smes:
        if sme.country == "DK":
            assert is_valid_cvr(sme.cvr), sme.name
            assert not sme.orgnr
        else:
            assert is_valid_orgnr(sme.orgnr), sme.name
            assert not sme.cvr
        assert sme.municipality.country == sme.country, sme.name
        assert sme.region_id == sme.municipality.region_id
        towns = {(town["postcode"], town["town"]) for town in sme.municipality.towns}
        assert (sme.postcode, sme.town) in towns, sme.name
        assert sme.street
        assert sme.description
        assert 3 <= sme.readiness_level <= 9
        assert 1 <= sme.focus_areas.count() <= 2
    assert len({sme.cvr for sme in smes if sme.cvr}) == sum(1 for sme in smes if sme.cvr)
    assert {"da", "nb", "en"} <= {sme.language for sme in smes}


def test_small_demo_has_offers_people_and_memberships():
    seed_small()

    assert TestSite.objects.count() >= 100
    assert KnowledgeOffer.objects.count() >= 50
    assert set(TestSite.objects.values_list("owner__kind", flat=True)) <= TEST_SITE_OWNER_KINDS
    assert set(KnowledgeOffer.objects.values_list("owner__kind", flat=True)) <= (
        KNOWLEDGE_OFFER_OWNER_KINDS
    )
    assert not TestSite.objects.filter(municipality__isnull=True).exists()

    for kind, name in [
        ("region", "Region Syddanmark"),
        ("municipality", "Odense Kommune"),
        ("municipality", "Bergen kommune"),
        ("hospital", "Rigshospitalet"),
        ("hospital", "Haukeland universitetssjukehus"),
        ("university", "Aalborg Universitet"),
        ("gts_institute", "FORCE Technology"),
        ("university_college", "VIA University College"),
    ]:
        assert Organisation.objects.filter(kind=kind, name=name).exists(), name

    memberships = Membership.objects.select_related("cluster", "organisation", "tier")
    assert 10 <= memberships.filter(status="applied").count() <= 25
    assert memberships.filter(status="lapsed").exists()
    for membership in memberships:
        assert membership.organisation.country == membership.cluster.country
        assert membership.tier.cluster_id == membership.cluster_id
        assert membership.annual_fee == membership.tier.annual_fee
        if membership.status == "applied":
            assert membership.motivation
        else:
            assert membership.period_start <= membership.period_end
    assert Affiliation.objects.filter(role="admin").count() >= 300


def test_every_demo_login_signs_in(client):
    output = seed_small()

    assert len(DEMO_LOGINS) == 7
    for login in DEMO_LOGINS:
        assert login.email in output
        user = authenticate(username=login.email, password=DEMO_PASSWORD)
        assert user is not None, login.email
        assert user.emailaddress_set.filter(email=login.email, verified=True, primary=True)
        assert user.person.email == login.email

        response = client.post(
            reverse("account_login"), {"login": login.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, login.email
        assert client.session.get("_auth_user_id") == str(user.pk), login.email
        client.logout()


def test_demo_logins_have_their_roles():
    seed_small()

    admin = User.objects.get(email="admin@demo.healthtech.example")
    assert admin.is_network_admin
    assert admin.is_staff
    staff = {
        (row.user.email, row.cluster.name, row.role)
        for row in ClusterStaff.objects.select_related("user", "cluster")
    }
    assert ("manager.welfaretech@demo.healthtech.example", "Welfare Tech", "manager") in staff
    assert (
        "coordinator.nht@demo.healthtech.example",
        "Norway Health Tech",
        "coordinator",
    ) in staff
    roles = {
        (a.person.user.email, a.organisation.kind, a.role)
        for a in Affiliation.objects.filter(person__user__isnull=False).select_related(
            "person__user", "organisation"
        )
    }
    assert ("sme.admin@demo.healthtech.example", "sme", "admin") in roles
    assert ("sme.member@demo.healthtech.example", "sme", "member") in roles
    assert ("odense@demo.healthtech.example", "municipality", "admin") in roles
    assert ("hospital@demo.healthtech.example", "hospital", "admin") in roles


def test_running_twice_changes_no_row_count():
    seed_small()
    first = row_counts()
    seed_small()
    assert row_counts() == first


def test_size_must_be_small_or_large():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--size", "huge")


# --- Not on a production database by mistake ------------------------------------------------------
def test_with_debug_off_it_refuses_without_force_and_changes_nothing(settings):
    settings.DEBUG = False
    before = row_counts()
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", size="small", stdout=StringIO())
    assert row_counts() == before


def test_forced_with_debug_off_no_login_gets_the_published_password(settings):
    settings.DEBUG = False
    admin = DEMO_LOGINS[0]
    # A demo login someone created earlier with the published password loses it too.
    User.objects.create_user(email=admin.email, password=DEMO_PASSWORD)
    out = StringIO()
    call_command("seed_demo", size="small", force=True, stdout=out)
    output = out.getvalue()
    assert DEMO_PASSWORD not in output
    assert "unusable passwords" in output
    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        assert not user.has_usable_password(), login.email
        assert authenticate(username=login.email, password=DEMO_PASSWORD) is None
