"""Matchmaking events (matchmaking.events): participants by kind, meetings requested, meetings
held, and meetings that led to an introduction or a project, for events held in the period."""

from django.utils.translation import gettext_lazy as _

from matchmaking.events.models import (
    Event,
    MeetingRequest,
    Outcome,
    Registration,
    RegistrationStatus,
    RequestStatus,
    meetings_held,
)
from network.models.organisations import OrganisationKind
from projects.reports.base import Figure, Scope, grouped


def _events(scope: Scope):
    """Events whose first day is in the period (a cluster's: the ones it organised)."""
    events = Event.objects.filter(start_date__gte=scope.start, start_date__lte=scope.end)
    if scope.cluster is not None:
        events = events.filter(cluster=scope.cluster)
    return events


def event_participants(scope: Scope) -> Figure:
    rows = (
        Registration.objects.filter(event__in=_events(scope), status=RegistrationStatus.APPROVED)
        .select_related("event", "organisation")
        .order_by("event__start_date", "event_id", "pk")
    )
    return Figure(
        key="event_participants",
        section="matchmaking",
        label=_("Participants at matchmaking events"),
        definition=_(
            "Organisations approved as participants of the matchmaking events held in the "
            "period (a cluster's: the events it organised), by kind."
        ),
        rows=rows,
        region_field="organisation__region__name",
        **grouped(rows, "organisation__kind", OrganisationKind.choices),
    )


def event_meetings_requested(scope: Scope) -> Figure:
    rows = MeetingRequest.objects.filter(event__in=_events(scope)).order_by(
        "event__start_date", "event_id", "pk"
    )
    return Figure(
        key="event_meetings_requested",
        section="matchmaking",
        label=_("Meetings requested at matchmaking events"),
        definition=_("Requests for one-to-one meetings at those events, by their answer."),
        rows=rows,
        region_field="requester__organisation__region__name",
        **grouped(rows, "status", RequestStatus.choices),
    )


def _meetings_held(scope: Scope, outcome, key: str, label, definition) -> Figure:
    rows = MeetingRequest.objects.filter(meetings_held(outcome), event__in=_events(scope)).order_by(
        "event__start_date", "event_id", "pk"
    )
    return Figure(
        key=key,
        section="matchmaking",
        label=label,
        definition=definition,
        number=rows.count(),
        rows=rows,
        region_field="requester__organisation__region__name",
    )


def event_meetings_held(scope: Scope) -> Figure:
    return _meetings_held(
        scope,
        None,
        "event_meetings_held",
        _("Meetings held at matchmaking events"),
        _("Accepted meetings at those events that at least one side says took place."),
    )


def event_meetings_to_introductions(scope: Scope) -> Figure:
    return _meetings_held(
        scope,
        Outcome.INTRODUCTION,
        "event_meetings_to_introductions",
        _("Event meetings leading to an introduction"),
        _("Meetings at those events that a side says led to an introduction."),
    )


def event_meetings_to_projects(scope: Scope) -> Figure:
    return _meetings_held(
        scope,
        Outcome.PROJECT,
        "event_meetings_to_projects",
        _("Event meetings leading to a project"),
        _("Meetings at those events that a side says led to a project."),
    )
