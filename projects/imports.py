"""Activity participants from a CSV file: read, check every row, say what is wrong where.

Columns (header names in English, Danish or Norwegian): organisation (name, CVR number or
organisation number), kind (for a head count without an organisation), people (default 1).
"""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from network.models import Organisation
from projects.models import PARTICIPANT_KINDS

MAX_ROWS = 2000
HEADERS = {
    "organisation": {"organisation", "organisasjon", "virksomhed", "cvr", "orgnr", "name", "navn"},
    "kind": {"kind", "type", "art"},
    "people": {"people", "participants", "antal", "deltagere", "deltakere", "personer"},
}


@dataclass
class Row:
    line: int
    raw: dict
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    organisation_name: str = ""


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is not text (save it as CSV, UTF-8)."))


def _column(name: str) -> str | None:
    name = name.strip().lower()
    for key, names in HEADERS.items():
        if name in names:
            return key
    return None


def _kinds() -> dict[str, str]:
    kinds = {}
    for value, label in PARTICIPANT_KINDS:
        kinds[value] = value
        kinds[str(label).lower()] = value
    return kinds


def parse(content: bytes) -> tuple[list[Row], list[str]]:
    """(rows, file errors). A file error (no header, too many rows) means no rows are read."""
    try:
        text = _decode(content)
    except ValueError as error:
        return [], [str(error)]
    sample = text[:2048]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], [_("The file is empty.")]
    columns = [_column(name) for name in header]
    if "organisation" not in columns and "kind" not in columns:
        return [], [
            _(
                "The first line must name the columns: organisation, kind, people "
                "(found: %(found)s)."
            )
            % {"found": ", ".join(header)}
        ]
    lines = list(reader)
    if len(lines) > MAX_ROWS:
        return [], [_("At most %(max)s rows per file.") % {"max": MAX_ROWS}]
    rows = []
    for number, values in enumerate(lines, start=2):
        if not any(v.strip() for v in values):
            continue
        raw = {
            key: values[i].strip() if i < len(values) else ""
            for i, key in enumerate(columns)
            if key
        }
        rows.append(Row(line=number, raw=raw))
    _check(rows)
    return rows, []


def _check(rows: list[Row]) -> None:
    wanted = {row.raw.get("organisation", "") for row in rows} - {""}
    digits = {w for w in wanted if w.replace(" ", "").isdigit()}
    found = Organisation.objects.filter(
        Q(name__in=wanted - digits)
        | Q(cvr__in={d.replace(" ", "") for d in digits})
        | Q(orgnr__in={d.replace(" ", "") for d in digits})
    ).only("pk", "name", "kind", "cvr", "orgnr")
    by_key: dict[str, list] = {}
    for organisation in found:
        for key in (organisation.name.lower(), organisation.cvr, organisation.orgnr):
            if key:
                by_key.setdefault(key, []).append(organisation)
    kinds = _kinds()
    seen = {}
    for row in rows:
        people_text = row.raw.get("people", "") or "1"
        try:
            people = int(people_text)
            if people < 1:
                raise ValueError
        except ValueError:
            row.errors.append(
                _("People must be a whole number of at least 1, not “%(value)s”.")
                % {"value": people_text}
            )
            people = None
        name = row.raw.get("organisation", "")
        key = name.replace(" ", "") if name.replace(" ", "").isdigit() else name.lower()
        if name:
            matches = by_key.get(key, [])
            if not matches:
                row.errors.append(
                    _("No organisation in the directory is called or numbered “%(name)s”.")
                    % {"name": name}
                )
            elif len({m.pk for m in matches}) > 1:
                row.errors.append(
                    _("Several organisations are called “%(name)s”; use the CVR number.")
                    % {"name": name}
                )
            else:
                organisation = matches[0]
                if organisation.pk in seen:
                    row.errors.append(
                        _("%(name)s is listed twice (also on line %(line)s).")
                        % {"name": organisation.name, "line": seen[organisation.pk]}
                    )
                seen[organisation.pk] = row.line
                row.organisation_name = organisation.name
                row.data = {"organisation_id": organisation.pk, "kind": organisation.kind}
        else:
            kind = kinds.get(row.raw.get("kind", "").lower())
            if kind is None:
                row.errors.append(
                    _("Give an organisation, or a kind of participants (e.g. “other”).")
                    if not row.raw.get("kind")
                    else _("Unknown kind “%(kind)s”.") % {"kind": row.raw.get("kind")}
                )
            else:
                row.data = {"organisation_id": None, "kind": kind}
        if people is not None and row.data:
            row.data["people"] = people
