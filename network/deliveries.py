"""Digests and reminders that go out once, and the calendar they are counted in.

A periodic task may run twice (a redelivered message, a manual run, two beat processes), run
concurrently with itself, or run late (a worker that was down). Every digest and reminder
therefore claims a NotificationDelivery row, (recipient, kind, period or object), in the same
transaction that queues its email: the unique constraint lets exactly one run through, and a
rolled-back run leaves no row behind.

Deadlines are calendar days in the portal's time zone (settings.TIME_ZONE, Europe/Copenhagen;
Norway's Europe/Oslo keeps the same offsets and clock changes, so one zone serves both): a
reminder names a date, and the portal acts on the day after it, whatever the clock changes in
between.
"""

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from network.models import NotificationDelivery


# --- Calendar days ----------------------------------------------------------------------------
def local_day(moment: datetime | None = None) -> date:
    """The portal's calendar day at `moment` (now by default)."""
    return timezone.localdate(moment or timezone.now())


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in the portal's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def same_time_days_later(moment: datetime, days: int) -> datetime:
    """The same wall-clock time `days` calendar days later in the portal's time zone (14 days
    after 09:00 is 09:00, also across a clock change)."""
    local = timezone.localtime(moment)
    later = datetime.combine(local.date() + timedelta(days=days), local.time().replace(tzinfo=None))
    return timezone.make_aware(later)


def days_until(deadline: date, *, today: date) -> int:
    """Whole calendar days from `today` to `deadline` (0 on the day itself)."""
    return (deadline - today).days


def day_key(day: date) -> str:
    return day.isoformat()


def week_key(day: date) -> str:
    """ISO week, e.g. 2026-W10: a weekly digest run late in the week still counts as its week."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


PERIOD_DAYS = {"daily": 1, "weekly": 7}


def period_key(frequency: str, day: date) -> str:
    """The digest period `day` falls in for a daily or weekly digest."""
    return week_key(day) if frequency == "weekly" else day_key(day)


# --- Sent once --------------------------------------------------------------------------------
def recipient_key(*, user=None, address: str = "") -> str:
    if user is not None:
        return f"user:{user.pk}"
    return address.strip().lower()


def delivery_claim(*, kind: str, key: str, user=None, address: str = "", now=None) -> bool:
    """Record that `kind` for `key` goes to this recipient; False if it went already.

    Call inside the transaction that queues the email (transaction.on_commit): the row and the
    email commit together. A concurrent run waits on the unique index and then gets False.
    """
    recipient = recipient_key(user=user, address=address)
    if not recipient:
        return False
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction goes on
            NotificationDelivery.objects.create(
                user=user,
                recipient=recipient,
                kind=kind,
                key=key[:200],
                sent_at=now or timezone.now(),
            )
    except IntegrityError:
        return False
    return True


def last_delivery(*, kind: str, user=None, address: str = "") -> datetime | None:
    """When `kind` last went to this recipient, for a digest that starts where the last ended."""
    return (
        NotificationDelivery.objects.filter(
            recipient=recipient_key(user=user, address=address), kind=kind
        )
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def since_last(*, kind: str, frequency: str, now: datetime, user=None) -> datetime:
    """The start of what a digest covers: its last delivery, or one period back."""
    last = last_delivery(kind=kind, user=user)
    return last or now - timedelta(days=PERIOD_DAYS.get(frequency, 7))
