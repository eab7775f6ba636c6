import json

import pytest
from django.urls import reverse

from network.models import Affiliation, Organisation, Person, User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_privacy_page_is_public(client):
    response = client.get(reverse("privacy_policy"))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["privacy_settings", "personal_data_download", "account_delete"])
def test_own_data_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_consent_to_appear_on_the_public_profile(client, owner, organisation):
    person = owner.person
    assert person.full_name not in client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(owner)
    response = client.post(
        reverse("privacy_settings"),
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": "CEO",
            "phone": "+45 12 34 56 78",
            "directory_consent": "on",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.consent_given_at is not None
    client.logout()
    body = client.get(organisation.get_absolute_url()).content.decode()
    assert person.full_name in body
    assert "+45 12 34 56 78" not in body  # named, but contact details stay private


def test_download_contains_all_my_personal_data(client, owner, organisation):
    client.force_login(owner)
    response = client.get(reverse("personal_data_download"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "owner@faldsikker.example"
    assert data["person"]["email"] == owner.person.email
    assert data["person"]["organisations"] == [{"organisation": "Faldsikker ApS", "role": "admin"}]


def test_download_never_contains_someone_elses_data(client, owner, colleague):
    client.force_login(owner)
    body = client.get(reverse("personal_data_download")).content.decode()
    assert "colleague@faldsikker.example" not in body


def test_deleting_the_account_erases_the_person_but_keeps_the_organisation(
    client, owner, organisation
):
    person = owner.person
    membership = MembershipFactory(organisation=organisation, primary_contact=person)
    client.force_login(owner)

    refused = client.post(reverse("account_delete"), {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 200
    assert User.objects.get(pk=owner.pk).is_active

    response = client.post(
        reverse("account_delete"), {"password": "correct-horse-battery", "confirm": "on"}
    )
    assert response.status_code == 302
    user = User.objects.get(pk=owner.pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert "faldsikker" not in user.email
    person.refresh_from_db()
    assert (person.email, person.phone, person.user) == ("", "", None)
    assert not Affiliation.objects.filter(person=person).exists()
    # The organisation and its membership (a reported figure) are untouched.
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    membership.refresh_from_db()
    assert membership.status == "active"
    # And the login no longer works.
    assert not client.login(username="owner@faldsikker.example", password="correct-horse-battery")
    assert Person.objects.filter(email="owner@faldsikker.example").count() == 0
