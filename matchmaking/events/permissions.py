"""Who may do what at an event. Staff of the organising cluster (coordinators and managers)
and network admins manage it; an organisation's people take part once its registration is
approved, and then see the event's participants and their own meetings, nothing more."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from clusters.permissions import DECIDE, has_capability
from matchmaking.events.models import Event, Registration, RegistrationStatus


def can_manage(user, event: Event) -> bool:
    return has_capability(user, event.cluster, DECIDE)


def get_event_for_user(request, pk: int, *, manage: bool = False) -> Event:
    """The event behind `pk`: 404 when the user may not see it, 403 when they may see it but
    not manage it."""
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("cluster"), pk=pk
    )
    if manage and not can_manage(request.user, event):
        raise PermissionDenied
    return event


def registrations_of(user, event: Event):
    """The user's organisations' registrations for `event` (any status)."""
    if not user.is_authenticated:
        return Registration.objects.none()
    return Registration.objects.filter(
        event=event, organisation__affiliations__person__user=user
    ).select_related("organisation")


def get_participation(request, pk: int) -> tuple[Event, Registration]:
    """The event and the user's approved registration: 404 for an event they cannot see, 403
    when their organisation does not take part."""
    event = get_event_for_user(request, pk)
    registration = (
        registrations_of(request.user, event)
        .filter(status=RegistrationStatus.APPROVED)
        .order_by("pk")
        .first()
    )
    if registration is None:
        raise PermissionDenied
    registration.event = event
    return event, registration
