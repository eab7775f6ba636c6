"""Celery tasks for joining: the invitation email and the daily expiry of join requests."""

from celery import shared_task

from network.notifications_tasks import RETRY


@shared_task(**RETRY)
def deliver_invitation_email(invitation_id: int, subject: str, body: str) -> bool:
    from network.joining.delivery import invitation_email_deliver

    return invitation_email_deliver(invitation_id=invitation_id, subject=subject, body=body)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def expire_join_requests() -> int:
    from network.joining.services import join_requests_expire

    return join_requests_expire()
