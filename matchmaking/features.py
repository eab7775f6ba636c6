"""Reads profiles, needs, test sites and knowledge offers as plain Documents for the engine.

Everything is read with values_list (no model instances) in a fixed order, so two runs over
the same data see the same input.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q, Sum

from matchmaking.models import Need, NeedVisibility
from matchmaking.scoring.corpus import Document
from matchmaking.scoring.explain import Lookups
from network.models import (
    KnowledgeOffer,
    Municipality,
    Organisation,
    Region,
    Tag,
    TestSite,
)
from network.models.organisations import OrganisationKind

CHUNK = 900  # ids per IN (...) (SQLite's default limit on variables was 999)


def _chunks(ids):
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _m2m(model_field, owner_column: str, ids: Iterable[int] | None, base: Q | None = None):
    """{owner id: (related ids...)} from a many-to-many table."""
    through = model_field.through
    related_column = model_field.field.m2m_reverse_name()
    out: dict[int, list] = defaultdict(list)
    queries = []
    if ids is None:
        queries.append(through.objects.filter(base or Q()))
    else:
        queries += [
            through.objects.filter(**{f"{owner_column}__in": chunk}) for chunk in _chunks(ids)
        ]
    for query in queries:
        for owner, related in query.order_by(owner_column, related_column).values_list(
            owner_column, related_column
        ):
            out[owner].append(related)
    return {owner: tuple(values) for owner, values in out.items()}


def _filtered(queryset, ids):
    if ids is None:
        yield from queryset
        return
    for chunk in _chunks(ids):
        yield from queryset.filter(pk__in=chunk)


def _join(*parts) -> str:
    return "\n".join(part for part in parts if part)


def load_sources(ids: Iterable[int] | None = None) -> list[Document]:
    """SME profiles (all, or those of `ids` that are still SMEs)."""
    queryset = (
        Organisation.objects.matchable()
        .filter(kind=OrganisationKind.SME)
        .order_by("pk")
        .values_list(
            "pk",
            "description",
            "language",
            "municipality_id",
            "municipality__region_id",
            "region_id",
            "country",
            "readiness_level",
            "is_public",
        )
    )
    rows = list(_filtered(queryset, ids))
    row_ids = [row[0] for row in rows] if ids is not None else None
    focus = _m2m(Organisation.focus_areas, "organisation_id", row_ids, Q(organisation__kind="sme"))
    tags = _m2m(Organisation.tags, "organisation_id", row_ids, Q(organisation__kind="sme"))
    return [
        Document(
            type="sme",
            id=pk,
            text=description,
            language=language,
            focus=focus.get(pk, ()),
            tags=tags.get(pk, ()),
            municipality=municipality,
            region=municipality_region or region,
            country=country,
            listed=is_public,
            trl=readiness,
        )
        for (
            pk,
            description,
            language,
            municipality,
            municipality_region,
            region,
            country,
            readiness,
            is_public,
        ) in rows
    ]


def load_needs(ids: Iterable[int] | None = None) -> list[Document]:
    """Open needs. One without a place of its own is placed where its owner is; the places of
    the organisations that joined it count beside (matchmaking.sharing)."""
    queryset = (
        Need.objects.matchable()
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "description",
            "test_setting",
            "language",
            "municipality_id",
            "municipality__region_id",
            "region_id",
            "owner__municipality_id",
            "owner__municipality__region_id",
            "owner__region_id",
            "owner__country",
            "visibility",
            "trl_min",
            "trl_max",
            "deadline",
        )
    )
    rows = list(_filtered(queryset, ids))
    row_ids = [row[0] for row in rows] if ids is not None else None
    focus = _m2m(Need.focus_areas, "need_id", row_ids, Q(need__status="open"))
    tags = _m2m(Need.tags, "need_id", row_ids, Q(need__status="open"))
    joined = _joined_places(row_ids)
    documents = []
    for row in rows:
        (pk, title, description, setting, language, municipality, municipality_region, region,
         owner_municipality, owner_municipality_region, owner_region, country, visibility,
         trl_min, trl_max, deadline) = row  # fmt: skip
        if not municipality and not region:
            municipality = owner_municipality
            region = owner_municipality_region or owner_region
        documents.append(
            Document(
                type="need",
                id=pk,
                text=_join(title, description, setting),
                language=language,
                focus=focus.get(pk, ()),
                tags=tags.get(pk, ()),
                municipality=municipality,
                region=municipality_region or region,
                country=country,
                listed=visibility != NeedVisibility.PRIVATE,
                trl_min=trl_min,
                trl_max=trl_max,
                deadline=deadline,
                shared=len(joined.get(pk, ())),
                joined_places=tuple(place for place in joined.get(pk, ()) if any(place)),
            )
        )
    return documents


def _joined_places(ids) -> dict[int, list[tuple]]:
    """{need id: [(municipality, region, country) of each organisation that joined it]} for
    open needs (all, or of `ids`), in the order they joined; one query (a chunk of ids each)."""
    from matchmaking.models_sharing import NeedShare

    queries = (
        [NeedShare.objects.filter(need__status="open")]
        if ids is None
        else [NeedShare.objects.filter(need_id__in=chunk) for chunk in _chunks(ids)]
    )
    places: dict[int, list[tuple]] = defaultdict(list)
    for query in queries:
        for need_id, municipality, municipality_region, region, country in query.order_by(
            "need_id", "created_at", "pk"
        ).values_list(
            "need_id",
            "organisation__municipality_id",
            "organisation__municipality__region_id",
            "organisation__region_id",
            "organisation__country",
        ):
            places[need_id].append((municipality, municipality_region or region, country))
    return places


def load_test_sites(ids: Iterable[int] | None = None) -> list[Document]:
    queryset = (
        TestSite.objects.matchable()
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "description",
            "capabilities",
            "language",
            "municipality_id",
            "municipality__region_id",
            "municipality__country",
            "owner__municipality_id",
            "owner__municipality__region_id",
            "owner__region_id",
            "owner__country",
            "is_public",
            "owner__is_public",
            "trl_min",
            "trl_max",
            "capacity",
            "tests_running",
            "available_from",
            "available_until",
        )
    )
    rows = list(_filtered(queryset, ids))
    row_ids = [row[0] for row in rows] if ids is not None else None
    focus = _m2m(TestSite.focus_areas, "testsite_id", row_ids)
    tags = _m2m(TestSite.tags, "testsite_id", row_ids)
    documents = []
    for row in rows:
        (pk, name, description, capabilities, language, municipality, region, site_country,
         owner_municipality, owner_municipality_region, owner_region, owner_country, is_public,
         owner_public, trl_min, trl_max, capacity, running, available_from,
         available_until) = row  # fmt: skip
        if not municipality:
            municipality, region = owner_municipality, owner_municipality_region or owner_region
        documents.append(
            Document(
                type="test_site",
                id=pk,
                text=_join(name, description, capabilities),
                language=language,
                focus=focus.get(pk, ()),
                tags=tags.get(pk, ()),
                municipality=municipality,
                region=region,
                country=site_country or owner_country,
                listed=is_public and owner_public,
                trl_min=trl_min,
                trl_max=trl_max,
                capacity=capacity,
                tests_running=running,
                available_from=available_from,
                available_until=available_until,
            )
        )
    return documents


def load_knowledge_offers(ids: Iterable[int] | None = None) -> list[Document]:
    queryset = (
        KnowledgeOffer.objects.matchable()
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "competence",
            "description",
            "language",
            "owner__municipality_id",
            "owner__municipality__region_id",
            "owner__region_id",
            "owner__country",
            "is_public",
            "owner__is_public",
            "trl_min",
            "trl_max",
        )
    )
    rows = list(_filtered(queryset, ids))
    row_ids = [row[0] for row in rows] if ids is not None else None
    focus = _m2m(KnowledgeOffer.focus_areas, "knowledgeoffer_id", row_ids)
    tags = _m2m(KnowledgeOffer.tags, "knowledgeoffer_id", row_ids)
    return [
        Document(
            type="knowledge_offer",
            id=pk,
            text=_join(title, competence, description),
            language=language,
            focus=focus.get(pk, ()),
            tags=tags.get(pk, ()),
            municipality=municipality,
            region=municipality_region or region,
            country=country,
            listed=is_public and owner_public,
            trl_min=trl_min,
            trl_max=trl_max,
        )
        for (
            pk,
            title,
            competence,
            description,
            language,
            municipality,
            municipality_region,
            region,
            country,
            is_public,
            owner_public,
            trl_min,
            trl_max,
        ) in rows
    ]


TARGET_LOADERS = {
    "need": load_needs,
    "test_site": load_test_sites,
    "knowledge_offer": load_knowledge_offers,
}


def load_targets(keys: Iterable[tuple[str, int]] | None = None) -> list[Document]:
    if keys is None:
        return [document for loader in TARGET_LOADERS.values() for document in loader()]
    by_type = defaultdict(set)
    for target_type, pk in keys:
        by_type[target_type].add(pk)
    return [
        document
        for target_type, loader in TARGET_LOADERS.items()
        if by_type.get(target_type)
        for document in loader(by_type[target_type])
    ]


def fingerprints() -> dict:
    """{type: (count, sum of ids)} of everything a run would load now (types with rows)."""
    querysets = {
        "sme": Organisation.objects.matchable().filter(kind=OrganisationKind.SME),
        "need": Need.objects.matchable(),
        "test_site": TestSite.objects.matchable(),
        "knowledge_offer": KnowledgeOffer.objects.matchable(),
    }
    out = {}
    for name, queryset in querysets.items():
        figures = queryset.order_by().aggregate(n=Count("*"), total=Sum("pk"))
        if figures["n"]:
            out[name] = (figures["n"], figures["total"])
    return out


def current_keys() -> tuple[set, set]:
    """(source keys, target keys) of everything a run would load now."""
    sources = {
        ("sme", pk)
        for pk in Organisation.objects.matchable()
        .filter(kind=OrganisationKind.SME)
        .values_list("pk", flat=True)
    }
    targets = {("need", pk) for pk in Need.objects.matchable().values_list("pk", flat=True)}
    targets |= {
        ("test_site", pk) for pk in TestSite.objects.matchable().values_list("pk", flat=True)
    }
    targets |= {
        ("knowledge_offer", pk)
        for pk in KnowledgeOffer.objects.matchable().values_list("pk", flat=True)
    }
    return sources, targets


def _needs_of(organisation_ids) -> Q:
    """Needs the organisations own or joined (a joiner's place counts as the owner's does)."""
    from matchmaking.models_sharing import NeedShare

    joined = NeedShare.objects.filter(organisation__in=organisation_ids).values("need")
    return Q(owner__in=organisation_ids) | Q(pk__in=joined)


def changed_since(moment) -> tuple[set, set]:
    """Keys of sources and targets saved at or after `moment` (owners, and organisations that
    joined a need, count for targets)."""
    organisations = dict(
        Organisation.objects.filter(updated_at__gte=moment).values_list("pk", "kind")
    )
    sources = {("sme", pk) for pk, kind in organisations.items() if kind == OrganisationKind.SME}
    owners = [pk for pk, kind in organisations.items() if kind != OrganisationKind.SME]
    needs = Q(updated_at__gte=moment)
    if owners:
        needs |= _needs_of(owners)
    targets = {("need", pk) for pk in Need.objects.filter(needs).values_list("pk", flat=True)}
    targets |= {
        ("test_site", pk)
        for pk in TestSite.objects.filter(
            Q(updated_at__gte=moment) | Q(owner__in=owners)
        ).values_list("pk", flat=True)
    }
    targets |= {
        ("knowledge_offer", pk)
        for pk in KnowledgeOffer.objects.filter(
            Q(updated_at__gte=moment) | Q(owner__in=owners)
        ).values_list("pk", flat=True)
    }
    return sources, targets


def targets_of(organisation_ids: Iterable[int]) -> set:
    """Keys of the needs, test sites and knowledge offers the organisations own (and of the
    needs they joined)."""
    ids = list(organisation_ids)
    keys = {("need", pk) for pk in Need.objects.filter(_needs_of(ids)).values_list("pk", flat=True)}
    keys |= {
        ("test_site", pk)
        for pk in TestSite.objects.filter(owner__in=ids).values_list("pk", flat=True)
    }
    keys |= {
        ("knowledge_offer", pk)
        for pk in KnowledgeOffer.objects.filter(owner__in=ids).values_list("pk", flat=True)
    }
    return keys


def lookups() -> Lookups:
    return Lookups(
        tag_names=dict(Tag.objects.values_list("pk", "name")),
        municipality_names=dict(Municipality.objects.values_list("pk", "name")),
        region_names=dict(Region.objects.values_list("pk", "name")),
    )
