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
import operator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network import optouts
from network.deliveries import PERIOD_DAYS, delivery_claim, local_day, period_key, start_of_day
from network.models import Notification, NotificationDelivery, NotificationPreference, User
from network.models.notifications import NotificationCategory, NotificationFrequency

logger = logging.getLogger(__name__)

LANGUAGES = {"da", "nb", "en"}
UNSUBSCRIBE_SALT = "network.notifications.unsubscribe"
UNREAD_CACHE_SECONDS = 300


def language_of(user) -> str:
    value = (getattr(user, "language", "") or "")[:2]
    return value if value in LANGUAGES else settings.LANGUAGE_CODE


def logins_of(*organisation_ids: int, exclude=None):
    """Active logins of the organisations' people, each once, in a fixed order: whom a
    notification about something of those organisations goes to. `exclude` (the user who
    acted, or an anonymous one) is left out."""
    users = User.objects.filter(
        person__affiliations__organisation_id__in=organisation_ids, is_active=True
    ).distinct()
    if exclude is not None and exclude.pk is not None:
        users = users.exclude(pk=exclude.pk)
    return users.order_by("pk")


def site_url(path: str) -> str:
    """`path` on the site's public address (settings.PORTAL_SITE_URL): every link the portal
    sends or writes into a file, never the host of whichever request or worker made it."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_SITE_URL.rstrip("/") + path


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
# Each notification kind belongs to one category of the preference centre (by its prefix).
CATEGORY_PREFIXES = (
    ("membership", NotificationCategory.MEMBERSHIP),
    ("introduction", NotificationCategory.INTRODUCTIONS),
    ("match", NotificationCategory.MATCHES),
    ("review", NotificationCategory.REVIEWS),
    ("profile", NotificationCategory.REVIEWS),
    ("staff_digest", NotificationCategory.DIGESTS),
)
# The staff's summaries come weekly unless the person chose otherwise (or nothing at all).
DIGEST_CHOICES = (
    NotificationFrequency.DAILY,
    NotificationFrequency.WEEKLY,
    NotificationFrequency.NEVER,
)


def category_of(kind: str) -> str:
    for prefix, category in CATEGORY_PREFIXES:
        if kind.startswith(prefix):
            return category
    return NotificationCategory.INTRODUCTIONS


def _preference(user):
    return NotificationPreference.objects.filter(user=user).only("frequency", "frequencies").first()


def _frequency_in(preference, category: str | None) -> str:
    overall = preference.frequency if preference else NotificationFrequency.IMMEDIATELY
    if category is None:
        return overall
    chosen = (preference.frequencies or {}).get(category) if preference else None
    if chosen in NotificationFrequency.values:
        return chosen
    if category == NotificationCategory.DIGESTS and overall not in DIGEST_CHOICES:
        return NotificationFrequency.WEEKLY
    return overall


def frequency_of(user, category: str | None = None) -> str:
    """How often `user` wants emails of `category` (their overall choice without one)."""
    return _frequency_in(_preference(user), category)


def frequencies_of(user) -> dict[str, str]:
    """{category: frequency} for every category, as the preference centre shows them."""
    preference = _preference(user)
    return {category: _frequency_in(preference, category) for category in NotificationCategory}


@transaction.atomic
def preference_set(
    *, user, frequency: str | None = None, frequencies: dict | None = None
) -> NotificationPreference:
    """Set the overall choice (which also resets every kind to it) and/or single kinds."""
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user
    )
    if frequency is not None:
        preference.frequency = frequency
        preference.frequencies = {}
    if frequencies:
        preference.frequencies = {**(preference.frequencies or {}), **frequencies}
    preference.full_clean()
    for category, value in preference.frequencies.items():
        if category not in NotificationCategory.values or value not in NotificationFrequency:
            raise ValidationError(_("Unknown email choice."))
    preference.save(update_fields=["frequency", "frequencies", "updated_at"])
    return preference


def emails_now(frequency: str, *, deadline=None, now=None) -> bool:
    """Email at once? Yes for "at once"; for a digest too when the deadline would pass before
    the next one went out."""
    if frequency == NotificationFrequency.IMMEDIATELY:
        return True
    if frequency not in PERIOD_DAYS or deadline is None:
        return False
    if not isinstance(deadline, datetime):
        deadline = start_of_day(deadline + timedelta(days=1))  # the end of the last day
    return deadline <= (now or timezone.now()) + timedelta(days=PERIOD_DAYS[frequency])


# --- Sending ----------------------------------------------------------------------------------
@transaction.atomic
def notification_send(
    *,
    user,
    kind: str,
    template: str,
    context: dict,
    url: str = "",
    email: bool = True,
    deadline=None,
) -> Notification | None:
    """Put a message in `user`'s inbox and email it if they want this kind at once (or it has
    a `deadline`, a date or datetime, that falls before their next digest)."""
    if user is None or not user.is_active:
        return None
    rendered = render_message(template, context, language_of(user))
    notification = Notification(
        user=user, kind=kind, title=rendered.subject, body=rendered.body, url=url
    )
    notification.full_clean()
    notification.save()
    _unread_changed(user)
    if email and emails_now(frequency_of(user, category_of(kind)), deadline=deadline):
        from network.notifications_tasks import deliver_notification_email

        transaction.on_commit(lambda: _enqueue(deliver_notification_email, notification.pk))
    return notification


def digest_categories(user, frequency: str) -> list[str]:
    """The categories `user` gets in a `frequency` digest."""
    return [
        category
        for category, chosen in frequencies_of(user).items()
        if chosen == frequency and category != NotificationCategory.DIGESTS
    ]


@transaction.atomic
def digest_send(
    *,
    user,
    template: str,
    context: dict,
    frequency: str,
    kind: str = "digest",
    category: str | None = None,
    now=None,
) -> bool:
    """Email a digest composed by the caller, at most once per person, `kind` and period: the
    delivery row (kind "<kind>:<frequency>") and the queued email commit together."""
    now = now or timezone.now()
    if not user.is_active:
        return False
    key = period_key(frequency, local_day(now))
    if not delivery_claim(kind=f"{kind}:{frequency}", key=key, user=user, now=now):
        return False  # this period's digest went already
    rendered = render_message(template, context, language_of(user))
    if kind == "digest":
        NotificationPreference.objects.filter(user=user).update(last_digest_at=now)
    from network.notifications_tasks import deliver_digest_email

    subject, body = rendered.subject, rendered.body
    transaction.on_commit(lambda: _enqueue(deliver_digest_email, user.pk, subject, body, category))
    return True


def digest_recipients(frequency: str):
    """People with at least one kind in the `frequency` digest."""
    return (
        NotificationPreference.objects.filter(user__is_active=True)
        .filter(Q(frequency=frequency) | Q(frequencies__icontains=f'"{frequency}"'))
        .select_related("user")
        .order_by("pk")
    )


def unread_since(user, since, categories=None):
    """Unread notifications not emailed already, of `categories` (all by default)."""
    notifications = Notification.objects.for_user(user).unread().filter(emailed_at__isnull=True)
    if since:
        notifications = notifications.filter(created_at__gte=since)
    if categories is not None:
        notifications = notifications.filter(_kinds_in(categories))
    return notifications


def _kinds_in(categories) -> Q:
    chosen = [Q(kind__startswith=p) for p, category in CATEGORY_PREFIXES if category in categories]
    query = reduce(operator.or_, chosen, Q(pk__in=[]))
    if NotificationCategory.INTRODUCTIONS in categories:  # also the kinds no prefix names
        query |= ~reduce(operator.or_, (Q(kind__startswith=p) for p, _c in CATEGORY_PREFIXES))
    return query


def _enqueue(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:
        # A broker that is down must not undo what the person did; the inbox has the message.
        logger.exception("Could not enqueue %s%r", task.name, args)


def email_for(
    user, subject: str, body: str, *, category: str | None = None, required: bool = False
) -> EmailMessage:
    """The email with its footer and one-click List-Unsubscribe headers (RFC 8058).

    The unsubscribe link stops emails of `category` (all emails without one). A `required`
    message (about the person's own account) says it comes whatever they chose.
    """
    language = language_of(user)
    unsubscribe = site_url(unsubscribe_url(user, category=category))
    with translation.override(language):
        footer = render_to_string(
            "network/notifications/email_footer.txt",
            {
                "unsubscribe_url": unsubscribe,
                "preferences_url": site_url(reverse("notification_preferences")),
                "category": NotificationCategory(category).label if category else "",
                "required": required,
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
    category = category_of(notification.kind)
    if frequency_of(notification.user, category) == NotificationFrequency.NEVER:
        return False  # they turned these emails off since
    if optouts.is_opted_out(notification.user.email):
        return False  # the address asked for no emails at all (network.optouts)
    email_for(notification.user, notification.title, notification.body, category=category).send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def digest_email_deliver(
    *, user_id: int, subject: str, body: str, category: str | None = None
) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    if category:
        if frequency_of(user, category) == NotificationFrequency.NEVER:
            return False  # they turned these emails off since
    elif set(frequencies_of(user).values()) == {NotificationFrequency.NEVER}:
        return False
    if optouts.is_opted_out(user.email):
        return False  # the address asked for no emails at all (network.optouts)
    email_for(user, subject, body, category=category).send()
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
def unsubscribe_token(user, category: str | None = None) -> str:
    """Signed with SECRET_KEY and bound to the person, their address and the kind of email."""
    data = {"u": user.pk, "e": user.email.lower()}
    if category:
        data["c"] = category
    return signing.dumps(data, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user, category: str | None = None) -> str:
    return reverse("unsubscribe", kwargs={"token": unsubscribe_token(user, category)})


def _token_data(token: str):
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None, None
    if not isinstance(data, dict):
        return None, None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email.lower() != data.get("e"):
        return None, None  # the address changed or the account was erased: the link is dead
    category = data.get("c")
    return user, category if category in NotificationCategory.values else None


def user_for_token(token: str):
    """The person an unsubscribe token was made for, or None for anything else."""
    return _token_data(token)[0]


def category_for_token(token: str) -> str | None:
    """The kind of email a token stops; None for all of them."""
    return _token_data(token)[1]


@transaction.atomic
def unsubscribe(*, token: str):
    """No more emails of the token's kind (or none at all) for its person; their inbox stays
    and messages about their own account still come. None for a bad token."""
    user, category = _token_data(token)
    if user is None:
        return None
    if category:
        preference_set(user=user, frequencies={category: NotificationFrequency.NEVER})
    else:
        preference_set(user=user, frequency=NotificationFrequency.NEVER)
    return user


# --- Personal data ----------------------------------------------------------------------------
def _export_notifications(user) -> dict:
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "preference": {
            "frequency": preference.frequency if preference else NotificationFrequency.IMMEDIATELY,
            "by_kind": preference.frequencies if preference else {},
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
    NotificationDelivery.objects.filter(user=user).delete()


def register_personal_data() -> None:
    from network import gdpr

    gdpr.register("notifications", _export_notifications, _erase_notifications)
    from network import optouts

    optouts.register_personal_data()
