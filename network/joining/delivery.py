"""Sending an invitation: to an address that may have no account yet, so no unsubscribe link
(nothing to unsubscribe from), and only while the invitation is still open."""

from django.conf import settings
from django.core.mail import EmailMessage

from network.models import Invitation


def invitation_email_deliver(*, invitation_id: int, subject: str, body: str) -> bool:
    invitation = Invitation.objects.open().filter(pk=invitation_id).first()
    if invitation is None:
        return False  # withdrawn or replaced before the mail went out
    from network import optouts

    if optouts.is_opted_out(invitation.email):
        return False  # the address asked for no emails from the portal
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    ).send()
    return True
