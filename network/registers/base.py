"""What every register client shares: the result they return and one careful HTTP/JSON call.

A register that is slow, down, or answers something we do not understand must never stop a
person registering their organisation: every such case becomes ``RegisterUnavailable``, which
the clients turn into a result with status "unavailable" (the person types the fields instead).
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

import requests
from django.conf import settings

logger = logging.getLogger("network.registers")

FOUND = "found"
NOT_FOUND = "not_found"
UNAVAILABLE = "unavailable"
DISABLED = "disabled"

# An entity is a few kilobytes; anything far larger is not the answer we asked for.
MAX_RESPONSE_BYTES = 1_000_000


@dataclass(frozen=True)
class RegisterResult:
    """One register's answer about one organisation number.

    The details are filled only when ``status`` is "found"; strings are then "" where the
    register has no value. ``raw`` keeps the register's own record (decoded JSON) so staff can
    read it beside an application.
    """

    status: str
    source: str
    country: str = ""
    number: str = ""
    name: str = ""
    street: str = ""
    postcode: str = ""
    town: str = ""
    municipality_code: str = ""
    industry_code: str = ""
    industry_text: str = ""
    legal_form: str = ""
    is_active: bool | None = None
    fetched_at: datetime | None = None
    raw: dict = field(default_factory=dict, hash=False)

    @property
    def found(self) -> bool:
        return self.status == FOUND


class RegisterUnavailable(Exception):  # noqa: N818 (a state of the register, not a bug here)
    """The register could not give a usable answer; the message says why, for the log."""


@dataclass(frozen=True)
class Response:
    status_code: int
    data: object  # decoded JSON, or None when the body was empty


def timeout() -> tuple[float, float]:
    seconds = float(settings.PORTAL_REGISTER_TIMEOUT)
    return (seconds, seconds)


def request_json(
    method: str, url: str, *, json_body: dict | None = None, auth: tuple[str, str] | None = None
) -> Response:
    """Send one request and decode its JSON body; any failure raises ``RegisterUnavailable``.

    Statuses below 500 are returned for the caller to read (404 means "no such unit" to one
    register and "no such index" to another); 5xx, time-outs, refused connections, oversized
    or undecodable bodies are the register being unavailable.
    """
    headers = {
        "Accept": "application/json",
        "User-Agent": f"{settings.NETWORK_NAME} portal ({settings.SITE_URL})",
    }
    try:
        with requests.request(
            method,
            url,
            json=json_body,
            auth=auth,
            headers=headers,
            timeout=timeout(),
            stream=True,
            allow_redirects=False,
        ) as response:
            body = _read_limited(response)
    except requests.RequestException as exc:
        raise RegisterUnavailable(f"{method} {url}: {exc.__class__.__name__}: {exc}") from exc
    if response.status_code >= 500:
        raise RegisterUnavailable(f"{method} {url}: HTTP {response.status_code}")
    if not body.strip():
        return Response(response.status_code, None)
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise RegisterUnavailable(f"{method} {url}: invalid JSON ({exc})") from exc
    return Response(response.status_code, data)


def _read_limited(response: requests.Response) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise RegisterUnavailable(f"{response.url}: answer larger than {MAX_RESPONSE_BYTES}")
        chunks.append(chunk)
    return b"".join(chunks)


def text(value) -> str:
    """A register value as a stripped string ("" for null); numbers become their digits."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str | int):
        return str(value).strip()
    raise TypeError(f"expected text, got {type(value).__name__}")


def mapping(value) -> dict:
    """A nested object that may be null in the register; anything else is the wrong shape."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value
