"""The demo's matchmaking events: built from the demo's organisations and logins, believable
(requests asked and answered, meetings placed, a past day's meetings rated), and seeded once:
a second run of seed_demo changes nothing, also after staff and participants used them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from matchmaking.events import services
from matchmaking.events.models import (
    Event,
    EventSlot,
    EventTable,
    MeetingFeedback,
    MeetingRequest,
    Registration,
)
from network.demo.users import DEMO_LOGINS
from network.models import User

pytestmark = pytest.mark.django_db


def seed():
    with override_settings(DEBUG=True):  # a local demo, as `make run` seeds it
        call_command("seed_demo", size="small", stdout=StringIO())


def login(local: str) -> User:
    return User.objects.get(email=next(x.email for x in DEMO_LOGINS if x.local == local))


def snapshot():
    def rows(model, *fields):
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return {
        "events": rows(Event, "cluster_id", "title", "start_date", "schedule_ran_at"),
        "slots": rows(EventSlot, "event_id", "starts_at", "ends_at"),
        "tables": rows(EventTable, "event_id", "name"),
        "registrations": rows(Registration, "event_id", "organisation_id", "user_id", "status"),
        "requests": rows(
            MeetingRequest, "requester_id", "recipient_id", "status", "slot_id", "table_id"
        ),
        "feedback": rows(MeetingFeedback, "meeting_id", "registration_id", "outcome"),
    }


def test_demo_events_show_every_step_and_are_seeded_once(client):
    seed()
    today = timezone.localdate()
    upcoming = Event.objects.get(cluster__slug="welfare-tech")
    held = Event.objects.get(cluster__slug="norway-health-tech")
    assert upcoming.start_date > today
    assert upcoming.registration_open()
    assert held.start_date < today
    for event in (upcoming, held):
        assert event.slots.count() == 10
        assert event.tables.count() == 8
        assert event.schedule_ran_at is not None
        assert services.schedule_problems(event) == []
        assert not event.requests.filter(status="accepted", slot__isnull=True).exists()
    assert upcoming.registrations.filter(status="pending").count() == 2
    assert set(upcoming.tables.values_list("name", flat=True)) >= {"Bord 1", "Bord 8"}

    # The demo logins take part: the company met the municipality's request ...
    company = upcoming.registrations.get(user=login("sme.admin"))
    municipality = upcoming.registrations.get(user=login("odense"))
    hospital = upcoming.registrations.get(user=login("hospital"))
    meeting = MeetingRequest.objects.get(requester=company, recipient=municipality)
    assert meeting.status == "accepted"
    assert meeting.slot_id is not None
    incoming = MeetingRequest.objects.get(requester=hospital, recipient=company)
    assert incoming.status == "pending"
    assert company.requests_sent.filter(status="declined").exclude(decline_reason="").exists()

    # ... and the past day's meetings were rated, some leading further.
    figures = services.event_figures(Event.objects.filter(pk=held.pk))
    assert figures["held"] > 10
    assert figures["introduction"] > 1
    assert figures["project"] == 1
    assert not held.requests.filter(status="pending").exists()

    client.force_login(login("sme.admin"))
    for name in ("events:marketplace", "events:agenda"):
        assert client.get(reverse(name, args=[upcoming.pk])).status_code == 200

    # Staff approve a registration and rename the event; the company answers its request.
    pending = upcoming.registrations.filter(status="pending").first()
    services.registration_decide(registration=pending, approve=True)
    Event.objects.filter(pk=upcoming.pk).update(title="Matchmaking-dag i Odense")
    services.meeting_request_answer(meeting=incoming, registration=company, accept=True)
    services.event_schedule(event_id=upcoming.pk, notify=False)

    before = snapshot()
    seed()
    assert snapshot() == before
