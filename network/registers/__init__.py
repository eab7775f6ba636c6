"""Public business registers that fill a new organisation's name, address and industry.

    result = lookup("NO", "912345675")
    if result.found:
        form.initial.update(name=result.name, ...)
        municipality = municipality_for(result)

``lookup`` never raises for a register's trouble: a time-out, a refused connection, a 5xx or an
answer of the wrong shape gives status "unavailable" (and a warning in the log), so the form
asks the person to type the fields. Answers that say something ("found", "not_found") are
cached for a day; "unavailable" is not, so the next try asks the register again.
"""

import dataclasses
import logging

from django.core.cache import cache

from network.identifiers import is_valid_cvr, is_valid_orgnr, normalise
from network.models import Municipality

from . import brreg, cvr
from .base import DISABLED, FOUND, NOT_FOUND, UNAVAILABLE, RegisterResult, RegisterUnavailable

__all__ = [
    "DISABLED",
    "FOUND",
    "NOT_FOUND",
    "UNAVAILABLE",
    "RegisterResult",
    "lookup",
    "municipality_for",
]

logger = logging.getLogger("network.registers")

CACHE_SECONDS = 24 * 60 * 60

# country -> (source name, number check, is the register configured, client)
_REGISTERS = {
    "NO": (brreg.SOURCE, is_valid_orgnr, brreg.is_enabled, brreg.lookup_orgnr),
    "DK": (cvr.SOURCE, is_valid_cvr, cvr.is_enabled, cvr.lookup_cvr),
}


def lookup(country: str, number: str) -> RegisterResult:
    """What the country's register says about this CVR number / organisasjonsnummer.

    ``country`` is "DK" or "NO" (anything else is a programming error: ValueError). A number
    that fails its check digit cannot be in the register: "not_found" without asking it.
    """
    try:
        source, is_valid, is_enabled, client = _REGISTERS[country]
    except KeyError:
        raise ValueError(f"no business register for country {country!r}") from None
    number = normalise(number)
    if not is_enabled():
        return RegisterResult(status=DISABLED, source=source, country=country, number=number)
    if not is_valid(number):
        return RegisterResult(status=NOT_FOUND, source=source, country=country, number=number)
    key = f"registers:v1:{country}:{number}"
    cached = _from_cache(key)
    if cached is not None:
        return cached
    try:
        result = client(number)
    except RegisterUnavailable as exc:
        logger.warning("Business register unavailable: %s", exc)
        return RegisterResult(status=UNAVAILABLE, source=source, country=country, number=number)
    except Exception:
        # A bug in reading an answer must not block a registration either; it is reported.
        logger.exception("Business register lookup failed: %s %s", country, number)
        return RegisterResult(status=UNAVAILABLE, source=source, country=country, number=number)
    if result.status in (FOUND, NOT_FOUND):
        cache.set(key, dataclasses.asdict(result), CACHE_SECONDS)
    return result


def _from_cache(key: str) -> RegisterResult | None:
    value = cache.get(key)
    if not isinstance(value, dict):
        return None
    try:
        return RegisterResult(**value)
    except TypeError:  # cached by an older version of the result
        return None


def municipality_for(result: RegisterResult) -> Municipality | None:
    """The reference ``Municipality`` for a found result's municipality code, or None.

    CVR gives Danish codes as numbers ("461"); the reference data writes them with four digits
    ("0461"), as Norway's kommunenummer always are. Either form matches.
    """
    code = result.municipality_code.strip() if result.found else ""
    if not code.isdigit():
        return None
    candidates = {code, code.zfill(4), code.lstrip("0") or "0"}
    return Municipality.objects.filter(country=result.country, code__in=candidates).first()
