"""Addresses that asked for no more emails, without a login (issue 24).

A membership's contact person may have no login, so no preference centre. Every email the
portal sends to such an address carries a link (and List-Unsubscribe headers, clusters.tasks)
that stops all emails to that address without signing in. The opt-out is kept by address, so
it holds for any person row with that address (a re-import, a new contact, a person erased and
added again), and every sender asks `is_opted_out` (or `opted_out_among`) before it writes or
sends.

Cluster staff see an opt-out on the membership page, can record one the person asked for by
phone or letter, and can lift it at the person's request; the person can lift it themselves
from the page the link leads to. Every change is an EmailOptOutEvent: who, when, how and why.

Tokens are signed with SECRET_KEY for the lower-case address: they cannot be made up, and only
ever change the address they were made for.
"""

from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from network.models.notifications import (
    EmailOptOut,
    EmailOptOutAction,
    EmailOptOutEvent,
    EmailOptOutVia,
    normalise_address,
)

ADDRESS_SALT = "network.optouts.address"
MAX_NOTE = 500


# --- Asking -----------------------------------------------------------------------------------
def is_opted_out(address: str) -> bool:
    address = normalise_address(address)
    return bool(address) and EmailOptOut.objects.filter(address=address).exists()


def opted_out_among(addresses) -> set[str]:
    """The lower-case addresses among `addresses` that are opted out (one query)."""
    wanted = {normalise_address(a) for a in addresses if a}
    if not wanted:
        return set()
    return set(EmailOptOut.objects.filter(address__in=wanted).values_list("address", flat=True))


def opt_out_of(address: str) -> EmailOptOut | None:
    address = normalise_address(address)
    return EmailOptOut.objects.filter(address=address).first() if address else None


def events_for(address: str):
    return EmailOptOutEvent.objects.filter(address=normalise_address(address)).select_related(
        "actor"
    )


# --- Changing ---------------------------------------------------------------------------------
def _note(note: str) -> str:
    return " ".join((note or "").split())[:MAX_NOTE]


@transaction.atomic
def opt_out(*, address: str, via: str, actor=None, note: str = "", now=None) -> bool:
    """Stop every email to `address`. False (and nothing written) if it was stopped already."""
    address = normalise_address(address)
    if not address:
        return False
    now = now or timezone.now()
    try:
        with transaction.atomic():
            EmailOptOut.objects.create(address=address, created_at=now)
    except IntegrityError:
        return False  # already opted out (a second click, or two at once)
    EmailOptOutEvent.objects.create(
        address=address,
        action=EmailOptOutAction.OPTED_OUT,
        via=EmailOptOutVia(via),
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=_note(note),
        at=now,
    )
    return True


@transaction.atomic
def resume(*, address: str, via: str, actor=None, note: str = "", now=None) -> bool:
    """Email `address` again. False (and nothing written) if it was not opted out."""
    address = normalise_address(address)
    deleted, _rows = EmailOptOut.objects.filter(address=address).delete()
    if not deleted:
        return False
    EmailOptOutEvent.objects.create(
        address=address,
        action=EmailOptOutAction.RESUMED,
        via=EmailOptOutVia(via),
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=_note(note),
        at=now or timezone.now(),
    )
    return True


# --- Links in emails --------------------------------------------------------------------------
def address_token(address: str) -> str:
    return signing.dumps({"a": normalise_address(address)}, salt=ADDRESS_SALT)


def address_for_token(token: str) -> str | None:
    """The address a token was made for, or None for anything else."""
    try:
        data = signing.loads(token, salt=ADDRESS_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str) or "@" not in data["a"]:
        return None
    return data["a"]


def stop_url(address: str) -> str:
    from network.notifications import site_url

    return site_url(reverse("email_opt_out", kwargs={"token": address_token(address)}))


def footer(address: str, language: str) -> str:
    """The lines under an email to an address without a login: why it came, and how to stop."""
    with translation.override(language):
        return render_to_string(
            "network/notifications/address_footer.txt", {"stop_url": stop_url(address)}
        ).strip()


def with_footer(body: str, address: str, language: str) -> str:
    return f"{body.rstrip()}\n\n-- \n{footer(address, language)}\n"


# --- Personal data ----------------------------------------------------------------------------
def _export(user) -> dict:
    """What the portal keeps about the person's own address's opt-out (not who else they are)."""
    address = normalise_address(user.email)
    current = opt_out_of(address)
    return {
        "opted_out_since": current.created_at.isoformat() if current else None,
        "events": [
            {"what": e.action, "how": e.via, "note": e.note, "at": e.at.isoformat()}
            for e in events_for(address).order_by("at", "pk")
        ],
    }


def register_personal_data() -> None:
    """The opt-out is kept when an account is erased: it is the person's objection to being
    emailed (GDPR art. 21), and forgetting it would start emailing the address again."""
    from network import gdpr

    gdpr.register("email_opt_out", _export)
