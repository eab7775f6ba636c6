"""Stale profiles: owners confirm now and then that their organisation's profile is still right.

- A published profile nobody has saved or confirmed for `PORTAL_STALE_AFTER_DAYS` (settings)
  gets one reminder to its admins (`send_reminders`).
- The reminder names a date, `PORTAL_STALE_GRACE_DAYS` calendar days (Copenhagen time) after
  the day it went out. If the profile is still neither saved nor confirmed after that date
  (from the next day on, never on it), it goes stale (`mark_stale`): matching leaves it out,
  with its needs, test sites and knowledge offers (the `matchable()` querysets), and its
  admins are told. It stays in the directory.
- One click on "Still correct" (`confirm`) or any save by the owners (`touch`) starts the
  period again and takes a stale profile back into matching.

A profile without admins is still reminded (nobody receives it) so that it goes stale on time;
staff see such profiles. Matching hears of a profile going stale or coming back through
network.hooks, as of any other change to it. A Celery beat task (network.tasks) runs both steps
daily.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from network import hooks, notifications
from network.deliveries import local_day, start_of_day
from network.models import Affiliation, Organisation
from network.models.organisations import AffiliationRole
from network.permissions import can_edit_organisation

logger = logging.getLogger(__name__)

CHUNK_SIZE = 200
# What the steps read of an organisation; the rest of the wide row is never needed.
FIELDS = ("pk", "name", "slug", "confirmed_at", "stale_reminded_at", "stale_since")


def stale_after() -> timedelta:
    return timedelta(days=settings.PORTAL_STALE_AFTER_DAYS)


def grace() -> timedelta:
    return timedelta(days=settings.PORTAL_STALE_GRACE_DAYS)


def last_day_to_confirm(reminded_at: datetime) -> date:
    """The date a reminder names: the profile goes stale on the day after it, never on it.

    Counted in the portal's calendar days, not hours, so a clock change between the reminder
    and the deadline moves nothing."""
    return local_day(reminded_at) + grace()


def goes_stale_on(organisation: Organisation) -> date | None:
    """The last day a reminded profile can be confirmed; None if it is not waiting for that."""
    if organisation.stale_since or not organisation.stale_reminded_at:
        return None
    return last_day_to_confirm(organisation.stale_reminded_at)


# --- Who is due -------------------------------------------------------------------------------
def _unconfirmed_for_the_period(now: datetime) -> Q:
    """Not saved or confirmed on the last AFTER_DAYS calendar days (today included)."""
    cutoff = start_of_day(local_day(now) - stale_after() + timedelta(days=1))
    return Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=cutoff)


def due_for_reminder(now: datetime) -> QuerySet:
    """Published profiles not saved or confirmed for AFTER_DAYS, not reminded since then."""
    return Organisation.objects.filter(
        _unconfirmed_for_the_period(now),
        Q(stale_reminded_at__isnull=True) | Q(stale_reminded_at__lt=F("confirmed_at")),
        is_published=True,
        stale_since__isnull=True,
    )


def due_to_go_stale(now: datetime) -> QuerySet:
    """Published profiles whose reminder's last day has passed, not confirmed since."""
    # Reminded on day R: the last day is R + GRACE; stale from R + GRACE + 1 on.
    cutoff = start_of_day(local_day(now) - grace())
    return Organisation.objects.filter(
        _unconfirmed_for_the_period(now),
        Q(confirmed_at__isnull=True) | Q(confirmed_at__lte=F("stale_reminded_at")),
        is_published=True,
        stale_since__isnull=True,
        stale_reminded_at__lt=cutoff,
    )


def reminded_not_stale() -> QuerySet:
    """Profiles reminded and still waiting for their owners (cluster staff see them)."""
    return Organisation.objects.filter(
        Q(confirmed_at__isnull=True) | Q(confirmed_at__lte=F("stale_reminded_at")),
        is_published=True,
        stale_since__isnull=True,
        stale_reminded_at__isnull=False,
    ).only(*FIELDS)


# --- The daily steps --------------------------------------------------------------------------
def send_reminders(now: datetime | None = None) -> int:
    """Remind the admins of each profile due; returns how many profiles were reminded."""
    now = now or timezone.now()
    count = _in_chunks(due_for_reminder(now), lambda chunk: _remind(chunk, now))
    if count:
        logger.info("Reminded %d organisations to confirm their profile", count)
    return count


def mark_stale(now: datetime | None = None) -> int:
    """Leave out of matching the profiles whose reminder went unanswered; returns how many."""
    now = now or timezone.now()
    count = _in_chunks(due_to_go_stale(now), lambda chunk: _go_stale(chunk, now))
    if count:
        logger.info("%d organisation profiles went stale", count)
    return count


def _in_chunks(queryset: QuerySet, handle: Callable[[list[Organisation]], None]) -> int:
    """Lock and handle `queryset`'s rows a chunk at a time, each chunk in its own transaction.

    Rows another run has locked are skipped (that run handles them); a chunk's writes commit
    with it, so notifications and matching follow only what was saved.
    """
    done, last_pk = 0, 0
    while True:
        with transaction.atomic():
            chunk = list(
                queryset.filter(pk__gt=last_pk)
                .order_by("pk")
                .only(*FIELDS)
                .select_for_update(skip_locked=True, of=("self",))[:CHUNK_SIZE]
            )
            if not chunk:
                return done
            handle(chunk)
        last_pk = chunk[-1].pk
        done += len(chunk)


def _admins_of(organisation_ids: list[int]) -> dict[int, list]:
    """{organisation id: its active admin users}, in one query."""
    admins = defaultdict(list)
    affiliations = (
        Affiliation.objects.filter(
            organisation_id__in=organisation_ids,
            role=AffiliationRole.ADMIN,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .select_related("person__user")
        .order_by("organisation_id", "pk")
    )
    for affiliation in affiliations:
        admins[affiliation.organisation_id].append(affiliation.person.user)
    return admins


def edit_url(organisation: Organisation) -> str:
    return reverse("organisation_edit", kwargs={"slug": organisation.slug})


def _notify_admins(chunk, admins, *, kind: str, template: str, context: dict) -> None:
    for organisation in chunk:
        url = edit_url(organisation)
        for user in admins.get(organisation.pk, ()):
            notifications.notification_send(
                user=user,
                kind=kind,
                template=template,
                context={
                    **context,
                    "organisation": organisation,
                    "confirmed_at": organisation.confirmed_at,
                    "recipient": user,
                    "url": notifications.site_url(url),
                },
                url=url,
                deadline=context.get("stale_on"),
            )


def _remind(chunk: list[Organisation], now: datetime) -> None:
    ids = [organisation.pk for organisation in chunk]
    Organisation.objects.filter(pk__in=ids).update(stale_reminded_at=now)
    _notify_admins(
        chunk,
        _admins_of(ids),
        kind="profile_confirm_reminder",
        template="emails/network/profile_confirm_reminder.txt",
        context={"stale_on": last_day_to_confirm(now)},
    )


def _go_stale(chunk: list[Organisation], now: datetime) -> None:
    ids = [organisation.pk for organisation in chunk]
    Organisation.objects.filter(pk__in=ids).update(stale_since=now)
    # One incremental match run for the whole chunk.
    hooks.profiles_changed_on_commit("organisation", ids)
    _notify_admins(
        chunk,
        _admins_of(ids),
        kind="profile_stale",
        template="emails/network/profile_stale.txt",
        context={"stale_since": now},
    )


# --- Confirming -------------------------------------------------------------------------------
def may_confirm(user, organisation: Organisation) -> bool:
    """The organisation's admins and the network admins."""
    return user is not None and can_edit_organisation(user, organisation)


def confirm(organisation: Organisation, actor, *, now: datetime | None = None) -> bool:
    """The owners' "Still correct": confirmed now. True if it was stale (and is back)."""
    if not may_confirm(actor, organisation):
        raise PermissionDenied(_("Only the organisation's admins can confirm its profile."))
    return touch(organisation, now=now)


@transaction.atomic
def touch(organisation: Organisation, *, now: datetime | None = None, notify: bool = True) -> bool:
    """The owners saved or confirmed the profile (or one of its items): the period starts again.

    A stale profile comes back into matching; `notify=False` when the caller tells matching
    about the profile itself anyway. Returns whether it was stale.
    """
    now = now or timezone.now()
    was_stale = False
    if organisation.pk:
        rows = Organisation.objects.select_for_update().filter(pk=organisation.pk)
        was_stale = rows.values_list("stale_since", flat=True).first() is not None
        rows.update(confirmed_at=now, stale_reminded_at=None, stale_since=None)
    organisation.confirmed_at = now
    organisation.stale_reminded_at = None
    organisation.stale_since = None
    if was_stale and notify:
        hooks.profile_changed_on_commit("organisation", organisation.pk)
    return was_stale
