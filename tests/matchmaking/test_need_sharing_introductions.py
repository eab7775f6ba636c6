"""Shared needs and what follows from them: every organisation that joined a need hears of its
matches and introductions, and an introduction about it can include them all."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking import sharing
from matchmaking.introductions import services
from matchmaking.introductions.contacts import contact_people, contacts_visible_to
from matchmaking.introductions.digest import digest_figures
from matchmaking.models_introductions import Introduction
from network.models import Notification
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, municipality
from tests.matchmaking.factories import MatchFactory, NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class Shared:
    """Odense owns a need that Vejle and Region Syddanmark joined; a company fits it."""

    def __init__(self):
        self.odense = OrganisationFactory(
            name="Odense Kommune", kind="municipality", cvr="", municipality=municipality("Odense")
        )
        self.vejle = OrganisationFactory(
            name="Vejle Kommune", kind="municipality", cvr="", municipality=municipality("Vejle")
        )
        self.region = OrganisationFactory(name="Region Syddanmark", kind="region", cvr="")
        self.odense_admin = person_with_login(self.odense, "admin", "admin@odense.example")
        self.vejle_admin = person_with_login(self.vejle, "admin", "admin@vejle.example")
        self.region_admin = person_with_login(self.region, "admin", "admin@region.example")
        self.company = OrganisationFactory(name="Faldvagt ApS")
        self.company_admin = person_with_login(self.company, "admin", "anna@faldvagt.example")
        for user in (self.odense_admin, self.vejle_admin, self.region_admin, self.company_admin):
            user.person.email = user.email.replace("@", ".private@")
            user.person.save()
        self.need = NeedFactory(
            owner=self.odense,
            title="Sensors that detect falls at night",
            deadline=timezone.localdate() + timedelta(days=30),
        )
        sharing.need_join(
            need=self.need,
            organisation=self.vejle,
            user=self.vejle_admin,
            contact=self.vejle_admin.person,
        )
        sharing.need_join(need=self.need, organisation=self.region, user=self.region_admin)
        Notification.objects.all().delete()
        self.match = MatchFactory(source=self.company, need=self.need, in_target_top=True)


@pytest.fixture
def shared(db):
    return Shared()


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("user__email", flat=True))


def test_an_introduction_about_a_shared_need_includes_and_tells_every_owner(shared):
    introduction = services.introduction_request(
        match=shared.match, user=shared.company_admin, message="We would like to test."
    )
    assert introduction.target_organisation == shared.odense
    assert set(introduction.joined_organisations.all()) == {shared.vejle, shared.region}
    assert told("introduction_requested") == {"admin@odense.example"}
    assert told("introduction_shared") == {"admin@vejle.example", "admin@region.example"}
    introduction = services.introduction_accept(introduction=introduction, user=shared.odense_admin)
    assert Notification.objects.filter(kind="introduction_shared").count() == 4
    # Once both said yes, the included organisations and the company see each other's
    # contacts; before, nobody's.
    cards = contacts_visible_to(user=shared.vejle_admin, introduction=introduction)
    emails = {card.email for card in cards}
    assert "anna.private@faldvagt.example" in emails
    company_view = contacts_visible_to(user=shared.company_admin, introduction=introduction)
    assert "admin.private@vejle.example" in {card.email for card in company_view}


def test_contacts_of_included_organisations_stay_hidden_until_both_said_yes(shared):
    introduction = services.introduction_request(
        match=shared.match, user=shared.company_admin, message="Hello."
    )
    cards = contacts_visible_to(user=shared.company_admin, introduction=introduction)
    vejle = [card for card in cards if card.organisation == "Vejle Kommune"]
    assert vejle
    assert not any(card.email for card in vejle)


def test_an_introduction_may_leave_the_others_out(shared):
    introduction = services.introduction_request(
        match=shared.match,
        user=shared.company_admin,
        message="Only Odense, please.",
        include_joined=False,
    )
    assert not introduction.joined_organisations.exists()
    assert not told("introduction_shared")


def test_included_organisations_see_the_introduction_and_others_do_not(client, shared):
    introduction = services.introduction_request(
        match=shared.match, user=shared.company_admin, message="Hello."
    )
    url = introduction.get_absolute_url()
    client.force_login(shared.vejle_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="introduction-joined"' in response.content.decode()
    # They follow; only the asked owner answers.
    accept = reverse("matchmaking:introduction_accept", args=[introduction.pk])
    assert client.post(accept).status_code == 403
    stranger = OrganisationFactory(kind="municipality", cvr="")
    client.force_login(person_with_login(stranger, "admin", "admin@stranger.example"))
    assert client.get(url).status_code == 404


def test_the_request_form_names_the_organisations_and_includes_them_by_default(client, shared):
    client.force_login(shared.company_admin)
    url = reverse("matchmaking:introduction_request", args=[shared.match.pk])
    body = client.get(url).content.decode()
    assert "Vejle Kommune" in body
    assert "Region Syddanmark" in body
    response = client.post(url, {"message": "Hello.", "include_joined": "on"})
    assert response.status_code == 302
    assert told("introduction_shared") == {"admin@vejle.example", "admin@region.example"}


def test_the_owners_invitation_includes_them_too(client, shared):
    client.force_login(shared.odense_admin)
    url = reverse("matchmaking:introduction_invite", args=[shared.match.pk])
    assert "Vejle Kommune" in client.get(url).content.decode()
    response = client.post(url, {"message": "Come and test.", "include_joined": "on"})
    assert response.status_code == 302
    assert told("introduction_shared") == {"admin@vejle.example", "admin@region.example"}


def test_the_digest_counts_a_shared_needs_matches_for_every_owner(shared):
    since = timezone.now() - timedelta(days=1)
    for user in (shared.odense_admin, shared.vejle_admin, shared.region_admin):
        assert digest_figures(user, since=since)["new_matches"] == 1
    stranger = OrganisationFactory(kind="municipality", cvr="")
    outsider = person_with_login(stranger, "admin", "admin@stranger.example")
    assert digest_figures(outsider, since=since)["new_matches"] == 0


def test_organisations_that_joined_follow_the_companies_that_fit(client, shared):
    url = reverse("matchmaking:need_matches", args=[shared.need.pk])
    client.force_login(shared.vejle_admin)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Faldvagt ApS" in body
    # Only the owner acts on the list: no shortlist, invitation or "not relevant" for a joiner.
    assert 'class="match-actions"' not in body
    assert 'data-testid="vetoed-link"' not in body
    client.force_login(shared.odense_admin)
    owner_view = client.get(url).content.decode()
    assert 'class="match-actions"' in owner_view
    assert 'data-testid="vetoed-link"' in owner_view
    stranger = OrganisationFactory(kind="municipality", cvr="")
    client.force_login(person_with_login(stranger, "admin", "admin@stranger.example"))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("extra", [0, 5])
def test_introduction_page_queries_do_not_grow_with_included_organisations(
    client, shared, extra, django_assert_max_num_queries
):
    for n in range(extra):
        organisation = OrganisationFactory(kind="hospital", cvr="", name=f"Hospital {n}")
        person_with_login(organisation, "admin", f"admin{n}@hospital.example")
        sharing.need_join(need=shared.need, organisation=organisation, user=None)
    introduction = services.introduction_request(
        match=shared.match, user=shared.company_admin, message="Hello."
    )
    assert introduction.joined_organisations.count() == 2 + extra
    client.force_login(shared.odense_admin)
    with django_assert_max_num_queries(20):
        response = client.get(introduction.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 5])
def test_the_contact_people_take_two_queries_however_many_organisations_are_included(
    shared, extra, django_assert_max_num_queries
):
    for n in range(extra):
        organisation = OrganisationFactory(kind="hospital", cvr="", name=f"Hospital {n}")
        person_with_login(organisation, "admin", f"admin{n}@hospital.example")
        sharing.need_join(need=shared.need, organisation=organisation, user=None)
    introduction = services.introduction_request(
        match=shared.match, user=shared.company_admin, message="Hello."
    )
    introduction = Introduction.objects.select_related(
        "match", "source", "target_organisation"
    ).get(pk=introduction.pk)
    assert len(introduction.joined_list) == 2 + extra
    with django_assert_max_num_queries(2):
        people = contact_people(introduction)
    assert [len(persons) for _side, _organisation, persons in people] == [1] * (4 + extra)


def test_what_the_owner_marked_not_relevant_stays_the_owners(client, shared):
    url = reverse("matchmaking:need_vetoed", args=[shared.need.pk])
    client.force_login(shared.vejle_admin)
    assert client.get(url).status_code == 404
    client.force_login(shared.odense_admin)
    assert client.get(url).status_code == 200
