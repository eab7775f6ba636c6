"""Joining the network: registering an organisation, join requests, invitations, people."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from network.joining import services
from network.joining.services import JoiningError, Registration
from network.models import (
    Affiliation,
    Invitation,
    JoinRequest,
    Municipality,
    Organisation,
    Person,
    RegisterExtract,
    ReviewStatus,
)
from tests.conftest import person_with_login
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.language import danish

VALID_CVR = "12345674"  # 1*2+2*7+3*6+4*5+5*4+6*3+7*2+4*1 = 110, divisible by 11
VALID_ORGNR = "923609016"


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are read as their msgids (English); the pages' language is tested elsewhere."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _no_registers(settings):
    """No test here asks a real register (the clients have tests of their own)."""
    settings.PORTAL_BRREG_URL = ""
    settings.PORTAL_CVR_URL = ""


@pytest.fixture
def newcomer(db):
    """A signed-up person in no organisation."""
    user = UserFactory(email="ny@startup.example")
    PersonFactory(user=user, first_name="Nina", last_name="Ny", email=user.email)
    return user


def _odense():
    return Municipality.objects.get(country="DK", name="Odense")


def _register(user, **changes):
    data = {"country": "DK", "number": VALID_CVR, "name": "Sovevagt ApS", "kind": "sme"}
    return services.organisation_register(user=user, registration=Registration(**data | changes))


# --- Registering ----------------------------------------------------------------------------------
def test_registering_makes_a_draft_under_review_with_the_person_as_admin(newcomer, network_admin):
    organisation = _register(newcomer, municipality=_odense(), industry_code="620100")
    assert organisation.cvr == VALID_CVR
    assert organisation.review_status == ReviewStatus.PENDING
    assert not organisation.is_published
    assert organisation.region == _odense().region
    affiliation = Affiliation.objects.get(organisation=organisation)
    assert affiliation.person.user == newcomer
    assert affiliation.role == "admin"
    extract = RegisterExtract.objects.get(organisation=organisation)
    assert extract.number_valid
    assert extract.status == "not_asked"
    # Nobody reviews it yet but the network admins: they are told.
    assert network_admin.notifications.filter(kind="review_requested").exists()


@pytest.mark.parametrize(
    ("country", "number", "message"),
    [
        ("DK", "12345678", "not a valid CVR number"),
        ("DK", VALID_ORGNR, "is a Norwegian organisation number"),
        ("NO", VALID_CVR, "is a Danish CVR number"),
        ("NO", "923609017", "not a valid Norwegian organisation number"),
    ],
)
def test_a_wrong_number_is_refused_and_nothing_is_written(newcomer, country, number, message):
    before = Organisation.objects.count()
    with pytest.raises(JoiningError, match=message):
        _register(newcomer, country=country, number=number)
    assert Organisation.objects.count() == before


def test_a_number_already_here_is_never_registered_twice(newcomer):
    existing = OrganisationFactory(name="Sovevagt A/S", cvr=VALID_CVR)
    with pytest.raises(JoiningError) as refused:
        _register(newcomer, number=f"DK {VALID_CVR[:4]} {VALID_CVR[4:]}")
    assert refused.value.existing == existing
    assert Organisation.objects.filter(cvr=VALID_CVR).count() == 1


def test_public_bodies_cannot_be_registered_by_a_person(newcomer):
    with pytest.raises(JoiningError, match="ask to join"):
        _register(newcomer, kind="municipality")


def test_the_register_page_checks_the_number_then_offers_the_details(client, newcomer):
    client.force_login(newcomer)
    url = reverse("joining:register")
    page = client.post(url, {"step": "number", "country": "DK", "number": "12345678"})
    assert "not a valid CVR number" in page.content.decode()
    page = client.post(url, {"step": "number", "country": "DK", "number": VALID_CVR})
    assert page.context["step"] == "details"
    assert page.context["form"].initial["number"] == VALID_CVR
    page = client.post(
        url,
        {
            "step": "details",
            "country": "DK",
            "number": VALID_CVR,
            "name": "Sovevagt ApS",
            "kind": "sme",
            "municipality": _odense().pk,
            "language": "da",
        },
    )
    organisation = Organisation.objects.get(cvr=VALID_CVR)
    assert page.status_code == 302
    assert page.url == f"{reverse('clusters:apply')}?organisation={organisation.slug}"


def test_the_register_page_offers_to_join_an_organisation_already_here(client, newcomer):
    existing = OrganisationFactory(name="Sovevagt A/S", cvr=VALID_CVR)
    client.force_login(newcomer)
    page = client.post(
        reverse("joining:register"), {"step": "number", "country": "DK", "number": VALID_CVR}
    )
    assert page.context["existing"] == existing
    assert reverse("joining:ask", args=[existing.slug]) in page.content.decode()


def test_details_with_a_municipality_of_the_other_country_are_refused(client, newcomer):
    client.force_login(newcomer)
    page = client.post(
        reverse("joining:register"),
        {
            "step": "details",
            "country": "NO",
            "number": VALID_ORGNR,
            "name": "Søvnvakt AS",
            "kind": "sme",
            "municipality": _odense().pk,
            "language": "nb",
        },
    )
    assert page.status_code == 200
    assert "not in the chosen country" in page.content.decode()
    assert not Organisation.objects.filter(orgnr=VALID_ORGNR).exists()


def test_after_sign_up_and_confirmation_a_person_lands_where_they_can_join(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "ny@klinik.example",
            "password1": "lang-og-sikker-42",
            "password2": "lang-og-sikker-42",
        },
    )
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.post(path)
    assert response.status_code == 302
    assert response.url == reverse("joining:start")
    page = client.get(reverse("my_organisations"))
    assert reverse("joining:register") in page.content.decode()


# --- Join requests --------------------------------------------------------------------------------
def test_an_employee_asks_to_join_and_an_admin_approves_with_a_role(
    client, newcomer, organisation, owner, django_capture_on_commit_callbacks
):
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("joining:ask", args=[organisation.slug]), {"message": "Udvikler her"})
    join_request = JoinRequest.objects.get(organisation=organisation)
    assert owner.notifications.filter(kind="join_requested").exists()
    assert any(owner.email in message.to for message in mail.outbox)

    client.force_login(owner)
    page = client.get(reverse("joining:requests", args=[organisation.slug]))
    assert "Udvikler her" in page.content.decode()
    client.post(
        reverse("joining:answer", args=[organisation.slug, join_request.pk, "approve"]),
        {"role": "admin"},
    )
    affiliation = Affiliation.objects.get(organisation=organisation, person__user=newcomer)
    assert affiliation.role == "admin"
    assert newcomer.notifications.filter(kind="join_approved").exists()


def test_a_declined_request_tells_the_person_the_reason(newcomer, organisation, owner):
    join_request = services.join_request_create(user=newcomer, organisation=organisation)
    services.join_request_decline(join_request=join_request, actor=owner, reason="Ukendt")
    assert not Affiliation.objects.filter(person__user=newcomer).exists()
    note = newcomer.notifications.get(kind="join_declined")
    assert "Ukendt" in note.body


def test_asking_twice_or_when_already_in_is_refused(newcomer, organisation, colleague):
    services.join_request_create(user=newcomer, organisation=organisation)
    with pytest.raises(JoiningError, match="already asked"):
        services.join_request_create(user=newcomer, organisation=organisation)
    with pytest.raises(JoiningError, match="already work"):
        services.join_request_create(user=colleague, organisation=organisation)


def test_only_admins_answer_join_requests(
    client, newcomer, organisation, owner, colleague, outsider
):
    join_request = services.join_request_create(user=newcomer, organisation=organisation)
    url = reverse("joining:answer", args=[organisation.slug, join_request.pk, "approve"])
    client.force_login(colleague)
    assert client.post(url, {"role": "member"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url, {"role": "member"}).status_code in (403, 404)
    assert client.get(reverse("joining:requests", args=[organisation.slug])).status_code in (
        403,
        404,
    )
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_without_admins_the_clusters_staff_answer(client, newcomer):
    from clusters.models import MembershipStatus
    from tests.factories import ClusterFactory, ClusterStaffFactory, MembershipFactory

    company = OrganisationFactory(name="Uden Admin ApS")
    cluster, other_cluster = ClusterFactory(), ClusterFactory()
    MembershipFactory(organisation=company, cluster=cluster, status=MembershipStatus.ACTIVE)
    staff = ClusterStaffFactory(cluster=cluster).user
    stranger = ClusterStaffFactory(cluster=other_cluster).user
    join_request = services.join_request_create(user=newcomer, organisation=company)
    assert staff.notifications.filter(kind="join_requested").exists()
    assert not stranger.notifications.exists()
    url = reverse("joining:answer", args=[company.slug, join_request.pk, "approve"])
    client.force_login(stranger)
    assert client.post(url, {"role": "member"}).status_code == 403
    client.force_login(staff)
    client.post(url, {"role": "admin"})
    assert Affiliation.objects.get(organisation=company, person__user=newcomer).role == "admin"


def test_join_requests_expire_after_30_days_and_the_person_is_told(newcomer, organisation, owner):
    join_request = services.join_request_create(user=newcomer, organisation=organisation)
    with time_machine.travel(timezone.now() + timedelta(days=29, hours=23)):
        assert services.join_requests_expire() == 0
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        assert services.join_requests_expire() == 1
        assert services.join_requests_expire() == 0
        with pytest.raises(JoiningError, match="expired"):
            services.join_request_approve(join_request=join_request, actor=owner, role="member")
    join_request.refresh_from_db()
    assert join_request.status == "expired"
    assert newcomer.notifications.filter(kind="join_expired").count() == 1


# --- Municipalities -------------------------------------------------------------------------------
def test_a_municipal_employee_joins_the_one_odense_kommune(client, newcomer):
    from tests.factories import ClusterFactory, ClusterStaffFactory

    cluster = ClusterFactory()
    cluster.regions.add(_odense().region)
    staff = ClusterStaffFactory(cluster=cluster).user
    client.force_login(newcomer)
    client.post(
        reverse("joining:municipality"), {"municipality": _odense().pk, "message": "Sundhed"}
    )
    client.post(reverse("joining:municipality"), {"municipality": _odense().pk})  # again
    odense = Organisation.objects.get(kind="municipality", municipality=_odense())
    assert odense.name == "Odense Kommune"
    assert odense.is_published
    assert JoinRequest.objects.filter(organisation=odense).count() == 1
    assert staff.notifications.filter(kind="join_requested").exists()

    other = UserFactory(email="kollega@odense.example")
    client.force_login(other)
    client.post(reverse("joining:municipality"), {"municipality": _odense().pk})
    assert Organisation.objects.filter(kind="municipality", municipality=_odense()).count() == 1


def test_a_public_body_is_answered_by_staff_not_by_whoever_is_its_admin(newcomer):
    odense = services.municipality_organisation(_odense())
    early = person_with_login(odense, "admin", "tidlig@odense.example")
    join_request = services.join_request_create(user=newcomer, organisation=odense)
    from network.joining import rules

    assert not rules.may_answer_join_requests(early, odense)
    assert join_request.organisation == odense


# --- Invitations ----------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _send_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Invitations are emailed when the transaction commits; tests run inside one, so the
    emails are sent when the test's own call returns."""
    create = services.invitation_create

    def create_and_send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return create(**kwargs)

    monkeypatch.setattr(services, "invitation_create", create_and_send)


def _invitation_url_from_mail(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    return re.search(r"https?://\S+/join/invitation/\S+/", message.body).group(0)


def test_an_admin_invites_a_colleague_who_creates_an_account_and_joins(client, organisation, owner):
    client.force_login(owner)
    client.post(
        reverse("joining:people", args=[organisation.slug]),
        {"email": "ny.kollega@faldsikker.example", "role": "member"},
    )
    link = _invitation_url_from_mail("ny.kollega@faldsikker.example")
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    page = client.get(f"/{path}")
    assert page.status_code == 200
    client.post(
        f"/{path}",
        {
            "first_name": "Ny",
            "last_name": "Kollega",
            "password1": "lang-og-sikker-42",
            "password2": "lang-og-sikker-42",
        },
    )
    affiliation = Affiliation.objects.get(
        organisation=organisation, person__user__email="ny.kollega@faldsikker.example"
    )
    assert affiliation.role == "member"
    assert owner.notifications.filter(kind="invitation_accepted").exists()
    # Used once: the same link no longer works.
    client.logout()
    page = client.get(f"/{path}")
    assert page.status_code == 410
    assert Invitation.objects.get().accepted_at is not None
    used = "This invitation has already been used."
    assert page.context["problem"] in {used, danish(used)}


def test_an_expired_or_forged_link_is_refused(client, organisation, owner):
    services.invitation_create(
        organisation=organisation, email="sen@faldsikker.example", role="member", actor=owner
    )
    link = _invitation_url_from_mail("sen@faldsikker.example")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        page = client.get(path)
        assert page.status_code == 410
        assert "expired" in page.content.decode()
    assert client.get(path[:-5] + "xxxx/").status_code == 410
    assert not Affiliation.objects.filter(person__user__email="sen@faldsikker.example").exists()


def test_a_new_invitation_replaces_the_old_link(client, organisation, owner):
    services.invitation_create(
        organisation=organisation, email="to@faldsikker.example", role="member", actor=owner
    )
    first = _invitation_url_from_mail("to@faldsikker.example")
    services.invitation_create(
        organisation=organisation, email="to@faldsikker.example", role="admin", actor=owner
    )
    path = "/" + first.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 410
    assert Invitation.objects.open().get(email="to@faldsikker.example").role == "admin"


def test_inviting_someone_already_in_the_organisation_is_refused(
    client, organisation, owner, colleague
):
    client.force_login(owner)
    page = client.post(
        reverse("joining:people", args=[organisation.slug]),
        {"email": colleague.email.upper(), "role": "member"},
    )
    assert "already has an account" in page.content.decode()
    assert not Invitation.objects.exists()


def test_only_admins_invite(client, organisation, colleague, outsider):
    url = reverse("joining:people", args=[organisation.slug])
    client.force_login(colleague)
    assert client.post(url, {"email": "x@y.example", "role": "admin"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url, {"email": "x@y.example", "role": "admin"}).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 302
    assert not Invitation.objects.exists()


def test_accepting_links_the_contact_person_staff_added_instead_of_a_second_person(
    organisation, owner
):
    contact = PersonFactory(first_name="Karin", email="karin@faldsikker.example", user=None)
    contact_affiliation = AffiliationFactory(person=contact, organisation=organisation)
    invitation = services.invitation_create(
        organisation=organisation,
        email=contact.email,
        role="member",
        person=contact,
        actor=owner,
    )
    user = UserFactory(email="karin@faldsikker.example")
    services.invitation_accept(invitation=invitation, user=user)
    contact.refresh_from_db()
    assert contact.user == user
    assert Person.objects.filter(email__iexact="karin@faldsikker.example").count() == 1
    assert Affiliation.objects.get(pk=contact_affiliation.pk).person.user == user


def test_an_existing_person_absorbs_the_contact_record(organisation, owner):
    from clusters.models import MembershipStatus
    from tests.factories import ClusterFactory, MembershipFactory

    contact = PersonFactory(first_name="Karin", email="karin@faldsikker.example", user=None)
    AffiliationFactory(person=contact, organisation=organisation)
    membership = MembershipFactory(
        organisation=organisation,
        cluster=ClusterFactory(),
        status=MembershipStatus.ACTIVE,
        primary_contact=contact,
    )
    other = OrganisationFactory(name="Tidligere Job ApS")
    user = person_with_login(other, "member", "karin@faldsikker.example")
    invitation = services.invitation_create(
        organisation=organisation, email=user.email, role="member", person=contact, actor=owner
    )
    services.invitation_accept(invitation=invitation, user=user)
    person = user.person
    assert set(person.organisations.all()) == {organisation, other}
    assert not Person.objects.filter(pk=contact.pk).exists()
    membership.refresh_from_db()
    assert membership.primary_contact == person


def test_staff_invite_the_contact_persons_of_their_members_only(client, db):
    from clusters.models import MembershipStatus
    from tests.factories import ClusterFactory, ClusterStaffFactory, MembershipFactory

    company = OrganisationFactory(name="Medlem ApS")
    cluster = ClusterFactory()
    MembershipFactory(organisation=company, cluster=cluster, status=MembershipStatus.ACTIVE)
    contact = PersonFactory(first_name="Kim", email="kim@medlem.example", user=None)
    affiliation = AffiliationFactory(person=contact, organisation=company)
    url = reverse("joining:contact_invite", args=[company.slug, affiliation.pk])
    stranger = ClusterStaffFactory(cluster=ClusterFactory()).user
    client.force_login(stranger)
    assert client.post(url).status_code == 403
    staff = ClusterStaffFactory(cluster=cluster).user
    client.force_login(staff)
    client.post(url)
    invitation = Invitation.objects.get()
    assert invitation.person == contact
    assert invitation.email == "kim@medlem.example"
    assert any("kim@medlem.example" in m.to for m in mail.outbox)


def test_the_database_holds_no_usable_invitation_key(organisation, owner):
    services.invitation_create(
        organisation=organisation, email="hemmelig@faldsikker.example", role="admin", actor=owner
    )
    link = _invitation_url_from_mail("hemmelig@faldsikker.example")
    token = link.rstrip("/").rsplit("/", 1)[1]
    stored = Invitation.objects.values_list("key_hash", flat=True).get()
    assert token not in stored
    assert len(stored) == 64


# --- People of an organisation --------------------------------------------------------------------
def test_the_last_admin_cannot_leave_or_step_down(client, organisation, owner, colleague):
    own = Affiliation.objects.get(person__user=owner)
    client.force_login(owner)
    client.post(
        reverse("joining:person_action", args=[organisation.slug, own.pk, "remove"]),
        {"confirm": "yes"},
    )
    assert Affiliation.objects.filter(pk=own.pk).exists()
    client.post(
        reverse("joining:person_action", args=[organisation.slug, own.pk, "role"]),
        {"role": "member"},
    )
    own.refresh_from_db()
    assert own.role == "admin"
    # Hand over, then leave.
    theirs = Affiliation.objects.get(person__user=colleague)
    client.post(
        reverse("joining:person_action", args=[organisation.slug, theirs.pk, "role"]),
        {"role": "admin"},
    )
    client.post(
        reverse("joining:person_action", args=[organisation.slug, own.pk, "remove"]),
        {"confirm": "yes"},
    )
    assert not Affiliation.objects.filter(pk=own.pk).exists()
    assert Affiliation.objects.get(pk=theirs.pk).role == "admin"


def test_a_member_can_leave_but_not_remove_others(client, organisation, owner, colleague):
    own = Affiliation.objects.get(person__user=colleague)
    admin = Affiliation.objects.get(person__user=owner)
    client.force_login(colleague)
    response = client.post(
        reverse("joining:person_action", args=[organisation.slug, admin.pk, "remove"])
    )
    assert response.status_code == 403
    client.post(
        reverse("joining:person_action", args=[organisation.slug, own.pk, "remove"]),
        {"confirm": "yes"},
    )
    assert not Affiliation.objects.filter(pk=own.pk).exists()
    assert Affiliation.objects.filter(pk=admin.pk).exists()


def test_the_people_page_has_a_fixed_number_of_queries(
    client, organisation, owner, django_assert_max_num_queries
):
    for index in range(25):
        AffiliationFactory(
            organisation=organisation,
            person=PersonFactory(email=f"p{index}@faldsikker.example", user=None),
        )
    client.force_login(owner)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("joining:people", args=[organisation.slug]))
    assert page.status_code == 200


# --- Personal data ---------------------------------------------------------------------------
def test_join_requests_and_invitations_are_in_the_export_and_gone_after_erasure(
    newcomer, organisation, owner
):
    from network.gdpr import account_erase, personal_data_export

    services.join_request_create(user=newcomer, organisation=organisation, message="Mit ærinde")
    services.invitation_create(
        organisation=organisation, email=newcomer.email, role="member", actor=owner
    )
    exported = personal_data_export(newcomer)["joining"]
    assert exported["join_requests"][0]["message"] == "Mit ærinde"
    assert exported["invitations_received"][0]["email"] == newcomer.email
    account_erase(user=newcomer)
    assert not JoinRequest.objects.exists()
    assert not Invitation.objects.exists()


def test_a_regional_employee_joins_the_one_region_and_must_choose_one_body(client, newcomer):
    from network.models import Region

    syddanmark = Region.objects.get(country="DK", name="Region Syddanmark")
    client.force_login(newcomer)
    page = client.post(
        reverse("joining:municipality"), {"municipality": _odense().pk, "region": syddanmark.pk}
    )
    assert "either your municipality or your region" in page.content.decode()
    assert not JoinRequest.objects.exists()
    client.post(reverse("joining:municipality"), {"region": syddanmark.pk})
    region_body = Organisation.objects.get(kind="region", region=syddanmark)
    assert region_body.name == "Region Syddanmark"
    assert JoinRequest.objects.get().organisation == region_body
    agder = Region.objects.get(country="NO", name="Agder")
    assert services.region_organisation(agder).name == "Agder fylkeskommune"
    assert services.region_organisation(agder) == services.region_organisation(agder)


def test_staff_cannot_let_themselves_into_a_public_body(db):
    from tests.factories import ClusterFactory, ClusterStaffFactory

    cluster = ClusterFactory()
    cluster.regions.add(_odense().region)
    staff = ClusterStaffFactory(cluster=cluster).user
    odense = services.municipality_organisation(_odense())
    join_request = services.join_request_create(user=staff, organisation=odense)
    with pytest.raises(JoiningError, match="Someone else"):
        services.join_request_approve(join_request=join_request, actor=staff, role="admin")
    assert not Affiliation.objects.filter(organisation=odense).exists()


def test_removing_a_person_asks_first(client, organisation, owner, colleague):
    theirs = Affiliation.objects.get(person__user=colleague)
    client.force_login(owner)
    url = reverse("joining:person_action", args=[organisation.slug, theirs.pk, "remove"])
    asked = client.post(url)
    assert asked.status_code == 200
    assert '<input type="hidden" name="confirm" value="yes">' in asked.content.decode()
    assert Affiliation.objects.filter(pk=theirs.pk).exists()
    client.post(url, {"confirm": "yes"})
    assert not Affiliation.objects.filter(pk=theirs.pk).exists()
