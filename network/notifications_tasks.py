"""Celery tasks for notification emails: take ids, call one service, own the retries.

Registered with the worker through CELERY_IMPORTS (settings), beside the autodiscovered
`tasks` modules.
"""

from smtplib import SMTPException

from celery import shared_task

MAIL_ERRORS = (SMTPException, OSError)
RETRY = {
    "acks_late": True,
    "autoretry_for": MAIL_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 8,
    "time_limit": 60,
    "soft_time_limit": 50,
}


@shared_task(**RETRY)
def deliver_notification_email(notification_id: int) -> bool:
    from network.notifications import notification_email_deliver

    return notification_email_deliver(notification_id=notification_id)


@shared_task(**RETRY)
def deliver_digest_email(user_id: int, subject: str, body: str, category=None) -> bool:
    from network.notifications import digest_email_deliver

    return digest_email_deliver(user_id=user_id, subject=subject, body=body, category=category)
