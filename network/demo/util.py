"""Shared by the builders: seeded random streams, registry numbers, reference data, bulk writes."""

import random
from dataclasses import dataclass, field

from django.core.management.base import CommandError

from network import identifiers
from network.demo import SEED
from network.demo.themes import CHARTER_SLUGS
from network.models import FocusArea, Municipality, Organisation, Region, ReviewStatus

BATCH = 1000
LOOKUP_CHUNK = 900  # keeps IN (...) lists below SQLite's variable limit


def rng_for(*parts) -> random.Random:
    """A random stream of its own for one thing (string seeds hash the same in every process)."""
    return random.Random(":".join(str(part) for part in (SEED, *parts)))


def weighted(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


# Demo registry numbers come from ranges the registries have not reached (new CVR numbers are
# in the 40-millions, new organisasjonsnummer around 930 million), so none names a real company.
CVR_BASE = 9_000_000  # seven digits -> CVR 90xxxxxx
ORGNR_BASE = 89_000_000  # eight digits -> organisasjonsnummer 89xxxxxxx
SERIES_SPAN = 300_000  # series 0: SMEs, 1: invented institutions, 2: the showcase company


def demo_cvr(series: int, index: int) -> str:
    """A valid CVR number of its own for every (series, index)."""
    start = CVR_BASE + series * SERIES_SPAN + index * 3
    for candidate in range(start, start + 3):
        number = identifiers.cvr_check_digit_fix(str(candidate))
        if number:
            return number
    raise AssertionError(f"no CVR check digit near {start}")


def demo_orgnr(series: int, index: int) -> str:
    """A valid organisasjonsnummer of its own for every (series, index)."""
    start = ORGNR_BASE + series * SERIES_SPAN + index * 3
    for candidate in range(start, start + 3):
        number = identifiers.orgnr_check_digit_fix(str(candidate))
        if number:
            return number
    raise AssertionError(f"no orgnr control digit near {start}")


def registry_fields(country: str, series: int, index: int) -> dict:
    if country == "DK":
        return {"cvr": demo_cvr(series, index), "orgnr": ""}
    return {"cvr": "", "orgnr": demo_orgnr(series, index)}


@dataclass(frozen=True)
class Place:
    id: int
    country: str
    code: str
    name: str
    region_id: int
    region_code: str
    towns: tuple  # ((postcode, town), ...)


class Reference:
    """Regions, municipalities and focus areas loaded by the migrations, as plain values."""

    def __init__(self):
        rows = Municipality.objects.select_related("region").order_by("country", "code")
        self.places = [
            Place(
                m.id,
                m.country,
                m.code,
                m.name,
                m.region_id,
                m.region.code,
                tuple((t["postcode"], t["town"]) for t in m.towns or []),
            )
            for m in rows
            # The demo lives where the reference data names towns: all of Denmark and Norway's
            # larger towns; the rest of Norway's 357 municipalities stay without demo members.
            if m.towns
        ]
        if not self.places:
            raise CommandError("No municipalities: run `manage.py migrate` first.")
        self.place_by_name = {(p.country, p.name): p for p in self.places}
        self.region_ids = {
            (country, code): pk
            for pk, country, code in Region.objects.values_list("id", "country", "code")
        }
        self.focus = dict(
            FocusArea.objects.filter(slug__in=CHARTER_SLUGS).values_list("slug", "id")
        )
        missing = set(CHARTER_SLUGS) - set(self.focus)
        if missing:
            raise CommandError(f"Charter focus areas missing: {sorted(missing)}; run migrate.")
        self.tags: dict[str, int] = {}

    def places_in(self, country: str) -> list[Place]:
        return [p for p in self.places if p.country == country]

    def place(self, country: str, name: str) -> Place:
        return self.place_by_name[(country, name)]

    def region_code(self, region_id: int | None) -> str | None:
        return next((code for (_, code), pk in self.region_ids.items() if pk == region_id), None)


@dataclass
class OrgSpec:
    """Everything needed to write one organisation and what hangs off it."""

    slug: str
    name: str
    kind: str
    country: str
    language: str
    place: Place | None
    region_id: int | None
    fields: dict
    focus: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    theme: str | None = None
    people: int = 2
    label: str = ""

    def model(self) -> Organisation:
        return Organisation(
            slug=self.slug,
            name=self.name,
            kind=self.kind,
            country=self.country,
            language=self.language,
            municipality_id=self.place.id if self.place else None,
            region_id=self.place.region_id if self.place else self.region_id,
            is_published=True,
            review_status=ReviewStatus.PUBLISHED,
            **self.fields,
        )


def chunks(values, size=LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def ids_by(model, field_name: str, values) -> dict:
    """{value: id} of the rows whose `field_name` is among `values`."""
    found = {}
    for chunk in chunks(set(values)):
        found.update(
            model.objects.filter(**{f"{field_name}__in": chunk}).values_list(field_name, "id")
        )
    return found


def insert(model, objects) -> None:
    """Insert in batches; rows that clash with a unique constraint are left as they are."""
    model.objects.bulk_create(objects, batch_size=BATCH, ignore_conflicts=True)


def link(descriptor, pairs) -> None:
    """Bulk-insert rows of a many-to-many through table from (source id, target id) pairs."""
    relation = descriptor.field
    through = descriptor.through
    source, target = relation.m2m_column_name(), relation.m2m_reverse_name()
    insert(through, [through(**{source: a, target: b}) for a, b in dict.fromkeys(pairs)])


def save_organisations(specs: list[OrgSpec], reference: Reference) -> tuple[dict, set]:
    """Write the organisations not there yet, with their focus areas and tags.

    Returns ({slug: id} for every spec found, the slugs written now). Existing rows, demo or
    not, are left untouched.
    """
    before = ids_by(Organisation, "slug", [spec.slug for spec in specs])
    fresh = [spec for spec in specs if spec.slug not in before]
    insert(Organisation, [spec.model() for spec in fresh])
    ids = {**before, **ids_by(Organisation, "slug", [spec.slug for spec in fresh])}
    written = {spec.slug for spec in fresh if spec.slug in ids}
    new_specs = [spec for spec in fresh if spec.slug in written]
    link(
        Organisation.focus_areas,
        [(ids[s.slug], reference.focus[slug]) for s in new_specs for slug in s.focus],
    )
    link(
        Organisation.tags,
        [(ids[s.slug], reference.tags[name]) for s in new_specs for name in s.tags],
    )
    return ids, written
