"""Denmark: the CVR distribution service of the Danish Business Authority (Erhvervsstyrelsen).

An Elasticsearch endpoint behind HTTP basic auth: POST {PORTAL_CVR_URL}/cvr-permanent/
virksomhed/_search with a term query on ``Vrvirksomhed.cvrNummer``. The answer's
``hits.hits[0]._source.Vrvirksomhed.virksomhedMetadata`` holds the newest name, address,
industry and status. Off until PORTAL_CVR_URL, PORTAL_CVR_USER and PORTAL_CVR_PASSWORD are set.
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

SOURCE = "Erhvervsstyrelsen (CVR)"
SEARCH_PATH = "/cvr-permanent/virksomhed/_search"

# Only the metadata the form uses: a full record (every name, address and participant the
# company ever had) runs to hundreds of kilobytes.
_META = "Vrvirksomhed.virksomhedMetadata"
SOURCE_FIELDS = [
    "Vrvirksomhed.cvrNummer",
    f"{_META}.nyesteNavn.navn",
    f"{_META}.nyesteBeliggenhedsadresse",
    f"{_META}.nyesteHovedbranche",
    f"{_META}.nyesteVirksomhedsform",
    f"{_META}.nyesteStatus",
    f"{_META}.sammensatStatus",
    f"{_META}.stiftelsesDato",
]

# Words in a CVR status that mean the company no longer trades: ceased (ophørt), dissolved
# (opløst, tvangsopløst, slettet), bankrupt (konkurs) or being wound up (likvidation).
_CLOSED_WORDS = ("ophør", "opløst", "oploest", "konkurs", "likvidation", "slettet")


def is_enabled() -> bool:
    return bool(
        settings.PORTAL_CVR_URL and settings.PORTAL_CVR_USER and settings.PORTAL_CVR_PASSWORD
    )


def lookup_cvr(number: str) -> RegisterResult:
    """The company with this (valid, normalised) CVR number; raises RegisterUnavailable."""
    url = settings.PORTAL_CVR_URL.rstrip("/") + SEARCH_PATH
    query = {
        "_source": SOURCE_FIELDS,
        "query": {"term": {"Vrvirksomhed.cvrNummer": int(number)}},
        "size": 1,
    }
    auth = (settings.PORTAL_CVR_USER, settings.PORTAL_CVR_PASSWORD)
    response = request_json("POST", url, json_body=query, auth=auth)
    if response.status_code != 200:
        # 401/403 are wrong credentials, 404 a missing index: ours to fix, not the person's.
        raise RegisterUnavailable(f"CVR {number}: HTTP {response.status_code}")
    try:
        hits = mapping(mapping(response.data)["hits"])["hits"]
        if not isinstance(hits, list):
            raise TypeError("hits.hits is not a list")
        if not hits:
            return RegisterResult(
                status=NOT_FOUND,
                source=SOURCE,
                country="DK",
                number=number,
                fetched_at=timezone.now(),
            )
        company = mapping(mapping(mapping(hits[0])["_source"])["Vrvirksomhed"])
        return _result(number, company)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RegisterUnavailable(f"CVR {number}: unexpected answer ({exc!r})") from exc


def _result(number: str, company: dict) -> RegisterResult:
    if text(company.get("cvrNummer")) != number:
        raise ValueError("another company's number")
    meta = mapping(company["virksomhedMetadata"])
    name = text(mapping(meta.get("nyesteNavn")).get("navn"))
    if not name:
        raise ValueError("no name")
    address = mapping(meta.get("nyesteBeliggenhedsadresse"))
    industry = mapping(meta.get("nyesteHovedbranche"))
    legal_form = mapping(meta.get("nyesteVirksomhedsform"))
    municipality = mapping(address.get("kommune"))
    status = mapping(meta.get("nyesteStatus"))
    status_words = " ".join(
        [text(meta.get("sammensatStatus"))]
        + [value for value in status.values() if isinstance(value, str)]
    ).lower()
    return RegisterResult(
        status=FOUND,
        source=SOURCE,
        country="DK",
        number=number,
        name=name,
        street=_street(address),
        postcode=text(address.get("postnummer")),
        town=text(address.get("postdistrikt")),
        municipality_code=text(municipality.get("kommuneKode")),
        industry_code=text(industry.get("branchekode")),
        industry_text=text(industry.get("branchetekst")),
        legal_form=text(legal_form.get("langBeskrivelse") or legal_form.get("kortBeskrivelse")),
        is_active=not any(word in status_words for word in _CLOSED_WORDS),
        fetched_at=timezone.now(),
        raw=company,
    )


def _street(address: dict) -> str:
    """'Vestergade 12B, 2. th' from the parts CVR keeps apart (house number range, floor, door)."""
    number = text(address.get("husnummerFra")) + text(address.get("bogstavFra"))
    last = text(address.get("husnummerTil")) + text(address.get("bogstavTil"))
    if last:
        number = f"{number}-{last}"
    street = " ".join(part for part in (text(address.get("vejnavn")), number) if part)
    floor = text(address.get("etage"))
    door = text(address.get("sidedoer"))
    unit = " ".join(part for part in ((f"{floor}." if floor else ""), door) if part)
    return ", ".join(part for part in (street, unit) if part)
