"""Saved searches with email alerts: a signed-in person keeps a search and is told, once each,
of the new needs, test sites and knowledge offers it finds: at once, daily or weekly.

What a saved search finds is what the search page finds for that person at the time of the run
(the same engine, their own visibility then, not when they saved it): nothing hidden from them
is ever sent. When a search is saved, what it already finds is recorded as sent, so only what
is published afterwards comes. A run (network.search.tasks on the beat schedule: every few
minutes for "at once", each morning, each Monday) records every new find and emails one
message per saved search in the person's language. The email's one-click unsubscribe link
(also its List-Unsubscribe header, RFC 8058) deletes that saved search alone.
"""

import logging

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from network import optouts
from network.models import SavedSearch, SavedSearchFrequency, SavedSearchSent
from network.models.notifications import NotificationFrequency
from network.notifications import (
    email_for,
    frequency_of,
    language_of,
    render_message,
    site_url,
)
from network.search import backends
from network.search.engine import facet_groups, make_plan, visible
from network.search.index import sync
from network.search.query import MAX_CHARS
from network.search.sources import sources, url_of

logger = logging.getLogger(__name__)

ALERT_KINDS = ("need", "test_site", "knowledge_offer")
MAX_PER_USER = 20
MAX_IN_EMAIL = 20  # items named in one email; the rest are behind the search's link
UNSUBSCRIBE_SALT = "network.search.saved.unsubscribe"
TEMPLATE = "emails/network/saved_search.txt"


def alert_kinds(saved: SavedSearch) -> tuple:
    """The kinds a saved search sends: its kind when it is one of them, else all three."""
    if saved.kind:
        return (saved.kind,) if saved.kind in ALERT_KINDS else ()
    return ALERT_KINDS


def found(saved: SavedSearch) -> set[tuple[str, int]]:
    """(kind, id) of what the search finds for its owner now, in the kinds it sends."""
    kinds = alert_kinds(saved)
    query_plan = make_plan(saved.query)
    if query_plan.empty or not kinds:
        return set()
    facets = facet_groups(focus_area=saved.focus_area, region=saved.region)
    rows = backends.matching(visible(saved.user).filter(kind__in=kinds), query_plan.groups + facets)
    return set(rows.values_list("kind", "object_id"))


def search_path(saved: SavedSearch) -> str:
    params = {"q": saved.query}
    for name in ("kind", "focus_area", "region"):
        if getattr(saved, name):
            params[name] = getattr(saved, name)
    return f"{reverse('search')}?{urlencode(params)}"


@transaction.atomic
def saved_search_create(
    *, user, query: str, frequency: str, kind: str = "", focus_area: str = "", region: str = ""
) -> SavedSearch:
    """Keep a search for `user`; what it finds today counts as sent."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    query = " ".join((query or "").replace("\x00", " ").split())[:MAX_CHARS]
    if make_plan(query).empty:
        raise ValidationError(_("Type some words to search for before saving the search."))
    if frequency not in SavedSearchFrequency.values:
        raise ValidationError(_("Unknown email choice."))
    if kind and kind not in sources():
        kind = ""
    if SavedSearch.objects.filter(user=user).count() >= MAX_PER_USER:
        raise ValidationError(
            _("You can keep at most %(count)s searches. Delete one first.")
            % {"count": MAX_PER_USER}
        )
    sync()  # what it finds today is what was published up to now
    saved = SavedSearch.objects.create(
        user=user,
        query=query,
        kind=kind,
        focus_area=focus_area or "",
        region=region or "",
        frequency=frequency,
    )
    _record(saved, found(saved))
    return saved


def saved_search_delete(*, user, pk: int) -> None:
    """Delete one of `user`'s saved searches (another person's is not found)."""
    deleted, _rows = SavedSearch.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise SavedSearch.DoesNotExist


def _record(saved: SavedSearch, finds) -> None:
    SavedSearchSent.objects.bulk_create(
        [SavedSearchSent(saved_search=saved, kind=kind, object_id=pk) for kind, pk in finds],
        ignore_conflicts=True,
        batch_size=500,
    )


# --- Alerts -----------------------------------------------------------------------------------
def alerts_run(frequency: str, *, now=None) -> dict:
    """Tell the owners of `frequency` saved searches what is new since they were last told."""
    now = now or timezone.now()
    sync()  # what was published since the last search counts now
    searches = told = 0
    ids = list(
        SavedSearch.objects.filter(frequency=frequency, user__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        searches += 1
        try:
            told += saved_search_alert(pk, now=now)
        except Exception:  # one search that fails must not stop the others
            logger.exception("saved search %s: alert failed", pk)
    return {"searches": searches, "items": told}


@transaction.atomic
def saved_search_alert(pk: int, *, now=None) -> int:
    """Record and email one saved search's new finds; returns how many there were. The row is
    locked, so two runs at once send each find once."""
    saved = (
        SavedSearch.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=pk, user__is_active=True)
        .first()
    )
    if saved is None:
        return 0
    sent = set(saved.sent.values_list("kind", "object_id"))
    new = sorted(found(saved) - sent)
    saved.last_run_at = now or timezone.now()
    saved.save(update_fields=["last_run_at"])
    if not new:
        return 0
    _record(saved, new)
    items = _items(new, saved.user)
    if items:
        context = _context(saved, items, total=len(new))
        rendered = render_message(TEMPLATE, context, language_of(saved.user))
        from network.search.tasks import deliver_saved_search_email

        transaction.on_commit(
            lambda: _enqueue(deliver_saved_search_email, saved.pk, rendered.subject, rendered.body)
        )
    return len(new)


def _items(finds, user) -> list[dict]:
    """Title, kind and address of the finds named in an email (those `user` may still see),
    by kind then id."""
    kinds = sources()
    by_kind: dict = {}
    for kind, pk in finds:
        by_kind.setdefault(kind, []).append(pk)
    items = []
    for kind, pks in by_kind.items():
        source = kinds[kind]
        loaded = source.load(pks[:MAX_IN_EMAIL], user)
        for pk in pks[:MAX_IN_EMAIL]:
            item = loaded.get(pk)
            if item is not None:
                items.append(
                    {
                        "kind": source.label,
                        "title": getattr(item, "title", None) or getattr(item, "name", ""),
                        "url": site_url(url_of(source, item)),
                    }
                )
    return items[:MAX_IN_EMAIL]


def _context(saved: SavedSearch, items: list[dict], *, total: int) -> dict:
    return {
        "saved": saved,
        "items": items,
        "count": total,
        "search_url": site_url(search_path(saved)),
        "stop_url": site_url(unsubscribe_url(saved)),
        "list_url": site_url(reverse("saved_searches")),
    }


def _enqueue(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:
        # A broker that is down must not undo the run; the finds stay recorded.
        logger.exception("Could not enqueue %s%r", task.name, args)


def saved_search_email_deliver(*, saved_search_id: int, subject: str, body: str) -> bool:
    """Send one alert, unless the search was deleted or the person stopped emails since."""
    saved = (
        SavedSearch.objects.select_related("user")
        .filter(pk=saved_search_id, user__is_active=True)
        .first()
    )
    if saved is None:
        return False
    if optouts.is_opted_out(saved.user.email):
        return False  # the address asked for no emails at all (network.optouts)
    if frequency_of(saved.user) == NotificationFrequency.NEVER:
        return False  # "never by email" in the preference centre stops these too
    message = email_for(saved.user, subject, body)
    message.extra_headers["List-Unsubscribe"] = f"<{site_url(unsubscribe_url(saved))}>"
    message.send()
    return True


# --- Unsubscribing from one saved search ------------------------------------------------------
def unsubscribe_token(saved: SavedSearch) -> str:
    """The same token every time for a saved search (no timestamp): it never expires."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"s": saved.pk, "u": saved.user_id})


def unsubscribe_url(saved: SavedSearch) -> str:
    return reverse("saved_search_unsubscribe", args=[unsubscribe_token(saved)])


def saved_search_for_token(token: str) -> SavedSearch | None:
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        SavedSearch.objects.select_related("user")
        .filter(pk=data.get("s"), user_id=data.get("u"))
        .first()
    )


def saved_search_unsubscribe(*, token: str) -> bool:
    """Delete the saved search the token names; True when there was one."""
    saved = saved_search_for_token(token)
    if saved is None:
        return False
    saved.delete()
    return True
