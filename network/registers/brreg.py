"""Norway: Brønnøysundregistrene's open Enhetsregisteret API (no key).

GET {PORTAL_BRREG_URL}/enheter/{orgnr} answers the unit as JSON; 404 means no such unit and
410 a unit that was deleted. A deleted unit may also come as 200 with ``slettedato`` and little
else.
"""

from django.conf import settings
from django.utils import timezone

from .base import (
    FOUND,
    NOT_FOUND,
    RegisterResult,
    RegisterUnavailable,
    mapping,
    request_json,
    text,
)

SOURCE = "Brønnøysundregistrene (Enhetsregisteret)"


def is_enabled() -> bool:
    return bool(settings.PORTAL_BRREG_URL)


def lookup_orgnr(number: str) -> RegisterResult:
    """The unit with this (valid, normalised) organisasjonsnummer; raises RegisterUnavailable."""
    base_url = settings.PORTAL_BRREG_URL.rstrip("/")
    response = request_json("GET", f"{base_url}/enheter/{number}")
    # 400 is the register refusing the number itself: for the form, no such unit.
    if response.status_code in (400, 404, 410):
        return RegisterResult(
            status=NOT_FOUND, source=SOURCE, country="NO", number=number, fetched_at=timezone.now()
        )
    if response.status_code != 200:
        raise RegisterUnavailable(f"Enhetsregisteret {number}: HTTP {response.status_code}")
    try:
        return _result(number, response.data)
    except (TypeError, ValueError, AttributeError) as exc:
        raise RegisterUnavailable(f"Enhetsregisteret {number}: unexpected answer ({exc})") from exc


def _result(number: str, unit) -> RegisterResult:
    unit = mapping(unit)
    name = text(unit.get("navn"))
    if not name or text(unit.get("organisasjonsnummer")) not in ("", number):
        raise ValueError("no name, or another unit's number")
    # Units without premises of their own (some sole traders) only have a postal address.
    address = mapping(unit.get("forretningsadresse")) or mapping(unit.get("postadresse"))
    lines = address.get("adresse") or []
    if not isinstance(lines, list):
        raise TypeError("adresse is not a list")
    industry = mapping(unit.get("naeringskode1"))
    legal_form = mapping(unit.get("organisasjonsform"))
    closed = (
        unit.get("konkurs") is True
        or unit.get("underAvvikling") is True
        or unit.get("underTvangsavviklingEllerTvangsopplosning") is True
        or bool(text(unit.get("slettedato")))
    )
    return RegisterResult(
        status=FOUND,
        source=SOURCE,
        country="NO",
        number=number,
        name=name,
        street=", ".join(line for line in (text(item) for item in lines) if line),
        postcode=text(address.get("postnummer")),
        town=text(address.get("poststed")),
        municipality_code=text(address.get("kommunenummer")),
        industry_code=text(industry.get("kode")),
        industry_text=text(industry.get("beskrivelse")),
        legal_form=text(legal_form.get("beskrivelse")) or text(legal_form.get("kode")),
        is_active=not closed,
        fetched_at=timezone.now(),
        raw=_without_links(unit),
    )


def _without_links(value):
    """The unit as the register sent it, minus the HAL ``_links`` that only point back."""
    if isinstance(value, dict):
        return {key: _without_links(item) for key, item in value.items() if key != "_links"}
    if isinstance(value, list):
        return [_without_links(item) for item in value]
    return value
