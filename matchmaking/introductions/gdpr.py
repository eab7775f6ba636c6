"""Introductions and feedback in a person's data export, and what erasure removes.

The export holds what the person wrote and did (messages, answers, ratings) and the
organisations involved, never the other side's contact details. Erasure blanks their texts,
also in the history, and unlinks their login; the organisations' records of the introduction
stay, so figures remain correct.
"""

from django.db.models import Q

from matchmaking.models_introductions import Feedback, Introduction, ShortlistEntry


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    introductions = (
        Introduction.objects.filter(Q(requested_by=user) | Q(responded_by=user))
        .select_related("source", "target_organisation")
        .order_by("requested_at", "pk")
    )
    feedback = Feedback.objects.filter(user=user).select_related("match").order_by("pk")
    return {
        "introductions": [
            {
                "company": i.source.name,
                "asked_organisation": i.target_organisation.name,
                "status": i.status,
                "requested_at": _iso(i.requested_at),
                "responded_at": _iso(i.responded_at),
                "met_at": _iso(i.met_at),
                "my_message": i.message if i.requested_by_id == user.pk else None,
                "my_reason": i.decline_reason if i.responded_by_id == user.pk else None,
            }
            for i in introductions
        ],
        "feedback": [
            {
                "kind": f.kind,
                "outcome": f.outcome,
                "reason_code": f.reason_code,
                "reason": f.reason,
                "created_at": _iso(f.created_at),
            }
            for f in feedback
        ],
        "shortlisted": [
            {
                "company": entry.source.name,
                "on_behalf_of": entry.organisation.name,
                "target_type": entry.target_type,
                "created_at": _iso(entry.created_at),
            }
            for entry in ShortlistEntry.objects.filter(added_by=user)
            .select_related("source", "organisation")
            .order_by("pk")
        ],
    }


def erase(user) -> None:
    history = Introduction.history.model.objects
    history.filter(requested_by=user).update(message="")
    history.filter(responded_by=user).update(decline_reason="")
    history.filter(history_user=user).update(history_user=None)
    Introduction.objects.filter(requested_by=user).update(message="", requested_by=None)
    Introduction.objects.filter(responded_by=user).update(decline_reason="", responded_by=None)
    Feedback.objects.filter(user=user).update(reason="", user=None)
    ShortlistEntry.objects.filter(added_by=user).update(added_by=None)


def register_personal_data() -> None:
    from network import gdpr

    gdpr.register("introductions", export, erase)
