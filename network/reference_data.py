"""Loads the reference data shipped in network/data/ (used by a data migration)."""

import json
from pathlib import Path

from network.slugs import slugify

DATA_FILE = Path(__file__).resolve().parent / "data" / "reference.json"
# Norway's 357 municipalities from 2024-01-01; the file names its sources (SSB, Kartverket).
NORWEGIAN_MUNICIPALITIES_FILE = DATA_FILE.with_name("norwegian_municipalities_2024.json")

# The network's four focus areas from its founding charter; staff may add more.
CHARTER_FOCUS_AREAS = [
    {
        "slug": "prevention-predictive-health",
        "name_da": "Forebyggelse og prædiktiv sundhed",
        "name_nb": "Forebygging og prediktiv helse",
        "name_en": "Prevention and predictive health",
        "keywords": "forebyggelse prævention prædiktiv risiko screening tidlig opsporing "
        "forebygging prediktiv prevention predictive risk early detection",
    },
    {
        "slug": "equality-near-citizen",
        "name_da": "Lighed i sundhed og det nære sundhedsvæsen",
        "name_nb": "Likhet i helse og helsetjenester nær innbyggeren",
        "name_en": "Equality in health and care close to the citizen",
        "keywords": "lighed nære hjemmepleje kommune borger telemedicin hjemmebehandling "
        "likhet hjemmetjeneste innbygger equality home care citizen telehealth",
    },
    {
        "slug": "health-data",
        "name_da": "Bedre brug af sundhedsdata",
        "name_nb": "Bedre bruk av helsedata",
        "name_en": "Better use of health data",
        "keywords": "sundhedsdata data kunstig intelligens algoritme register "
        "helsedata kunstig intelligens health data AI machine learning registry",
    },
    {
        "slug": "personalised-treatment",
        "name_da": "Personaliseret behandling",
        "name_nb": "Persontilpasset behandling",
        "name_en": "Personalised treatment",
        "keywords": "personaliseret behandling præcisionsmedicin genomik "
        "persontilpasset presisjonsmedisin personalised precision medicine genomics",
    },
]


def load_reference_data(Region, Municipality, FocusArea):  # noqa: N803 - historical models
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    regions = {}
    for row in data["regions"]:
        region, _ = Region.objects.update_or_create(
            country=row["country"],
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "slug": slugify(f"{row['country']}-{row['name']}"),
            },
        )
        regions[(row["country"], row["code"])] = region
    for row in data["municipalities"]:
        Municipality.objects.update_or_create(
            country=row["country"],
            code=row["code"],
            defaults={
                "name": row["name"],
                "slug": slugify(f"{row['country']}-{row['name']}"),
                "region": regions[(row["country"], row["region"])],
                "towns": row.get("towns", []),
            },
        )
    for position, row in enumerate(CHARTER_FOCUS_AREAS):
        FocusArea.objects.update_or_create(slug=row["slug"], defaults={**row, "position": position})


def load_norwegian_municipalities(Region, Municipality):  # noqa: N803 - historical models
    """Adds the Norwegian municipalities the database lacks and puts right the name, county and
    other official names of those it has where they differ from the file. A row's slug (in URLs)
    and towns stay; rows whose number is not in the file are left alone (organisations may point
    at them). Returns (added, corrected) counts; running it twice adds and corrects nothing."""
    data = json.loads(NORWEGIAN_MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
    counties = dict(Region.objects.filter(country="NO").values_list("code", "pk"))
    existing = {m.code: m for m in Municipality.objects.filter(country="NO")}
    slugs = set(Municipality.objects.values_list("slug", flat=True))
    added = corrected = 0
    for row in data["municipalities"]:
        values = {
            "name": row["name"],
            "region_id": counties[row["county"]],
            "alternative_names": [other["name"] for other in row["alternative_names"]],
        }
        municipality = existing.get(row["code"])
        if municipality is None:
            slug = slugify(f"NO-{row['name']}")
            if slug in slugs:
                slug = f"{slug}-{row['code']}"
            Municipality.objects.create(country="NO", code=row["code"], slug=slug, **values)
            slugs.add(slug)
            added += 1
            continue
        changed = [
            field for field, value in values.items() if getattr(municipality, field) != value
        ]
        if changed:
            for field in changed:
                setattr(municipality, field, values[field])
            municipality.save(update_fields=changed)
            corrected += 1
    return added, corrected
