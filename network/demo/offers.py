"""Test sites and knowledge offers of the demo institutions.

Neither model has a natural key, so the demo treats (owner, name/title) as one: names are made
unique per owner while generating, and a re-run inserts only the pairs not in the database.
"""

from collections import defaultdict
from datetime import date, timedelta

from network.demo.offer_texts import (
    DUPLICATE_SUFFIX,
    METHODS_BY_OWNER,
    SITE_TRL_FLOOR,
    SITE_TYPES_BY_OWNER,
    offer_texts,
    site_name,
    site_texts,
)
from network.demo.themes import SETTING_TAGS, THEMES, theme_focus
from network.demo.util import OrgSpec, Reference, insert, link, rng_for, weighted
from network.models import KnowledgeOffer, ReviewStatus, TestSite

OWNER_WEIGHT = {
    "hospital": 4,
    "municipality": 1,
    "region": 2,
    "university": 3,
    "university_college": 2,
    "living_lab": 3,
}
BIG_PLACES = {
    "København",
    "Aarhus",
    "Odense",
    "Aalborg",
    "Oslo",
    "Bergen",
    "Trondheim",
    "Stavanger",
    "Tromsø",
}


def _unique(used: set, name: str, pattern: str) -> str:
    """`name`, or `pattern` filled with it and 2, 3, ... until the owner has no such name."""
    candidate, number = name, 2
    while candidate in used:
        candidate = pattern.format(name=name, number=number)
        number += 1
    used.add(candidate)
    return candidate


def _tags(rng, theme, language, kind):
    names = list(theme.tags[language]) + SETTING_TAGS[language].get(kind, [])[:1]
    if rng.random() < 0.4:
        names.append(rng.choice(theme.tags["en"]))
    return list(dict.fromkeys(names))


def _site(rng, owner: OrgSpec, reference: Reference, used, today: date):
    theme = rng.choice(THEMES)
    types = SITE_TYPES_BY_OWNER[owner.kind]
    preferred = [t for t in theme.sites if t in types]
    site_type = rng.choice(preferred or types)
    if not preferred:
        theme = rng.choice([t for t in THEMES if site_type in t.sites] or THEMES)
    place = owner.place or rng.choice(
        [p for p in reference.places if p.region_id == owner.region_id]
    )
    language = owner.language
    name = _unique(
        used,
        site_name(
            rng,
            language=language,
            site_type=site_type,
            label=owner.label,
            town=rng.choice(place.towns)[1],
        ),
        "{name} – " + DUPLICATE_SUFFIX[language] + " {number}",
    )
    description, capabilities = site_texts(
        rng, language=language, site_type=site_type, label=owner.label, theme=theme
    )
    trl_min = rng.randint(SITE_TRL_FLOOR[site_type], max(SITE_TRL_FLOOR[site_type], 7))
    capacity = rng.choice([1, 1, 2, 2, 3, 4, 5])
    opens = today - timedelta(days=rng.randint(0, 150))
    site = TestSite(
        name=name[:200],
        site_type=site_type,
        description=description,
        capabilities=capabilities,
        capacity=capacity,
        tests_running=rng.randint(0, capacity),
        available_from=opens,
        available_until=None
        if rng.random() < 0.3
        else opens + timedelta(days=rng.randint(180, 900)),
        municipality_id=place.id,
        trl_min=trl_min,
        trl_max=rng.randint(max(trl_min, 7), 9),
        language=language,
        is_public=rng.random() < 0.95,
        is_published=True,
        review_status=ReviewStatus.PUBLISHED,
    )
    return site, theme_focus(rng, theme), _tags(rng, theme, language, owner.kind)


def _offer(rng, owner: OrgSpec, used, contact_id):
    theme = rng.choice(THEMES)
    method = rng.choice(METHODS_BY_OWNER[owner.kind])
    texts = offer_texts(rng, language=owner.language, method=method, theme=theme, label=owner.label)
    if method in ("testing", "regulatory"):
        trl_min, trl_max = rng.randint(4, 6), rng.randint(8, 9)
    else:
        trl_min = rng.randint(1, 4)
        trl_max = rng.randint(trl_min + 2, 9)
    offer = KnowledgeOffer(
        title=_unique(used, texts["title"], "{name} ({number})")[:200],
        competence=texts["competence"],
        description=texts["description"],
        method=method,
        contact_id=contact_id,
        trl_min=trl_min,
        trl_max=trl_max,
        language=owner.language,
        is_public=rng.random() < 0.95,
        is_published=True,
        review_status=ReviewStatus.PUBLISHED,
    )
    return offer, theme_focus(rng, theme), _tags(rng, theme, owner.language, owner.kind)


def _write(model, key_field, planned, owner_ids, reference) -> int:
    """Insert the planned (owner id, obj, focus, tags) not there yet and link their M2Ms."""
    existing = set(model.objects.filter(owner_id__in=owner_ids).values_list("owner_id", key_field))
    fresh = [row for row in planned if (row[0], getattr(row[1], key_field)) not in existing]
    if not fresh:
        return 0
    for owner_id, obj, _, _ in fresh:
        obj.owner_id = owner_id
    insert(model, [obj for _, obj, _, _ in fresh])
    ids = {
        (owner_id, key): pk
        for owner_id, key, pk in model.objects.filter(
            owner_id__in={row[0] for row in fresh}
        ).values_list("owner_id", key_field, "id")
    }
    focus_pairs, tag_pairs = [], []
    for owner_id, obj, focus, tags in fresh:
        pk = ids.get((owner_id, getattr(obj, key_field)))
        if pk is not None:
            focus_pairs += [(pk, reference.focus[slug]) for slug in focus]
            tag_pairs += [(pk, reference.tags[name]) for name in tags if name in reference.tags]
    link(model.focus_areas, focus_pairs)
    link(model.tags, tag_pairs)
    return len(fresh)


def _owners(institutions, org_ids, kinds, weights):
    owners = [spec for spec in institutions if spec.kind in kinds and spec.slug in org_ids]
    return owners, [weights(spec) for spec in owners]


def write_test_sites(institutions, org_ids, reference, count: int, today: date) -> int:
    owners, weights = _owners(
        institutions,
        org_ids,
        SITE_TYPES_BY_OWNER,
        lambda s: OWNER_WEIGHT[s.kind] * (3 if s.place and s.place.name in BIG_PLACES else 1),
    )
    used = defaultdict(set)
    planned = []
    for index in range(count):
        rng = rng_for("site", index)
        owner = weighted(rng, owners, weights)
        site, focus, tags = _site(rng, owner, reference, used[owner.slug], today)
        planned.append((org_ids[owner.slug], site, focus, tags))
    return _write(TestSite, "name", planned, [org_ids[o.slug] for o in owners], reference)


def write_knowledge_offers(institutions, org_ids, contacts, reference, count: int) -> int:
    owners, weights = _owners(
        institutions,
        org_ids,
        METHODS_BY_OWNER,
        lambda s: {"university": 3, "gts_institute": 5}.get(s.kind, 2),
    )
    used = defaultdict(set)
    planned = []
    for index in range(count):
        rng = rng_for("offer", index)
        owner = weighted(rng, owners, weights)
        offer, focus, tags = _offer(rng, owner, used[owner.slug], contacts.get(owner.slug))
        planned.append((org_ids[owner.slug], offer, focus, tags))
    return _write(KnowledgeOffer, "title", planned, [org_ids[o.slug] for o in owners], reference)
