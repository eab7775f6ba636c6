"""Factories and a small world for the bookings tests: a municipality's test site, an SME,
each with an admin and a member, and an unrelated organisation's admin."""

from dataclasses import dataclass
from datetime import timedelta

import factory
from django.utils import timezone

from matchmaking.bookings.models import Booking
from tests.conftest import person_with_login
from tests.factories import OrganisationFactory, TestSiteFactory


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    site = factory.SubFactory(TestSiteFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind="sme")
    start = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    end = factory.LazyAttribute(lambda b: b.start + timedelta(days=13))
    what_is_tested = "Faldsensor i sengen, der varsler personalet om natten."
    trl = 6
    citizens = 12
    staff = 4
    status = "requested"


@dataclass
class World:
    site: object
    municipality: object
    sme: object
    site_admin: object
    site_member: object
    sme_admin: object
    sme_member: object
    outsider: object


def make_world(capacity=2, **site_fields) -> World:
    municipality = OrganisationFactory(kind="municipality", cvr="", name="Testkommune")
    sme = OrganisationFactory(kind="sme", name="Faldsikker ApS")
    other = OrganisationFactory(kind="sme", name="Andet Firma ApS")
    site = TestSiteFactory(owner=municipality, capacity=capacity, name="Plejecenter Solhaven",
                           **site_fields)  # fmt: skip
    return World(
        site=site,
        municipality=municipality,
        sme=sme,
        site_admin=person_with_login(municipality, "admin", "admin@kommune.example"),
        site_member=person_with_login(municipality, "member", "member@kommune.example"),
        sme_admin=person_with_login(sme, "admin", "admin@faldsikker.example"),
        sme_member=person_with_login(sme, "member", "member@faldsikker.example"),
        outsider=person_with_login(other, "admin", "admin@andet.example"),
    )


def request_fields(days_ahead=10, length=14, **extra):
    start = timezone.localdate() + timedelta(days=days_ahead)
    return {
        "start": start,
        "end": start + timedelta(days=length - 1),
        "what_is_tested": "Faldsensor",
        "trl": 6,
        "citizens": 10,
        "patients": 0,
        "staff": 3,
        "needs_ethics_approval": False,
        "needs_data_agreement": True,
        **extra,
    }
