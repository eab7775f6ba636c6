"""Reading member lists from CSV and XLSX files: plain functions, no database.

`read_table` turns a file into header + rows, `map_headers` finds the columns staff usually
call by many names, and `parse_row` checks one row against reference data handed in as
dictionaries (municipalities, kinds, tiers), so every rule here is tested without a database.
Error and warning messages are stored as codes with parameters and translated when shown.
"""

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from network import identifiers

MAX_ROWS = 50_000

# Logical fields, and the header texts (normalised) that mean them.
HEADER_ALIASES = {
    "registry_number": [
        "cvr",
        "cvr nr",
        "cvrnr",
        "cvr nummer",
        "cvrnummer",
        "orgnr",
        "org nr",
        "organisasjonsnummer",
        "organisation number",
        "organization number",
        "cvr orgnr",
        "cvr or orgnr",
        "registry number",
        "company number",
    ],
    "name": [
        "name",
        "navn",
        "organisation",
        "organization",
        "organisation name",
        "organization name",
        "organisasjon",
        "virksomhed",
        "virksomhedsnavn",
        "firmanavn",
        "firma",
        "company",
        "medlem",
        "member",
    ],
    "kind": [
        "kind",
        "type",
        "kategori",
        "category",
        "organisation type",
        "organisationstype",
        "organisasjonstype",
        "virksomhedstype",
    ],
    "municipality": [
        "municipality",
        "kommune",
        "kommunenavn",
        "kommunekode",
        "municipality code",
    ],
    "contact_name": [
        "contact",
        "contact name",
        "contact person",
        "kontakt",
        "kontaktperson",
        "kontaktnavn",
    ],
    "contact_email": [
        "contact email",
        "contact e mail",
        "email",
        "e mail",
        "mail",
        "e post",
        "epost",
        "kontakt email",
        "kontakt e mail",
        "kontakt e post",
    ],
    "contact_phone": [
        "contact phone",
        "phone",
        "telefon",
        "tlf",
        "telefonnummer",
        "mobil",
        "kontakt telefon",
    ],
    "tier": [
        "tier",
        "membership tier",
        "niveau",
        "medlemsniveau",
        "nivå",
        "medlemskab",
        "medlemskap",
        "medlemstype",
        "kontingent",
        "kontingentgruppe",
    ],
    "start_date": [
        "start date",
        "start",
        "startdato",
        "period start",
        "member since",
        "medlem siden",
        "medlem fra",
        "indmeldt",
        "innmeldt",
    ],
    "applied": [
        "applied",
        "applied at",
        "applied on",
        "application date",
        "ansøgt",
        "ansøgningsdato",
        "ansøgt den",
        "søkt",
        "søknadsdato",
    ],
}
REQUIRED_COLUMNS = ("registry_number", "name", "kind", "start_date")
FIELD_LABELS = {
    "registry_number": _("CVR / organisation number"),
    "name": _("Name"),
    "kind": _("Kind"),
    "municipality": _("Municipality"),
    "contact_name": _("Contact"),
    "contact_email": _("Contact email"),
    "contact_phone": _("Contact phone"),
    "tier": _("Tier"),
    "start_date": _("Start date"),
    "applied": _("Applied"),
}
DATE_FIELDS = ("start_date", "applied")
# The template's columns, named in the user's language (map_headers knows the labels of all
# three languages, so a template or an errors file imports unchanged).
TEMPLATE_FIELDS = list(HEADER_ALIASES)
TEMPLATE_HEADERS = [
    "CVR/orgnr",
    "Name",
    "Kind",
    "Municipality",
    "Contact",
    "Contact email",
    "Contact phone",
    "Tier",
    "Start date",
    "Applied",
]

# Messages: code -> text. Rows store codes and parameters; the page translates them.
MESSAGES = {
    "missing": _("%(field)s is missing."),
    "bad_cvr": _("%(value)s is not a valid CVR number (8 digits with a correct check digit)."),
    "bad_orgnr": _(
        "%(value)s is not a valid Norwegian organisation number (9 digits with a correct "
        "check digit)."
    ),
    "bad_registry_number": _(
        "%(value)s is neither a CVR number (8 digits) nor a Norwegian organisation number "
        "(9 digits)."
    ),
    "unknown_municipality": _("Unknown municipality: %(value)s."),
    "unknown_kind": _("Unknown kind of organisation: %(value)s."),
    "unknown_tier": _("This cluster has no tier called %(value)s."),
    "unknown_tier_choices": _(
        "This cluster has no tier called %(value)s. Its tiers are: %(choices)s."
    ),
    "bad_date": _("%(value)s is not a date (use e.g. 2025-01-31 or 31-01-2025)."),
    "implausible_date": _("%(value)s is not a plausible start date."),
    "bad_email": _("%(value)s is not a valid email address."),
    "duplicate": _("Duplicate: the same organisation is on line %(line)s."),
    "too_long": _("%(field)s is longer than %(max)s characters."),
    "control_character": _(
        "%(field)s contains a control character (such as a null byte); remove it and try again."
    ),
    # Raised when planning against the database:
    "membership_closed": _(
        "The organisation's membership is %(status)s; an import does not reopen it."
    ),
    "name_mismatch": _(
        "The directory calls this organisation %(current)s; the name in the file is not used."
    ),
    "period_over": _(
        "The period ended on %(date)s; the membership will lapse unless it is renewed."
    ),
    "older_period": _(
        "The membership already runs from %(date)s; the older start date is not used."
    ),
    "contact_kept": _(
        "%(name)s keeps their own contact details up to date; the file's are not used."
    ),
}
CHANGE_LABELS = {
    "organisation": _("Organisation"),
    "membership": _("Membership"),
    "status": _("Status"),
    "tier": _("Tier"),
    "annual_fee": _("Annual fee"),
    "period": _("Period"),
    "primary_contact": _("Primary contact"),
    "contact_phone": _("Contact phone"),
    "contact_name": _("Contact name"),
}


def message_text(message: dict) -> str:
    """A stored {code, params} message in the current language."""
    params = dict(message.get("params") or {})
    code = message.get("code", "")
    template = MESSAGES.get(f"{code}_choices" if params.get("choices") else code)
    if template is None:
        return code
    if "field" in params:
        params["field"] = FIELD_LABELS.get(params["field"], params["field"])
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


class FileError(Exception):
    """The file as a whole cannot be read: wrong type, no header, missing columns."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- Reading files ----------------------------------------------------------------------------
# Limits on what a file may hold, checked while it is read, so that a small upload cannot hold a
# request or a worker for minutes or take gigabytes of memory (a zip bomb, a workbook that
# declares millions of rows, one enormous cell).
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024  # an XLSX's parts together, unpacked
MAX_COLUMNS = 100
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def too_many_rows() -> FileError:
    return FileError(
        _("The file has more than %(max)d rows (blank rows count); split it into smaller files.")
        % {"max": MAX_ROWS}
    )


def too_many_columns() -> FileError:
    return FileError(
        _("The file has more than %(max)d columns; remove the columns the import does not use.")
        % {"max": MAX_COLUMNS}
    )


def cell_too_long(line: int) -> FileError:
    return FileError(
        _("A cell on row %(line)d has more than %(max)d characters.")
        % {"line": line, "max": MAX_CELL_CHARS}
    )


def too_large_unpacked() -> FileError:
    return FileError(
        _("The workbook unpacks to more than %(max)d MB; save only the member list and try again.")
        % {"max": MAX_DECOMPRESSED_BYTES // (1024 * 1024)}
    )


def normalise_header(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def _cell_text(value) -> str:
    if type(value) is str:  # every CSV cell, most workbook ones
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()  # a date cell, not '2026-03-01 00:00:00'
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_table(fileobj, filename: str) -> tuple[list[str], Iterator[list]]:
    """The header and an iterator over the rows of a CSV or XLSX file.

    CSV: UTF-8 (with or without BOM) or Windows-1252, comma or semicolon separated, as Excel
    writes it in Danish and Norwegian locales. XLSX: the first worksheet, read in streaming
    mode. Dates in XLSX cells stay dates; everything else becomes text. The limits above are
    checked as the rows are read: the iterator raises FileError when one is passed.
    """
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(fileobj)
    if name.endswith((".csv", ".txt")):
        return _read_csv(fileobj)
    raise FileError(_("Upload a .csv or .xlsx file."))


def csv_delimiter(first_line: str) -> str:
    """The separator the header line uses most: Excel writes ';' in Danish and Norwegian
    locales, ',' in English ones."""
    return max((";", ",", "\t"), key=first_line.count)


def _limited_rows(rows: Iterable, *, first_line: int = 2) -> Iterator[list]:
    """Rows, counting blank ones, refusing too many rows, columns or characters in a cell."""
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise too_many_rows()
        if len(row) > MAX_COLUMNS:
            raise too_many_columns()
        for value in row:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise cell_too_long(first_line + count - 1)
        yield list(row)


def _read_csv(fileobj) -> tuple[list[str], Iterator[list]]:
    data = fileobj.read(MAX_DECOMPRESSED_BYTES + 1)
    if len(data) > MAX_DECOMPRESSED_BYTES:
        raise too_large_unpacked()
    text = _decode(data)
    delimiter = csv_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def guarded():
        line = 1
        try:
            for row in reader:
                yield row
                line += 1
        except csv.Error as exc:  # a field over the csv module's own limit (128 KiB)
            raise cell_too_long(line) from exc

    rows = _limited_rows(guarded(), first_line=1)
    header = next(rows, None)
    if not header:
        raise FileError(_("The file is empty."))
    return [str(h) for h in header], rows


def _check_zip(fileobj) -> None:
    """Refuse a workbook whose parts unpack to more than the limit, before reading any.

    The sizes are the ones the archive declares; zipfile never unpacks more than that."""
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(fileobj) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (BadZipFile, OSError, ValueError) as exc:
        raise FileError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    finally:
        fileobj.seek(0)
    if unpacked > MAX_DECOMPRESSED_BYTES:
        raise too_large_unpacked()


def _read_xlsx(fileobj) -> tuple[list[str], Iterator[list]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    _check_zip(fileobj)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        raise FileError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    # The declared size decides how wide openpyxl makes each row: refuse absurd ones first.
    if (sheet.max_column or 0) > MAX_COLUMNS:
        workbook.close()
        raise too_many_columns()
    rows = _limited_rows(sheet.iter_rows(values_only=True), first_line=1)
    try:
        header = next(rows, None)
    except FileError:
        workbook.close()
        raise
    if not header or not any(header):
        workbook.close()
        raise FileError(_("The file is empty."))

    def body():
        try:
            yield from rows
        finally:
            workbook.close()

    return [_cell_text(h) for h in header], body()


def _header_lookup() -> dict[str, str]:
    from django.utils import translation

    lookup = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
    for language in ("da", "nb", "en"):
        with translation.override(language):
            for name, label in FIELD_LABELS.items():
                lookup.setdefault(normalise_header(str(label)), name)
    return lookup


def map_headers(header: list[str]) -> dict[str, int]:
    """{field: column index} for the columns recognised (by the usual names, or the labels the
    portal's own files use); FileError when a required one is missing."""
    lookup = _header_lookup()
    mapping: dict[str, int] = {}
    for index, text in enumerate(header):
        name = lookup.get(normalise_header(text))
        if name and name not in mapping:
            mapping[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in mapping]
    if missing:
        raise FileError(
            _("The file has no column for: %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(str(FIELD_LABELS[name]) for name in missing)}
        )
    return mapping


def is_blank(row: Iterable) -> bool:
    return all(_cell_text(value) == "" for value in row)


# --- Checking rows ----------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)  # a file repeats its kinds, tiers and municipalities
def normalise_name(text: str) -> str:
    """For matching municipality and tier names: case, accents-as-typed, 'Kommune' suffix."""
    text = unicodedata.normalize("NFKC", text or "").casefold().strip()
    text = text.replace("å", "aa").replace("-", " ")
    for suffix in (" kommune", " municipality", " kommun"):
        text = text.removesuffix(suffix)
    return " ".join(text.split())


@dataclass
class Reference:
    """What rows are checked against, prepared by the caller from the database."""

    country: str = "DK"
    # (country, normalised name or 4-digit code) -> municipality id
    municipalities: dict[tuple[str, str], int] = field(default_factory=dict)
    # normalised label or code -> kind code
    kinds: dict[str, str] = field(default_factory=dict)
    # normalised tier name -> tier id
    tiers: dict[str, int] = field(default_factory=dict)
    # the cluster's tiers as staff name them, for messages
    tier_names: list[str] = field(default_factory=list)
    today: date = field(default_factory=date.today)

    def municipality(self, country: str, value: str) -> int | None:
        key = normalise_name(value)
        if key.isdigit():
            key = key.zfill(4)
        found = self.municipalities.get((country, key))
        if found is None and key.endswith("s"):
            # 'Københavns Kommune', 'Frederiksbergs' - the genitive of the name.
            found = self.municipalities.get((country, key[:-1]))
        return found


@dataclass
class ParsedRow:
    line: int
    raw: dict[str, str]
    values: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str] | None:
        if self.values.get("cvr"):
            return ("cvr", self.values["cvr"])
        if self.values.get("orgnr"):
            return ("orgnr", self.values["orgnr"])
        return None

    def error(self, code: str, **params) -> None:
        self.errors.append({"code": code, "params": params})


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%y", "%d.%m.%y")
MAX_LENGTHS = {"name": 200, "contact_name": 201, "contact_email": 254, "contact_phone": 30}


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell_text(value)
    text = text.split(" ")[0].split("T")[0]
    if len(text) == 10 and text[4] == text[7] == "-":
        # The usual yyyy-mm-dd, without strptime's cost (a tenth of a large preview).
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_row(line: int, cells: list, mapping: dict[str, int], reference: Reference) -> ParsedRow:
    """Check one row. Values come out normalised and JSON-ready (dates as ISO strings)."""

    width = len(cells)

    def cell(name):
        index = mapping.get(name)
        if index is None or index >= width:
            return None
        return cells[index]

    raw = {
        name: _cell_text(cells[index] if index < width else None) for name, index in mapping.items()
    }
    # A null byte or another control character is refused: no form accepts it and PostgreSQL
    # cannot store it. The preview shows where it was (one search for the row; most have none).
    unreadable = []
    if CONTROL_CHARACTERS.search("".join(raw.values())):
        unreadable = [name for name, value in raw.items() if CONTROL_CHARACTERS.search(value)]
    for name in unreadable:
        raw[name] = CONTROL_CHARACTERS.sub("\ufffd", raw[name])
    row = ParsedRow(line=line, raw=raw)
    for name in unreadable:
        row.error("control_character", field=name)
    text = {name: " ".join(value.split()) for name, value in raw.items()}

    for name in REQUIRED_COLUMNS:
        if not text.get(name):
            row.error("missing", field=name)
    for name, limit in MAX_LENGTHS.items():
        if len(text.get(name, "")) > limit:
            row.error("too_long", field=name, max=limit)

    number = identifiers.normalise(text.get("registry_number", ""))
    if number:
        if len(number) == 8 and number.isdigit():
            if identifiers.is_valid_cvr(number):
                row.values.update(cvr=number, country="DK")
            else:
                row.error("bad_cvr", value=text["registry_number"])
        elif len(number) == 9 and number.isdigit():
            if identifiers.is_valid_orgnr(number):
                row.values.update(orgnr=number, country="NO")
            else:
                row.error("bad_orgnr", value=text["registry_number"])
        else:
            row.error("bad_registry_number", value=text["registry_number"])

    if text.get("name"):
        row.values["name"] = text["name"][: MAX_LENGTHS["name"]]

    if text.get("kind"):
        kind = reference.kinds.get(normalise_name(text["kind"]))
        if kind:
            row.values["kind"] = kind
        else:
            row.error("unknown_kind", value=text["kind"])

    if text.get("municipality"):
        country = row.values.get("country", reference.country)
        municipality = reference.municipality(country, text["municipality"])
        if municipality:
            row.values["municipality"] = municipality
        else:
            row.error("unknown_municipality", value=text["municipality"])

    if text.get("tier"):
        tier = reference.tiers.get(normalise_name(text["tier"]))
        if tier:
            row.values["tier"] = tier
        else:
            row.error("unknown_tier", value=text["tier"], choices=", ".join(reference.tier_names))
    # An empty tier means the cluster's first tier (the template leaves it empty).

    start_cell = cell("start_date")
    if text.get("start_date"):
        start = parse_date(start_cell)
        if start is None:
            row.error("bad_date", value=text["start_date"])
        elif not (1950 <= start.year <= reference.today.year + 2):
            row.error("implausible_date", value=text["start_date"])
        else:
            row.values["start_date"] = start.isoformat()

    if text.get("applied"):
        applied = parse_date(cell("applied"))
        if applied is None:
            row.error("bad_date", value=text["applied"])
        elif not (1950 <= applied.year <= reference.today.year):
            row.error("implausible_date", value=text["applied"])
        else:
            row.values["applied"] = applied.isoformat()

    if text.get("contact_email"):
        email = text["contact_email"].lower()
        # The contact's own rule (EmailField), so that the preview refuses what the commit would.
        try:
            validate_email(email)
        except ValidationError:
            row.error("bad_email", value=text["contact_email"])
        else:
            row.values["contact_email"] = email
    if text.get("contact_name"):
        row.values["contact_name"] = text["contact_name"]
    if text.get("contact_phone"):
        row.values["contact_phone"] = text["contact_phone"][: MAX_LENGTHS["contact_phone"]]
    return row


def parse_rows(
    rows: Iterable[list], mapping: dict[str, int], reference: Reference, *, first_line: int = 2
) -> Iterator[ParsedRow]:
    """Parse every non-blank row, marking later repeats of an organisation as duplicates."""
    seen: dict[tuple[str, str], int] = {}
    for offset, cells in enumerate(rows):
        if is_blank(cells):
            continue
        line = first_line + offset
        row = parse_row(line, cells, mapping, reference)
        key = row.key
        if key is not None:
            if key in seen:
                row.error("duplicate", line=seen[key])
            else:
                seen[key] = line
        yield row


def split_name(full_name: str) -> tuple[str, str]:
    parts = (full_name or "").split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]
