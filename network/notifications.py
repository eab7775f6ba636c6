"""Telling people things: the in-portal inbox, emails by each person's choice, unsubscribing.

Other apps call `notification_send` (one event for one person) and `digest_send` (a weekly
summary they compose). Texts are rendered from templates in the recipient's language; the
template's first line is the subject, the rest the body. Emails go out through Celery once the
transaction commits, one task per message, so a failing mail server is retried without
repeating messages already sent.

Unsubscribe links carry a signed token naming the person: it works without signing in, cannot
be made up, and only ever changes the choice of the person it was made for.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from network.models import Notification, NotificationPreference, User
from network.models.notifications import NotificationFrequency

logger = logging.getLogger(__name__)

LANGUAGES = {"da", "nb", "en"}
UNSUBSCRIBE_SALT = "network.notifications.unsubscribe"
UNREAD_CACHE_SECONDS = 300


def language_of(user) -> str:
    value = (getattr(user, "language", "") or "")[:2]
    return value if value in LANGUAGES else settings.LANGUAGE_CODE


def site_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render_message(template: str, context: dict, language: str) -> Rendered:
    """Subject (first line) and body of `template`, in `language`."""
    with translation.override(language):
        text = render_to_string(template, {**context, "language": language}).strip()
    subject, _newline, body = text.partition("\n")
    return Rendered(" ".join(subject.split())[:250], body.strip())


# --- Preferences ------------------------------------------------------------------------------
def frequency_of(user) -> str:
    preference = NotificationPreference.objects.filter(user=user).only("frequency").first()
    return preference.frequency if preference else NotificationFrequency.IMMEDIATELY


@transaction.atomic
def preference_set(*, user, frequency: str) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    preference.frequency = frequency
    preference.full_clean()
    preference.save(update_fields=["frequency", "updated_at"])
    return preference


# --- Sending ----------------------------------------------------------------------------------
@transaction.atomic
def notification_send(
    *, user, kind: str, template: str, context: dict, url: str = "", email: bool = True
) -> Notification | None:
    """Put a message in `user`'s inbox and, if they want emails at once, email it."""
    if user is None or not user.is_active:
        return None
    rendered = render_message(template, context, language_of(user))
    notification = Notification(
        user=user, kind=kind, title=rendered.subject, body=rendered.body, url=url
    )
    notification.full_clean()
    notification.save()
    _unread_changed(user)
    if email and frequency_of(user) == NotificationFrequency.IMMEDIATELY:
        from network.notifications_tasks import deliver_notification_email

        transaction.on_commit(lambda: _enqueue(deliver_notification_email, notification.pk))
    return notification


@transaction.atomic
def digest_send(*, user, template: str, context: dict, now=None) -> bool:
    """Email a digest composed by the caller; remembers when, so the next one starts there."""
    now = now or timezone.now()
    if not user.is_active or frequency_of(user) != NotificationFrequency.WEEKLY:
        return False
    rendered = render_message(template, context, language_of(user))
    NotificationPreference.objects.filter(user=user).update(last_digest_at=now)
    from network.notifications_tasks import deliver_digest_email

    subject, body = rendered.subject, rendered.body
    transaction.on_commit(lambda: _enqueue(deliver_digest_email, user.pk, subject, body))
    return True


def digest_recipients():
    """People who chose the weekly digest, with when they last got one."""
    return (
        NotificationPreference.objects.filter(
            frequency=NotificationFrequency.WEEKLY, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    )


def unread_since(user, since):
    notifications = Notification.objects.for_user(user).unread()
    if since:
        notifications = notifications.filter(created_at__gte=since)
    return notifications


def _enqueue(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:
        # A broker that is down must not undo what the person did; the inbox has the message.
        logger.exception("Could not enqueue %s%r", task.name, args)


def email_for(user, subject: str, body: str) -> EmailMessage:
    """The email with the unsubscribe footer and one-click List-Unsubscribe headers."""
    language = language_of(user)
    unsubscribe = site_url(unsubscribe_url(user))
    with translation.override(language):
        footer = render_to_string(
            "network/notifications/email_footer.txt",
            {
                "unsubscribe_url": unsubscribe,
                "preferences_url": site_url(reverse("notification_preferences")),
            },
        ).strip()
    return EmailMessage(
        subject=subject,
        body=f"{body}\n\n-- \n{footer}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def notification_email_deliver(*, notification_id: int) -> bool:
    """Send one notification's email, once: a notification already emailed is skipped."""
    notification = (
        Notification.objects.select_related("user")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.user.is_active:
        return False
    if frequency_of(notification.user) != NotificationFrequency.IMMEDIATELY:
        return False  # they changed their mind since
    email_for(notification.user, notification.title, notification.body).send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def digest_email_deliver(*, user_id: int, subject: str, body: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or frequency_of(user) != NotificationFrequency.WEEKLY:
        return False
    email_for(user, subject, body).send()
    return True


# --- Inbox ------------------------------------------------------------------------------------
def notifications_mark_read(*, user, ids=None) -> int:
    notifications = Notification.objects.for_user(user).unread()
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    count = notifications.update(read_at=timezone.now())
    if count:
        _unread_changed(user)
    return count


def _unread_key(user) -> str:
    # date_joined tells apart a new account that reuses an id (tests, restored databases).
    joined = user.date_joined.timestamp() if user.date_joined else 0
    return f"notifications:unread:{user.pk}:{joined}"


def unread_count(user) -> int:
    """For the header of every page: from the shared cache, counted again after a change."""
    key = _unread_key(user)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.for_user(user).unread().count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def _unread_changed(user) -> None:
    key = _unread_key(user)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))  # a page counted meanwhile saw the old


# --- Unsubscribing ----------------------------------------------------------------------------
def unsubscribe_token(user) -> str:
    """Signed with SECRET_KEY and bound to the person and their address."""
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user) -> str:
    return reverse("unsubscribe", kwargs={"token": unsubscribe_token(user)})


def user_for_token(token: str):
    """The person an unsubscribe token was made for, or None for anything else."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email.lower() != data.get("e"):
        return None  # the address changed or the account was erased: the link is dead
    return user


@transaction.atomic
def unsubscribe(*, token: str):
    """No more emails for the token's person; their inbox stays. None for a bad token."""
    user = user_for_token(token)
    if user is None:
        return None
    preference_set(user=user, frequency=NotificationFrequency.NEVER)
    return user


# --- Personal data ----------------------------------------------------------------------------
def _export_notifications(user) -> dict:
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "preference": {
            "frequency": preference.frequency if preference else NotificationFrequency.IMMEDIATELY,
            "last_digest_at": preference.last_digest_at.isoformat()
            if preference and preference.last_digest_at
            else None,
        },
        "inbox": [
            {
                "kind": n.kind,
                "title": n.title,
                "text": n.body,
                "link": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


def _erase_notifications(user) -> None:
    Notification.objects.filter(user=user).delete()
    _unread_changed(user)
    NotificationPreference.objects.filter(user=user).delete()


def register_personal_data() -> None:
    from network import gdpr

    gdpr.register("notifications", _export_notifications, _erase_notifications)
