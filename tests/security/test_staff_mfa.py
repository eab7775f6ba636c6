"""Network admins and cluster staff cannot work before they have enrolled TOTP."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from tests.factories import ClusterFactory, ClusterStaffFactory, UserFactory, enrol_totp

pytestmark = pytest.mark.django_db

ENROL_URL = "/accounts/2fa/totp/activate/"


@pytest.fixture
def cluster():
    return ClusterFactory()


@pytest.fixture
def unenrolled_staff(cluster):
    return ClusterStaffFactory(cluster=cluster, role="coordinator", totp=False).user


def test_staff_without_totp_are_sent_to_enrolment_from_staff_pages(
    client, cluster, unenrolled_staff
):
    client.force_login(unenrolled_staff)
    response = client.get(reverse("clusters:member_list", args=[cluster.slug]))
    assert response.status_code == 302
    assert response["Location"] == ENROL_URL == reverse("mfa_activate_totp")
    # allauth asks for the password again before showing the set-up; the reason is shown,
    # in Danish unless the person chose another language.
    page = client.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert "Opsæt en godkendelsesapp" in page.content.decode()


def test_posts_are_refused_too_and_change_nothing(client, cluster, unenrolled_staff):
    client.force_login(unenrolled_staff)
    response = client.post(
        reverse("clusters:bulk_action", args=[cluster.slug]), {"action": "approve"}
    )
    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


def test_htmx_requests_are_redirected_by_htmx(client, cluster, unenrolled_staff):
    client.force_login(unenrolled_staff)
    response = client.get(
        reverse("clusters:member_list", args=[cluster.slug]), headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == ENROL_URL


def test_network_admin_without_totp_cannot_reach_admin_pages(client):
    admin = UserFactory(is_network_admin=True, totp=False)
    client.force_login(admin)
    assert client.get(reverse("clusters:index"))["Location"] == ENROL_URL
    assert client.get("/django-admin/")["Location"] == ENROL_URL


def test_sign_out_privacy_rights_and_language_stay_reachable(client, unenrolled_staff):
    client.force_login(unenrolled_staff)
    assert client.get(reverse("privacy_settings")).status_code == 200
    assert client.get(reverse("privacy_policy")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302


def test_enrolled_staff_reach_their_pages(client, cluster, unenrolled_staff):
    enrol_totp(unenrolled_staff)
    client.force_login(unenrolled_staff)
    assert client.get(reverse("clusters:member_list", args=[cluster.slug])).status_code == 200


def test_organisation_users_are_not_asked_to_enrol(client, owner):
    client.force_login(owner)
    response = client.get(reverse("my_organisations"))
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=owner).exists()


def test_enrolled_staff_sign_in_with_password_and_a_current_code(client, cluster):
    staff = ClusterStaffFactory(cluster=cluster).user
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # The password alone does not sign in.
    assert client.get(reverse("clusters:member_list", args=[cluster.slug])).status_code == 302

    secret = Authenticator.objects.get(user=staff, type="totp").wrap().instance.data["secret"]
    from allauth.mfa.utils import decrypt

    counter = next(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(decrypt(secret), counter))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("clusters:member_list", args=[cluster.slug])).status_code == 200


def test_deploy_check_refuses_switching_enforcement_off():
    from tests.security.test_deploy_settings import run_manage

    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 64 + "-not-a-real-secret-but-long-enough-yes",
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DJANGO_HTTPS="1",
        PORTAL_STAFF_MFA_REQUIRED="0",
    )
    assert result.returncode != 0
    assert "network.W001" in result.stdout + result.stderr


# --- The staff and TOTP flags are cached; granting a role or removing TOTP clears them ----------


def _flag_queries(captured) -> list:
    return [q["sql"] for q in captured if "mfa_authenticator" in q["sql"]]


def test_the_flags_are_read_once_then_come_from_the_cache(client, cluster):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = ClusterStaffFactory(cluster=cluster).user
    client.force_login(staff)
    url = reverse("clusters:member_list", args=[cluster.slug])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert len(_flag_queries(first.captured_queries)) == 1
    assert _flag_queries(again.captured_queries) == []


def test_a_role_granted_without_totp_sends_them_to_enrolment_at_once(client, cluster):
    user = UserFactory(totp=False)
    client.force_login(user)
    assert client.get(reverse("my_organisations")).status_code == 200  # flags now cached
    ClusterStaffFactory(cluster=cluster, user=user, role="coordinator", totp=False)
    response = client.get(reverse("my_organisations"))
    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


def test_staff_who_remove_their_totp_are_sent_to_enrolment_at_once(client, cluster):
    staff = ClusterStaffFactory(cluster=cluster).user
    client.force_login(staff)
    url = reverse("clusters:member_list", args=[cluster.slug])
    assert client.get(url).status_code == 200
    Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).delete()
    assert client.get(url)["Location"] == ENROL_URL


def test_a_user_made_network_admin_without_totp_is_sent_to_enrolment_at_once(client):
    user = UserFactory(totp=False)
    client.force_login(user)
    assert client.get(reverse("my_organisations")).status_code == 200
    user.is_network_admin = True
    user.save(update_fields=["is_network_admin"])
    assert client.get(reverse("my_organisations"))["Location"] == ENROL_URL


# --- The menu reuses the cached flags: staffing a cluster, working for an SME --------------------


def test_menu_follows_role_and_company_changes_at_once(client, cluster):
    from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

    user = UserFactory()
    client.force_login(user)
    matches_url = 'data-testid="nav-matches"'
    members_url = 'href="{}"'.format(reverse("clusters:member_list", args=[cluster.slug]))
    page = client.get(reverse("my_organisations")).content.decode()  # flags now cached
    assert matches_url not in page
    assert members_url not in page

    AffiliationFactory(person=PersonFactory(user=user), organisation=OrganisationFactory())
    assert matches_url in client.get(reverse("my_organisations")).content.decode()
    ClusterStaffFactory(cluster=cluster, user=user, role="coordinator")
    assert members_url in client.get(reverse("my_organisations")).content.decode()


def test_staff_pages_ask_nothing_the_flags_already_answered(client, cluster):
    """A warmed-up member list: no query for the menu's "staffs a cluster?" or "works for an
    SME?" beyond the cached flags."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = ClusterStaffFactory(cluster=cluster).user
    client.force_login(staff)
    url = reverse("clusters:member_list", args=[cluster.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert not [q for q in again.captured_queries if "network_affiliation" in q["sql"]]


def test_menu_follows_a_merge_that_moves_the_users_company(
    client, django_capture_on_commit_callbacks
):
    """A merge moves affiliations in bulk, without save signals: the merge itself tells."""
    from network.merge import organisation_merge
    from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

    user = UserFactory()
    company = OrganisationFactory(kind="sme", country="DK")
    municipality = OrganisationFactory(kind="municipality", country="DK")
    AffiliationFactory(person=PersonFactory(user=user), organisation=company)
    client.force_login(user)
    matches_url = 'data-testid="nav-matches"'
    assert matches_url in client.get(reverse("my_organisations")).content.decode()  # cached

    with django_capture_on_commit_callbacks(execute=True):
        organisation_merge(kept=municipality, removed=company, user=None)
    assert matches_url not in client.get(reverse("my_organisations")).content.decode()
