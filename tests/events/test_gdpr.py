"""A participant's registrations and meeting requests in their data export; erasure blanks
what they wrote and keeps the organisations' meetings for the figures."""

import pytest

from matchmaking.events.models import MeetingRequest, Registration
from network.gdpr import SECTIONS, personal_data_export
from tests.events.factories import EventFactory, meeting, participant

pytestmark = pytest.mark.django_db


def test_export_and_erase():
    event = EventFactory()
    a, b = participant(event, name="Alfa ApS"), participant(event, name="Beta Kommune")
    meeting(a, b, message="Skal vi tale om fald?")
    meeting(b, a, status="declined", decline_reason="Ikke nu")
    data = personal_data_export(a.user)["matchmaking_events"]
    assert data["registrations"][0]["organisation"] == "Alfa ApS"
    mine = {(m["from"], m["to"]): m for m in data["meeting_requests"]}
    assert mine[("Alfa ApS", "Beta Kommune")]["message"] == "Skal vi tale om fald?"
    assert mine[("Beta Kommune", "Alfa ApS")]["decline_reason"] == "Ikke nu"
    assert mine[("Beta Kommune", "Alfa ApS")]["message"] is None  # the other side's words
    section = next(s for s in SECTIONS if s.name == "matchmaking_events")
    section.erase(a.user)
    assert not MeetingRequest.objects.filter(requester=a).exclude(message="").exists()
    assert not MeetingRequest.objects.filter(recipient=a).exclude(decline_reason="").exists()
    assert Registration.objects.get(pk=a.pk).user is None
    assert MeetingRequest.objects.count() == 2
