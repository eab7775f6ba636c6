"""Matchmaking events in a person's data export, and what erasure removes.

The export holds the registrations the person made (for their organisation) and the meeting
requests those registrations sent or answered. Erasure blanks the messages and reasons the
person wrote and unlinks their login; the organisations' registrations and meetings stay, so the
events' figures remain correct.
"""

from django.db.models import Q

from matchmaking.events.models import MeetingRequest, Registration


def export(user) -> dict:
    registrations = list(
        Registration.objects.filter(user=user)
        .select_related("event", "organisation")
        .order_by("pk")
    )
    requests = (
        MeetingRequest.objects.filter(
            Q(requester__in=registrations) | Q(recipient__in=registrations)
        )
        .select_related("requester__organisation", "recipient__organisation", "slot", "event")
        .order_by("pk")
    )
    return {
        "registrations": [
            {
                "event": r.event.title,
                "organisation": r.organisation.name,
                "offer": r.offer,
                "looking_for": r.looking_for,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
            }
            for r in registrations
        ],
        "meeting_requests": [
            {
                "event": m.event.title,
                "from": m.requester.organisation.name,
                "to": m.recipient.organisation.name,
                "message": m.message if m.requester.user_id == user.pk else None,
                "status": m.status,
                "decline_reason": m.decline_reason if m.recipient.user_id == user.pk else None,
                "starts_at": m.slot.starts_at.isoformat() if m.slot else None,
            }
            for m in requests
        ],
    }


def erase(user) -> None:
    MeetingRequest.objects.filter(requester__user=user).update(message="")
    MeetingRequest.objects.filter(recipient__user=user).update(decline_reason="")
    Registration.objects.filter(user=user).update(user=None)


def register_personal_data() -> None:
    from network import gdpr

    gdpr.register("matchmaking_events", export, erase)
