"""Events, slots, tables and participants for the event tests."""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from matchmaking.events.models import Event, EventSlot, EventTable, MeetingRequest, Registration
from tests.factories import (
    AffiliationFactory,
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Matchmaking-dag {n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    place = "Odense Congress Center"
    registration_opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    registration_closes = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    is_published = True


def at(event, hour, minute=0, day=0):
    return timezone.make_aware(
        datetime.combine(event.start_date + timedelta(days=day), time(hour, minute))
    )


def slots_for(event, count=4, minutes=20):
    return [
        EventSlot.objects.create(
            event=event,
            starts_at=at(event, 9) + timedelta(minutes=minutes * i),
            ends_at=at(event, 9) + timedelta(minutes=minutes * (i + 1)),
        )
        for i in range(count)
    ]


def tables_for(event, count=2):
    return [EventTable.objects.create(event=event, name=f"Bord {i + 1}") for i in range(count)]


def participant(event, *, kind="sme", name=None, status="approved", email=None, member=True):
    """An organisation with an admin login, registered for `event`."""
    organisation = OrganisationFactory(kind=kind, **({"name": name} if name else {}))
    user = UserFactory(**({"email": email} if email else {}))
    person = PersonFactory(user=user, email=user.email)
    AffiliationFactory(person=person, organisation=organisation, role="admin")
    if member:
        MembershipFactory(organisation=organisation, cluster=event.cluster)
    return Registration.objects.create(
        event=event,
        organisation=organisation,
        user=user,
        offer="Sensorer til faldforebyggelse",
        looking_for="Kommuner der vil teste",
        status=status,
    )


def meeting(requester, recipient, status="accepted", **kwargs):
    return MeetingRequest.objects.create(
        event=requester.event, requester=requester, recipient=recipient, status=status, **kwargs
    )
