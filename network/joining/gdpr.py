"""What joining keeps about a person, for the export and the erasure (network/gdpr.py)."""

from django.db.models import Q

from network.models import Invitation, JoinRequest


def _export(user) -> dict:
    return {
        "join_requests": [
            {
                "organisation": request.organisation.name,
                "message": request.message,
                "status": request.status,
                "role": request.role,
                "reason": request.reason,
                "asked_at": request.created_at.isoformat(),
                "answered_at": request.decided_at.isoformat() if request.decided_at else None,
            }
            for request in JoinRequest.objects.filter(person__user=user).select_related(
                "organisation"
            )
        ],
        "invitations_received": [
            {
                "organisation": invitation.organisation.name,
                "email": invitation.email,
                "role": invitation.role,
                "sent_at": invitation.created_at.isoformat(),
                "accepted_at": invitation.accepted_at.isoformat()
                if invitation.accepted_at
                else None,
            }
            for invitation in Invitation.objects.filter(
                Q(email__iexact=user.email) | Q(accepted_by=user)
            ).select_related("organisation")
        ],
    }


def _erase(user) -> None:
    # Requests hold the person's own words; invitations their address. Neither is needed once
    # the account is gone (the affiliations they led to are the organisation's record).
    JoinRequest.objects.filter(person__user=user).delete()
    Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).delete()


def register_personal_data() -> None:
    from network import gdpr

    gdpr.register("joining", _export, _erase)
