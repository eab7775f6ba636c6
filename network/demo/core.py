"""Networks, clusters, tiers, tags and the institutions every demo has."""

from clusters.models import Cluster, MembershipTier, Network
from network.demo import catalogue
from network.demo.clusters_data import CLUSTERS, NETWORKS
from network.demo.names import demo_slug, street_address
from network.demo.texts import institution_description
from network.demo.themes import (
    CHARTER_SLUGS,
    HEALTH_DATA,
    NEAR_CITIZEN,
    PERSONALISED,
    PREVENTION,
    SETTING_TAGS,
    THEMES,
    tag_vocabulary,
)
from network.demo.util import OrgSpec, Reference, ids_by, insert, registry_fields, rng_for
from network.models import Tag


def build_networks_and_clusters(reference: Reference) -> dict:
    """Create the networks, clusters and tiers that are missing; return {cluster slug:
    Cluster}. One that exists is left as staff keep it (names, fees, regions, tiers)."""
    networks = {}
    for row in NETWORKS:
        networks[row["slug"]], _ = Network.objects.get_or_create(
            slug=row["slug"], defaults={"name": row["name"], "description": row["description"]}
        )
    clusters = {}
    for data in CLUSTERS:
        cluster, created = Cluster.objects.get_or_create(
            slug=data.slug,
            defaults={
                "network": networks[data.network],
                "name": data.name,
                "short_name": data.short_name,
                "country": data.country,
                "description": data.description,
                "website": data.website,
            },
        )
        if created:
            cluster.regions.set(
                [reference.region_ids[(data.country, code)] for code in data.regions]
            )
            cluster.focus_areas.set([reference.focus[slug] for slug in data.focus])
        if created or not cluster.tiers.exists():
            for position, (name, fee, _audience) in enumerate(data.tiers):
                MembershipTier.objects.get_or_create(
                    cluster=cluster,
                    name=name,
                    defaults={"annual_fee": fee, "currency": data.currency, "position": position},
                )
        clusters[data.slug] = cluster
    return clusters


def build_tags(reference: Reference) -> None:
    """The shared tag vocabulary; existing tags of the same name are reused."""
    names = tag_vocabulary()
    existing = ids_by(Tag, "name", names)
    taken_slugs = set(Tag.objects.values_list("slug", flat=True))
    fresh = []
    for name in names:
        if name in existing:
            continue
        slug = demo_slug(name) or "tag"
        while slug in taken_slugs:
            slug += "-x"
        taken_slugs.add(slug)
        fresh.append(Tag(name=name, slug=slug))
    insert(Tag, fresh)
    reference.tags = ids_by(Tag, "name", names)


def _place_fields(
    rng,
    reference: Reference,
    country: str,
    municipality: str | None,
    town: str | None,
    street: str,
    invented: bool,
):
    place = reference.place(country, municipality) if municipality else None
    fields = {"street": street, "postcode": "", "town": ""}
    if place and town:
        fields["postcode"] = next(code for code, name in place.towns if name == town)
        fields["town"] = town
    elif place and invented:  # an invented address is harmless; a wrong real one is not
        fields["postcode"], fields["town"] = rng.choice(place.towns)
        fields["street"] = street_address(rng, country)
    return place, fields


KIND_FOCUS = {
    "municipality": [NEAR_CITIZEN, PREVENTION],
    "region": [HEALTH_DATA, NEAR_CITIZEN],
    "hospital": [PERSONALISED, HEALTH_DATA],
    "university": [HEALTH_DATA, PERSONALISED, PREVENTION],
    "gts_institute": [PERSONALISED, HEALTH_DATA],
    "university_college": [NEAR_CITIZEN, PREVENTION],
    "living_lab": [NEAR_CITIZEN],
    "investor": [PERSONALISED, HEALTH_DATA],
    "patient_organisation": [PREVENTION, NEAR_CITIZEN],
}
KIND_PEOPLE = {"municipality": 3, "region": 3, "hospital": 4, "university": 4}


def _institution_spec(reference, inst: catalogue.Institution, index: int) -> OrgSpec:
    rng = rng_for("institution", inst.name)
    language = "da" if inst.country == "DK" else "nb"
    place, fields = _place_fields(
        rng, reference, inst.country, inst.municipality, inst.town, inst.street, inst.invented
    )
    slug = demo_slug(inst.name)
    fields.update(
        description=institution_description(rng, language=language, kind=inst.kind, name=inst.name),
        website=f"https://{slug}.example",
        email=f"{'kontakt' if language == 'da' else 'post'}@{slug}.example",
    )
    if inst.invented:
        fields.update(registry_fields(inst.country, 1, index))
        fields.update(employees=rng.randint(3, 40), founded=rng.randint(2008, 2022))
    theme = rng.choice(THEMES)
    focus = sorted(set(KIND_FOCUS[inst.kind][: rng.randint(1, 3)]), key=CHARTER_SLUGS.index)
    tags = SETTING_TAGS[language].get(inst.kind, [])[:3] or list(theme.tags[language])
    return OrgSpec(
        slug=slug,
        name=inst.name,
        kind=inst.kind,
        country=inst.country,
        language=language,
        place=place,
        region_id=reference.region_ids.get((inst.country, inst.region)),
        fields=fields,
        focus=focus,
        tags=tags,
        theme=theme.key,
        people=KIND_PEOPLE.get(inst.kind, 2),
        label=inst.label,
    )


def _municipality_spec(reference, place) -> OrgSpec:
    rng = rng_for("municipality", place.country, place.code)
    language = "da" if place.country == "DK" else "nb"
    name = catalogue.municipality_org_name(place.country, place.name)
    slug = demo_slug(name)
    postcode, town = place.towns[0] if place.towns else ("", "")
    fields = {
        "postcode": postcode,
        "town": town,
        "description": institution_description(
            rng, language=language, kind="municipality", name=name
        ),
        "website": f"https://{slug}.example",
        "email": f"{'kontakt' if language == 'da' else 'postmottak'}@{slug}.example",
    }
    tags = rng.sample(SETTING_TAGS[language]["municipality"], k=3)
    focus = [NEAR_CITIZEN] + ([PREVENTION] if rng.random() < 0.5 else [])
    theme = rng.choice([t for t in THEMES if "home_care" in t.sites or "nursing_home" in t.sites])
    return OrgSpec(
        slug=slug,
        name=name,
        kind="municipality",
        country=place.country,
        language=language,
        place=place,
        region_id=place.region_id,
        fields=fields,
        focus=focus,
        tags=tags,
        theme=theme.key,
        people=3,
        label=name,
    )


def institution_specs(reference: Reference) -> list[OrgSpec]:
    """Regions, all municipalities, hospitals, universities and the rest of the catalogue."""
    specs = [_municipality_spec(reference, place) for place in reference.places]
    specs += [
        _institution_spec(reference, inst, index)
        for index, inst in enumerate(catalogue.INSTITUTIONS)
    ]
    return specs
