"""Registration, requests, availability, the schedule, moves, feedback: rules and bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matchmaking.events import services
from matchmaking.events.models import MeetingRequest, Registration
from network.models import Notification
from tests.events.factories import (
    EventFactory,
    at,
    meeting,
    participant,
    slots_for,
    tables_for,
)
from tests.factories import (
    AffiliationFactory,
    ClusterStaffFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _member(event, **kwargs):
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(organisation=organisation, cluster=event.cluster)
    user = UserFactory()
    AffiliationFactory(person=PersonFactory(user=user), organisation=organisation, role="admin")
    return organisation, user


def test_registration_approved_at_once_or_pending():
    event = EventFactory()
    organisation, user = _member(event)
    registration = services.registration_create(
        event=event, organisation=organisation, user=user, offer="x", looking_for="y"
    )
    assert registration.status == "approved"
    staff = ClusterStaffFactory(cluster=event.cluster).user
    strict = EventFactory(requires_approval=True, cluster=event.cluster)
    registration = services.registration_create(
        event=strict, organisation=organisation, user=user, offer="x", looking_for="y"
    )
    assert registration.status == "pending"
    assert Notification.objects.filter(user=staff, kind="event_registration_pending").exists()
    services.registration_decide(registration=registration, approve=True)
    registration.refresh_from_db()
    assert registration.status == "approved"
    assert Notification.objects.filter(user=user, kind="event_registration").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"registration_closes": timezone.now() - timedelta(hours=1),
          "registration_opens": timezone.now() - timedelta(days=2)}, "closed"),
        ({"registration_opens": timezone.now() + timedelta(days=1),
          "registration_closes": timezone.now() + timedelta(days=2)}, "not opened"),
        ({"is_published": False}, "not open"),
    ],
)  # fmt: skip
def test_registration_outside_the_window_is_refused(change, message):
    event = EventFactory(**change)
    organisation, user = _member(event)
    with pytest.raises(ValidationError, match=message):
        services.registration_create(
            event=event, organisation=organisation, user=user, offer="x", looking_for="y"
        )
    assert not Registration.objects.exists()


def test_members_only_and_invitations():
    event = EventFactory()
    outsider = OrganisationFactory()
    user = UserFactory()
    AffiliationFactory(person=PersonFactory(user=user), organisation=outsider)
    with pytest.raises(ValidationError, match="Only members"):
        services.registration_create(
            event=event, organisation=outsider, user=user, offer="x", looking_for="y"
        )
    invited = EventFactory(access="invited", cluster=event.cluster)
    with pytest.raises(ValidationError, match="invitation"):
        services.registration_create(
            event=invited, organisation=outsider, user=user, offer="x", looking_for="y"
        )
    services.invitation_add(event=invited, organisation=outsider)
    services.registration_create(
        event=invited, organisation=outsider, user=user, offer="x", looking_for="y"
    )
    # Not someone else's organisation.
    with pytest.raises(ValidationError, match="belong to"):
        services.registration_create(
            event=event, organisation=OrganisationFactory(), user=user, offer="x", looking_for="y"
        )


def test_overlapping_slots_are_refused_and_nothing_changes():
    event = EventFactory()
    services.slot_add(event=event, starts_at=at(event, 9), ends_at=at(event, 9, 20))
    with pytest.raises(ValidationError, match="overlaps"):
        services.slot_add(event=event, starts_at=at(event, 9, 10), ends_at=at(event, 9, 30))
    with pytest.raises(ValidationError, match="overlap"):
        services.slots_generate(event=event, first_start=at(event, 8, 30), minutes=20, count=3)
    with pytest.raises(ValidationError, match="end after"):
        services.slot_add(event=event, starts_at=at(event, 11), ends_at=at(event, 10))
    with pytest.raises(ValidationError, match="within the event"):
        services.slot_add(event=event, starts_at=at(event, 9, day=3), ends_at=at(event, 10, day=3))
    assert event.slots.count() == 1
    made = services.slots_generate(
        event=event, first_start=at(event, 10), minutes=20, count=6, break_minutes=5,
        pause_after=3, pause_minutes=60,
    )  # fmt: skip
    assert len(made) == 6
    assert made[3].starts_at - made[2].ends_at == timedelta(minutes=65)


def test_bad_requests_are_refused():
    event = EventFactory()
    a, b = participant(event), participant(event)
    other_event = EventFactory(cluster=event.cluster)
    stranger = participant(other_event)
    pending = participant(event, status="pending")
    for recipient, message in [
        (a.pk, "yourself"),
        (stranger.pk, "not at this event"),
        (pending.pk, "not at this event"),
        ("x", "Unknown"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.meeting_request_create(requester=a, recipient_id=recipient)
    services.meeting_request_create(requester=a, recipient_id=b.pk, message="Hej")
    with pytest.raises(ValidationError, match="already"):
        services.meeting_request_create(requester=b, recipient_id=a.pk)
    assert MeetingRequest.objects.count() == 1


def test_answer_only_by_the_recipient_and_decline_needs_a_reason():
    event = EventFactory()
    a, b = participant(event), participant(event)
    request = services.meeting_request_create(requester=a, recipient_id=b.pk)
    with pytest.raises(ValidationError, match="Only the participant asked"):
        services.meeting_request_answer(meeting=request, registration=a, accept=True)
    with pytest.raises(ValidationError, match="why"):
        services.meeting_request_answer(meeting=request, registration=b, accept=False)
    request.refresh_from_db()
    assert request.status == "pending"
    services.meeting_request_answer(
        meeting=request, registration=b, accept=False, reason="Ikke relevant"
    )
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("declined", "Ikke relevant")
    assert Notification.objects.filter(user=a.user, kind="event_request_answered").exists()


def test_schedule_places_keeps_and_notifies(django_capture_on_commit_callbacks):
    event = EventFactory()
    slots = slots_for(event, 2)
    tables_for(event, 1)
    a, b, c = participant(event), participant(event), participant(event)
    m1, m2, m3 = meeting(a, b), meeting(a, c), meeting(b, c)
    a.unavailable_slots.add(slots[1])
    summary = services.event_schedule(event_id=event.pk)
    assert summary["placed"] == 2
    assert summary["optimal"]
    for m in (m1, m2, m3):
        m.refresh_from_db()
    assert services.schedule_problems(event) == []
    placed = {m.pk: (m.slot_id, m.table_id) for m in (m1, m2, m3) if m.slot_id}
    assert Notification.objects.filter(kind="event_agenda_changed").count() == 3
    # Again: nothing moves, nobody is told.
    services.event_schedule(event_id=event.pk)
    again = {
        m.pk: (m.slot_id, m.table_id) for m in MeetingRequest.objects.filter(slot__isnull=False)
    }
    assert again == placed
    assert Notification.objects.filter(kind="event_agenda_changed").count() == 3


def test_availability_from_another_event_is_refused():
    event = EventFactory()
    other = EventFactory(cluster=event.cluster)
    other_slot = slots_for(other, 1)[0]
    a = participant(event)
    with pytest.raises(ValidationError, match="not this event"):
        services.availability_set(registration=a, unavailable_slot_ids=[other_slot.pk])
    assert not a.unavailable_slots.exists()


def test_availability_unplaces_meetings_in_those_slots():
    event = EventFactory()
    slots = slots_for(event, 2)
    tables = tables_for(event, 1)
    a, b = participant(event), participant(event)
    m = meeting(a, b, slot=slots[0], table=tables[0])
    assert services.availability_set(registration=a, unavailable_slot_ids=[slots[0].pk]) == [m.pk]
    m.refresh_from_db()
    assert m.slot is None


def test_move_by_hand_checks_the_schedule_and_pins():
    event = EventFactory()
    slots = slots_for(event, 2)
    t1, t2 = tables_for(event, 2)
    a, b, c = participant(event), participant(event), participant(event)
    m1 = meeting(a, b, slot=slots[0], table=t1)
    m2 = meeting(a, c, slot=slots[1], table=t1)
    other = EventFactory(cluster=event.cluster)
    other_slot = slots_for(other, 1)[0]
    for slot, table, message in [
        (slots[0].pk, t2.pk, "another meeting in this slot"),
        (slots[0].pk, t1.pk, "Another meeting is at this table"),
        (other_slot.pk, t1.pk, "this event's"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.meeting_move(meeting=m2, slot_id=slot, table_id=table)
    m2.refresh_from_db()
    assert (m2.slot, m2.table, m2.pinned) == (slots[1], t1, False)
    c.unavailable_slots.add(slots[0])
    d = participant(event)
    with pytest.raises(ValidationError, match="cannot make"):
        services.meeting_move(meeting=meeting(c, d), slot_id=slots[0].pk, table_id=t2.pk)
    services.meeting_move(meeting=m1, slot_id=slots[0].pk, table_id=t2.pk)
    m1.refresh_from_db()
    assert (m1.table, m1.pinned) == (t2, True)


def test_feedback_after_the_event_and_figures():
    event = EventFactory(start_date=timezone.localdate(), end_date=timezone.localdate())
    a = participant(event, kind="sme")
    b = participant(event, kind="municipality")
    m = meeting(a, b)
    meeting(b, a, status="declined")
    services.meeting_feedback_give(
        meeting=m, registration=a, took_place=True, usefulness=4, outcome="introduction"
    )
    services.meeting_feedback_give(meeting=m, registration=b, took_place=True, usefulness=3)
    figures = services.event_figures(type(event).objects.filter(pk=event.pk))
    assert figures["by_kind"] == {"sme": 1, "municipality": 1}
    assert (figures["requested"], figures["accepted"], figures["held"]) == (2, 1, 1)
    assert figures["introduction"] == 1
    future = EventFactory(cluster=event.cluster)
    x, y = participant(future), participant(future)
    with pytest.raises(ValidationError, match="once the event has begun"):
        services.meeting_feedback_give(meeting=meeting(x, y), registration=x, took_place=True)


def test_reminders_go_once_the_day_before():
    tomorrow = timezone.localdate() + timedelta(days=1)
    event = EventFactory(start_date=tomorrow, end_date=tomorrow)
    a, b = participant(event), participant(event)
    meeting(a, b)
    assert services.event_reminders_send() == 2
    assert services.event_reminders_send() == 0
    assert Notification.objects.filter(kind="event_reminder").count() == 2


def test_event_dates_are_checked_wherever_the_event_is_saved():
    event = EventFactory()
    day = event.end_date
    event.end_date = day - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.event_save(event=event)
    assert caught.value.message_dict["end_date"] == ["The last day cannot be before the first."]
    event.end_date = day
    # 00:30 on the day after the last day (local time) is too late, though still the last day
    # in UTC.
    event.registration_closes = at(event, 0, 30, day=1)
    with pytest.raises(ValidationError) as caught:
        services.event_save(event=event)
    assert caught.value.message_dict["registration_closes"] == [
        "Registration must close before the event ends."
    ]
    event.registration_closes = at(event, 23, 30)
    services.event_save(event=event)


def test_reminders_read_the_agendas_in_a_fixed_number_of_queries(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sent = []
    monkeypatch.setattr(services, "_notify", lambda **kwargs: sent.append(kwargs))

    def queries(n):
        today = timezone.localdate() + timedelta(days=n)  # each its own day
        tomorrow = today + timedelta(days=1)
        event = EventFactory(start_date=tomorrow, end_date=tomorrow)
        slots = slots_for(event, 2)
        tables = tables_for(event, 1)
        people = [participant(event) for _ in range(n)]
        meeting(people[0], people[1], slot=slots[0], table=tables[0])
        for other in people[2:]:
            meeting(people[0], other)
        with CaptureQueriesContext(connection) as captured:
            assert services.event_reminders_send(today=today) == n
        return len(captured)

    assert queries(2) == queries(7)
    agendas = sorted((k["context"]["meetings"] for k in sent[-7:]), key=len)
    assert [len(a) for a in agendas] == [1, 1, 1, 1, 1, 1, 6]  # the first one met everybody
    assert sum(m.slot is not None for m in agendas[-1]) == 1


def test_slots_generate_reads_the_event_s_slots_once():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count):
        event = EventFactory()
        slots_for(event, 3)  # 9:00-10:00
        with CaptureQueriesContext(connection) as captured:
            made = services.slots_generate(
                event=event, first_start=at(event, 11), minutes=15, count=count
            )
        assert len(made) == count
        return len(captured)

    assert queries(2) == queries(12)


def test_registrations_count_the_requests_they_sent_and_received():
    event = EventFactory()
    a, b, c, d = (participant(event) for _ in range(4))
    meeting(a, b)
    meeting(a, c)
    meeting(b, a, status="declined")
    meeting(c, a, status="pending")
    meeting(d, a)
    counts = {
        r.pk: (r.sent, r.received)
        for r in Registration.objects.filter(event=event).with_request_counts()
    }
    assert counts == {a.pk: (2, 3), b.pk: (1, 1), c.pk: (1, 1), d.pk: (1, 0)}


def test_matching_s_pairs_are_suggested_and_rated_by_a_useful_meeting_either_way_round():
    from matchmaking.events.suggestions import suggested_partners
    from matchmaking.models_introductions import Feedback
    from tests.matchmaking.factories import MatchFactory, NeedFactory

    today = timezone.localdate()
    event = EventFactory(start_date=today, end_date=today)
    a = participant(event, kind="sme")
    b = participant(event, kind="municipality")
    c = participant(event, kind="hospital")
    pair = MatchFactory(source=a.organisation, need=NeedFactory(owner=b.organisation))
    MatchFactory(source=a.organisation, need=NeedFactory())  # someone not at the event
    for mine, theirs in [(a, b), (b, a)]:
        suggestion = suggested_partners(mine, [a, b, c])[0]
        assert (suggestion.registration, suggestion.from_matching) == (theirs, True)
    m = meeting(b, a)
    services.meeting_feedback_give(meeting=m, registration=b, took_place=True, usefulness=4)
    services.meeting_feedback_give(meeting=m, registration=a, took_place=True, usefulness=3)
    rated = Feedback.objects.values_list("match_id", "organisation_id", "kind")
    assert sorted(rated) == sorted(
        [(pair.pk, a.organisation_id, "useful"), (pair.pk, b.organisation_id, "useful")]
    )


def test_event_figures_count_held_meetings_as_the_funding_report_does():
    from projects.reports import events as report
    from projects.reports.base import Scope

    today = timezone.localdate()
    event = EventFactory(start_date=today, end_date=today)
    a, b, c = participant(event), participant(event), participant(event)
    m1, m2 = meeting(a, b), meeting(a, c)
    meeting(b, c, status="pending")
    give = services.meeting_feedback_give
    give(meeting=m1, registration=a, took_place=True, usefulness=4, outcome="introduction")
    give(meeting=m1, registration=b, took_place=True, usefulness=2, outcome="project")
    give(meeting=m2, registration=c, took_place=False, outcome="project")  # did not meet
    figures = services.event_figures(type(event).objects.filter(pk=event.pk))
    scope = Scope(start=today, end=today, cluster=event.cluster)
    assert (figures["held"], figures["introduction"], figures["project"]) == (1, 1, 1)
    assert [
        report.event_meetings_held(scope).number,
        report.event_meetings_to_introductions(scope).number,
        report.event_meetings_to_projects(scope).number,
    ] == [1, 1, 1]
