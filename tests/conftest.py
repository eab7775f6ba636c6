"""Recurring people: an organisation admin, a colleague with the member role, an outsider."""

import pytest

from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, UserFactory


def person_with_login(organisation, role, email):
    user = UserFactory(email=email)
    person = PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name)
    AffiliationFactory(person=person, organisation=organisation, role=role)
    return user


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Faldsikker ApS")


@pytest.fixture
def owner(organisation):
    """An admin of `organisation`."""
    return person_with_login(organisation, "admin", "owner@faldsikker.example")


@pytest.fixture
def colleague(organisation):
    """A member of `organisation` without admin rights."""
    return person_with_login(organisation, "member", "colleague@faldsikker.example")


@pytest.fixture
def outsider(db):
    """An admin of another organisation."""
    other = OrganisationFactory(name="Andet Firma ApS")
    return person_with_login(other, "admin", "outsider@andet.example")


@pytest.fixture
def network_admin(db):
    return UserFactory(email="admin@network.example", is_network_admin=True)
