"""One search across the network: a query, the user, the chosen facets -> a page of results.

Queries per search, whatever the number of results: the index's vocabulary (1), trigram
neighbours of unknown words (0 or 1; 2 on PostgreSQL), counts per kind (1; 2 when nothing
matched every word and the search falls back to any word; 0 when the same search by the same
kind of viewer was counted within a minute and the index has not changed since), the page (1),
and the items on it (one per kind shown), plus the throttled index sync
(network.search.index.maybe_sync).
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, Subquery

from network.models import SearchDocument, SearchTerm
from network.pagination import COUNT_SECONDS, viewer_scope
from network.search import backends, ranking
from network.search.analyzer import analyzer
from network.search.index import index_version, maybe_sync
from network.search.keys import text_words
from network.search.query import (
    Any,
    Plan,
    Term,
    corrections_for,
    is_typing,
    plan,
    query_words,
    unknown_words,
)
from network.search.snippets import snippet
from network.search.sources import sources, url_of

PAGE_SIZE = 20


@dataclass
class Hit:
    kind: str
    object_id: int
    kind_label: str
    title: str
    url: str
    subtitle: str
    snippet: str
    relevance: float


@dataclass
class Results:
    query: str = ""
    hits: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # kind -> count, for the kinds facet
    total: int = 0  # results of the chosen kind(s)
    page: int = 1
    pages: int = 0
    partial: bool = False  # nothing matched every word; these match some
    corrected: dict = field(default_factory=dict)  # misspelt word -> what it was read as

    @property
    def all_count(self) -> int:
        return sum(self.counts.values())


def visible(user):
    """The index rows of items the user may see: each kind's own visible_to(user)."""
    condition = Q()
    for kind, source in sources().items():
        condition |= Q(kind=kind, object_id__in=source.visible_ids(user))
    return SearchDocument.objects.filter(condition)


def make_plan(text: str) -> Plan:
    words = query_words(text)
    if not words:
        return Plan()
    known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
    corrections = {}
    unknown = unknown_words(words, known)
    if unknown:
        candidates = backends.near_words(unknown)
        corrections = {word: corrections_for(word, candidates) for word in unknown}
    return plan(
        text,
        analyzer(),
        corrections=corrections,
        typing=is_typing(text),
        known=frozenset(known),
    )


def facet_groups(*, focus_area: str = "", region: str = "") -> list:
    from network.search.keys import facet_key

    groups = []
    if focus_area:
        groups.append(Any((Term(facet_key("f", focus_area), 0.0),)))
    if region:
        groups.append(Any((Term(facet_key("r", region), 0.0),)))
    return groups


def matches(user, query_plan: Plan, facets: list, *, cache_key: str = ""):
    """The visible rows matching every group, or (`partial`) any group when none match all.

    The counts per kind are the costliest part of a search; like the directory's totals
    (network.pagination) those of the same search by the same kind of viewer are kept for
    COUNT_SECONDS, and forgotten as soon as the index changes (its version is in the key).
    The rows of the page are always read fresh."""
    base = visible(user)
    every = backends.matching(base, query_plan.groups + facets)
    cached = cache.get(cache_key) if cache_key else None
    if cached is not None:
        counts, partial = cached
        if partial:
            return backends.matching(base, [Any(tuple(query_plan.groups)), *facets]), counts, True
        return every, counts, False
    hits, counts, partial = every, _counts(every), False
    if not counts and len(query_plan.groups) > 1:
        any_word = backends.matching(base, [Any(tuple(query_plan.groups)), *facets])
        any_counts = _counts(any_word)
        if any_counts:
            hits, counts, partial = any_word, any_counts, True
    if cache_key:
        cache.set(cache_key, (counts, partial), COUNT_SECONDS)
    return hits, counts, partial


def counts_key(user, text: str, focus_area: str, region: str) -> str:
    """One search as one viewer sees it, at the index's current version."""
    parts = [viewer_scope(user), str(index_version()), text, focus_area, region]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"search-counts:{digest}"


def _counts(hits) -> dict:
    return dict(hits.order_by().values_list("kind").annotate(n=Count("id")))


def search(
    user,
    text: str,
    *,
    kind: str = "",
    order: str = "relevance",
    page: int = 1,
    focus_area: str = "",
    region: str = "",
    page_size: int = PAGE_SIZE,
) -> Results:
    maybe_sync()
    query_plan = make_plan(text)
    results = Results(query=text or "")
    if query_plan.empty:
        return results
    hits, counts, partial = matches(
        user,
        query_plan,
        facet_groups(focus_area=focus_area, region=region),
        cache_key=counts_key(user, text, focus_area, region),
    )
    kinds = sources()
    results.counts = {k: counts[k] for k in kinds if counts.get(k)}
    results.partial = partial
    if kind in kinds:
        hits = hits.filter(kind=kind)
        results.total = results.counts.get(kind, 0)
    else:
        results.total = results.all_count
    results.pages = max(1, -(-results.total // page_size))
    results.page = min(max(1, page), results.pages)
    if not results.total:
        return results
    start = (results.page - 1) * page_size
    # The ranked page is the search's costliest query (every matching index row is scored):
    # kept like the counts, per viewer scope and index version. The items on it are read
    # fresh and only if the viewer may still see them (_hits), so nothing hidden since shows.
    page_key = f"{counts_key(user, text, focus_area, region)}:{kind}:{order}:{start}:{page_size}"
    rows = cache.get(page_key)
    if rows is None:
        rows = list(
            hits.annotate(relevance=ranking.score(query_plan))
            .annotate(shown_relevance=ranking.spread_kinds())
            .order_by(*ranking.order_by(order))
            .values("kind", "object_id", "title", "text", "relevance")[start : start + page_size]
        )
        cache.set(page_key, rows, COUNT_SECONDS)
    results.hits = _hits(rows, query_plan, user)
    results.corrected = shown_corrections(query_plan.corrections, rows)
    return results


def shown_corrections(corrections: dict, rows: list) -> dict:
    """The corrections a person is told of: only words of the hits they see. The vocabulary
    holds every item's words, drafts and private items too; naming one of those would tell
    what a hidden item says."""
    if not corrections or not rows:
        return {}
    seen = set()
    for row in rows:
        seen.update(text_words(f"{row['title']} {row['text']}"))
    shown = {
        word: [near for near in nearby if near in seen] for word, nearby in corrections.items()
    }
    return {word: nearby for word, nearby in shown.items() if nearby}


def _hits(rows: list, query_plan: Plan, user) -> list:
    kinds = sources()
    by_kind: dict = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row["object_id"])
    loaded = {kind: kinds[kind].load(ids, user) for kind, ids in by_kind.items()}
    found = []
    for row in rows:
        source = kinds[row["kind"]]
        item = loaded[row["kind"]].get(row["object_id"])
        if item is None:  # deleted or hidden from this viewer since the page was ranked
            continue
        found.append(
            Hit(
                kind=row["kind"],
                object_id=row["object_id"],
                kind_label=str(source.label),
                title=row["title"],
                url=url_of(source, item),
                subtitle=source.subtitle(item),
                snippet=snippet(row["text"], query_plan),
                relevance=row["relevance"],
            )
        )
    return found


def ranked(queryset, kind: str, text: str, *, tie_break: str = "name"):
    """`queryset` (of `kind`'s model, visibility already applied by its caller) narrowed to
    the items matching `text` and ordered by relevance: the directory's and API's free text."""
    maybe_sync()
    query_plan = make_plan(text)
    if query_plan.empty:
        return queryset.none()
    documents = backends.matching(SearchDocument.objects.filter(kind=kind), query_plan.groups)
    relevance = (
        documents.filter(object_id=OuterRef("pk"))
        .annotate(relevance=ranking.score(query_plan))
        .values("relevance")[:1]
    )
    return (
        queryset.filter(pk__in=documents.values("object_id"))
        .annotate(search_rank=Subquery(relevance))
        .order_by("-search_rank", tie_break)
    )
