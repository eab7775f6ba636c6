"""Celery tasks: thin wrappers that take ids, reload, call one service and own the retries."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MAIL_ERRORS = (SMTPException, OSError)


@shared_task(
    acks_late=True,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=True,
    max_retries=8,
    time_limit=60,
    soft_time_limit=50,
)
def deliver_email(message: dict) -> None:
    """Send one rendered message; retried on its own, so others are never sent twice. An
    address that opted out since the message was queued gets nothing."""
    from network import optouts

    if optouts.is_opted_out(message["to"]):
        return
    headers = {}
    if message.get("stop_url"):
        headers = {
            "List-Unsubscribe": f"<{message['stop_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    EmailMessage(
        subject=message["subject"],
        body=message["body"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message["to"]],
        reply_to=[message["reply_to"]] if message.get("reply_to") else None,
        headers=headers or None,
    ).send()


def _deliver_all(messages) -> int:
    for message in messages:
        deliver_email.delay(message.as_dict())
    return len(messages)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_membership_status_email(history_id: int) -> int:
    """Tell the organisation about the status change recorded as `history_id`."""
    from clusters import emails
    from clusters.models import Membership

    record = Membership.history.filter(history_id=history_id).first()
    if record is None:
        return 0
    if (
        record.history_change_reason == "cancel"
        and Membership.history.filter(
            id=record.id, history_id__gt=history_id, history_change_reason="undo_cancel"
        ).exists()
    ):
        return 0  # the cancellation was undone before the organisation was told
    previous = record.prev_record
    # Who was told is recorded in the same transaction that queues the emails: a retry or a
    # redelivered task tells nobody twice.
    with transaction.atomic():
        messages = emails.status_emails(record, previous.status if previous else None)
        transaction.on_commit(lambda: _deliver_all(messages))
    return len(messages)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_staff_application_email(membership_id: int, event: str) -> int:
    from clusters import emails
    from clusters.models import Membership

    membership = (
        Membership.objects.select_related("organisation", "cluster")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        return 0
    return _deliver_all(emails.staff_emails(membership, event))


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def lapse_overdue_memberships() -> int:
    """Daily: memberships past their period plus the cluster's grace period lapse."""
    from clusters.services import memberships_lapse_overdue

    count = memberships_lapse_overdue(today=timezone.localdate())
    logger.info("Lapsed %d overdue memberships", count)
    return count


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def send_renewal_digests(frequency: str = "weekly") -> int:
    """Weekly (and daily for staff who chose it): each cluster's staff get their summary:
    renewals due, lapses, profiles going stale, expired requests. Once per person and period."""
    from clusters.services import renewal_digest_send

    return renewal_digest_send(today=timezone.localdate(), frequency=frequency)


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def send_membership_reminders() -> int:
    """Daily: members hear 60 and 14 days before their period ends, and once in grace."""
    from clusters.services.renewals import membership_reminders_send

    count = membership_reminders_send(today=timezone.localdate())
    logger.info("Queued %d membership reminders", count)
    return count


@shared_task(acks_late=True, time_limit=60 * 60, soft_time_limit=59 * 60)
def import_preview(batch_id: int) -> None:
    """Read an uploaded member list and work out what importing each row would do."""
    from clusters.services import import_batch_preview

    import_batch_preview(batch_id=batch_id)


@shared_task(acks_late=True, time_limit=60 * 60, soft_time_limit=59 * 60)
def import_commit(batch_id: int, user_id: int) -> None:
    """Write a reviewed member list in one transaction."""
    from clusters.services import import_batch_commit

    import_batch_commit(batch_id=batch_id, user_id=user_id)
