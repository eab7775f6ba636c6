"""Invented small and medium-sized companies with valid registry numbers and local profiles."""

from network.demo.catalogue import SHOWCASE_SME
from network.demo.names import company_name, demo_slug, street_address
from network.demo.texts import company_description
from network.demo.themes import THEMES, THEMES_BY_KEY, theme_focus, theme_tags
from network.demo.util import OrgSpec, Reference, registry_fields, rng_for, weighted

# The first SMALL_COUNT companies are the ones of `--size small`; they get a few more people.
SMALL_COUNT = 300
# Years are counted from a fixed year so the same index always gives the same company.
THIS_YEAR = 2025
SHARE_DANISH = 0.78
SHARE_ENGLISH_PROFILES = 0.18

# Where health-tech companies cluster: big cities and the medtech belt north of Copenhagen.
PLACE_WEIGHTS = {
    ("DK", "København"): 14,
    ("DK", "Aarhus"): 9,
    ("DK", "Odense"): 9,
    ("DK", "Aalborg"): 7,
    ("DK", "Frederiksberg"): 3,
    ("DK", "Gentofte"): 3,
    ("DK", "Lyngby-Taarbæk"): 4,
    ("DK", "Hørsholm"): 3,
    ("DK", "Ballerup"): 2,
    ("DK", "Kolding"): 2,
    ("DK", "Vejle"): 3,
    ("DK", "Esbjerg"): 2,
    ("DK", "Horsens"): 2,
    ("DK", "Herning"): 2,
    ("DK", "Silkeborg"): 2,
    ("DK", "Roskilde"): 2,
    ("DK", "Sønderborg"): 2,
    ("DK", "Viborg"): 2,
    ("DK", "Næstved"): 2,
    ("NO", "Oslo"): 14,
    ("NO", "Bergen"): 6,
    ("NO", "Trondheim"): 6,
    ("NO", "Stavanger"): 5,
    ("NO", "Bærum"): 3,
    ("NO", "Asker"): 2,
    ("NO", "Lillestrøm"): 2,
    ("NO", "Tromsø"): 3,
    ("NO", "Kristiansand"): 3,
    ("NO", "Drammen"): 2,
    ("NO", "Bodø"): 2,
}
TRL_WEIGHTS = {3: 1, 4: 2, 5: 3, 6: 3, 7: 3, 8: 2, 9: 1}
EMPLOYEE_BANDS = [((1, 5), 35), ((6, 15), 30), ((16, 50), 25), ((51, 249), 10)]
EMAIL_LOCAL = {"da": "kontakt", "nb": "post", "en": "hello"}


def _unique_name(rng, country, place_name, index, taken_slugs):
    for _ in range(40):
        name = company_name(rng, country)
        if demo_slug(name) not in taken_slugs:
            return name
    root, form = name.rsplit(" ", 1)
    for candidate in (f"{root} {place_name} {form}", f"{root} {index} {form}"):
        if demo_slug(candidate) not in taken_slugs:
            return candidate
    raise AssertionError(f"no free company name for {index}")


def _founded(rng, trl):
    low, high = (0, 5) if trl <= 4 else (1, 10) if trl <= 6 else (3, 25)
    return THIS_YEAR - rng.randint(low, high)


def _employees(rng):
    low, high = weighted(
        rng, [band for band, _ in EMPLOYEE_BANDS], [weight for _, weight in EMPLOYEE_BANDS]
    )
    return rng.randint(low, high)


def _spec(rng, *, reference, name, place, language, theme, index, series, fields) -> OrgSpec:
    slug = demo_slug(name)
    postcode, town = fields.pop("postcode_town", None) or rng.choice(place.towns)
    trl = fields.pop("readiness_level", None) or weighted(
        rng, list(TRL_WEIGHTS), list(TRL_WEIGHTS.values())
    )
    founded = fields.pop("founded", None) or _founded(rng, trl)
    description = fields.pop("description", None) or company_description(
        rng, language=language, theme=theme, name=name, town=town, founded=founded, trl=trl
    )
    return OrgSpec(
        slug=slug,
        name=name,
        kind="sme",
        country=place.country,
        language=language,
        place=place,
        region_id=place.region_id,
        fields={
            "street": fields.pop("street", None) or street_address(rng, place.country),
            "postcode": postcode,
            "town": town,
            "description": description,
            "readiness_level": trl,
            "founded": founded,
            "employees": fields.pop("employees", None) or _employees(rng),
            "website": f"https://{slug}.example",
            "email": f"{EMAIL_LOCAL[language]}@{slug}.example",
            "is_public": rng.random() < 0.94,
            **registry_fields(place.country, series, index),
        },
        focus=theme_focus(rng, theme),
        tags=theme_tags(rng, theme, language),
        theme=theme.key,
        people=rng.randint(2, 3) if index < SMALL_COUNT else rng.randint(1, 2),
        label=name,
    )


def showcase_spec(reference: Reference) -> OrgSpec:
    data = SHOWCASE_SME
    place = reference.place("DK", data["municipality"])
    town = data["town"]
    postcode = next(code for code, name in place.towns if name == town)
    spec = _spec(
        rng_for("showcase"),
        reference=reference,
        name=data["name"],
        place=place,
        language="da",
        theme=THEMES_BY_KEY[data["theme"]],
        index=0,
        series=2,
        fields={
            "postcode_town": (postcode, town),
            "street": data["street"],
            "readiness_level": data["readiness_level"],
            "founded": data["founded"],
            "employees": data["employees"],
            "description": data["description"],
        },
    )
    spec.fields["is_public"] = True
    spec.people = 3
    return spec


def sme_specs(reference: Reference, count: int, taken_slugs: set) -> list[OrgSpec]:
    """The showcase company and `count` generated ones; index i is always the same company."""
    showcase = showcase_spec(reference)
    taken = set(taken_slugs) | {showcase.slug}
    places = {country: reference.places_in(country) for country in ("DK", "NO")}
    weights = {
        country: [PLACE_WEIGHTS.get((country, p.name), 1) for p in places[country]]
        for country in places
    }
    specs = [showcase]
    for index in range(count):
        rng = rng_for("sme", index)
        country = "DK" if rng.random() < SHARE_DANISH else "NO"
        place = weighted(rng, places[country], weights[country])
        local = "da" if country == "DK" else "nb"
        language = "en" if rng.random() < SHARE_ENGLISH_PROFILES else local
        name = _unique_name(rng, country, place.name, index, taken)
        taken.add(demo_slug(name))
        specs.append(
            _spec(
                rng,
                reference=reference,
                name=name,
                place=place,
                language=language,
                theme=rng.choice(THEMES),
                index=index,
                series=0,
                fields={},
            )
        )
    return specs
