"""Likely duplicate organisations, each pair with the evidence for it.

Two rules: the same CVR number / organisasjonsnummer once normalised ("DK 12 34 56 78" is
12345678), and similar names in the same municipality among organisations of the same kind (a
company may be an SME in one record and a large company in the other): trigram similarity, as
pg_trgm computes it, of the names without legal-form suffixes such as ApS, A/S, AS, IVS. The
similarity is computed in Python so it is the same on SQLite and PostgreSQL; names are compared
only within a municipality and kind, and only when they share a word that is not common there,
so 10,000 organisations are not compared pairwise. Pairs staff dismissed (DuplicateDismissal)
are left out.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.core.cache import cache
from django.db.models import Count, Max, Q

from network import identifiers
from network.models import DuplicateDismissal, Organisation

IDENTIFIER = "identifier"
SIMILAR_NAME = "similar_name"
DEFAULT_THRESHOLD = 0.5
# A word shared by more names than this within one municipality ("sundhed", "kommune") is too
# common to suggest a pair on its own; pairs still meet through their rarer words.
COMMON_WORD_LIMIT = 50

KIND_GROUPS = {"sme": "company", "large_company": "company"}

LEGAL_FORMS = (
    "a/s",
    "aps",
    "ivs",
    "i/s",
    "k/s",
    "p/s",
    "amba",
    "a.m.b.a.",
    "smba",
    "s.m.b.a.",
    "fmba",
    "as",
    "asa",
    "ans",
    "enk",
    "ab",
    "ltd",
    "gmbh",
    "inc",
)
_LEGAL_FORM = re.compile(
    r"(?<![\w/.])(?:" + "|".join(re.escape(f) for f in LEGAL_FORMS) + r")(?![\w/])", re.IGNORECASE
)
_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(name: str) -> str:
    """Lower case, legal forms and punctuation gone: 'Sundhed & Co. A/S' -> 'sundhed co'."""
    without_forms = _LEGAL_FORM.sub(" ", (name or "").casefold())
    return " ".join(_NON_WORD.sub(" ", without_forms).replace("_", " ").split())


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces in front and one behind."""
    out = set()
    for word in text.split():
        padded = f"  {word} "
        out.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return out


def similarity(a: str, b: str) -> float:
    """Trigram similarity of two normalised names, in [0, 1] (pg_trgm's `similarity`)."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


@dataclass(frozen=True)
class Evidence:
    rule: str  # IDENTIFIER or SIMILAR_NAME
    score: float  # 1.0 for an identifier; the name similarity otherwise
    detail: str  # the shared identifier, or the two normalised names


@dataclass
class Candidate:
    first_id: int  # the lower id
    second_id: int
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def score(self) -> float:
        return max(e.score for e in self.evidence)

    @property
    def rules(self) -> set[str]:
        return {e.rule for e in self.evidence}


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def identifier_pairs(rows) -> dict[tuple[int, int], Evidence]:
    """rows: (id, cvr, orgnr). Pairs whose normalised number is the same."""
    by_number = defaultdict(list)
    for pk, cvr, orgnr in rows:
        for kind, raw in (("cvr", cvr), ("orgnr", orgnr)):
            number = identifiers.normalise(raw)
            if number:
                by_number[(kind, number)].append(pk)
    out = {}
    for (_kind, number), ids in by_number.items():
        for a, b in combinations(sorted(set(ids)), 2):
            out[(a, b)] = Evidence(IDENTIFIER, 1.0, number)
    return out


def kind_group(kind: str) -> str:
    """Kinds a duplicate may plausibly be registered under: a company as SME or large company."""
    return KIND_GROUPS.get(kind, kind)


def name_pairs(rows, *, threshold: float = DEFAULT_THRESHOLD) -> dict[tuple[int, int], Evidence]:
    """rows: (id, name, municipality id, kind). Pairs in one municipality, of one kind (group),
    with similar names: 'Aalborg Universitet' is not a duplicate of 'Aalborg
    Universitetshospital', though their names are as alike as many true duplicates'."""
    by_municipality = defaultdict(list)
    for pk, name, municipality_id, kind in rows:
        if municipality_id is not None:
            normal = normalise_name(name)
            if normal:
                by_municipality[(municipality_id, kind_group(kind))].append((pk, normal))
    out = {}
    for members in by_municipality.values():
        by_word = defaultdict(list)
        for index, (_pk, normal) in enumerate(members):
            for word in set(normal.split()) | {normal.replace(" ", "")}:
                by_word[word].append(index)
        seen = set()
        for indexes in by_word.values():
            if len(indexes) > COMMON_WORD_LIMIT:
                continue
            for i, j in combinations(indexes, 2):
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                (pa, na), (pb, nb) = members[i], members[j]
                score = similarity(na, nb)
                if score >= threshold:
                    out[_pair(pa, pb)] = Evidence(SIMILAR_NAME, round(score, 2), f"{na} ~ {nb}")
    return out


def dismissed_pairs() -> set[tuple[int, int]]:
    return set(DuplicateDismissal.objects.values_list("first_id", "second_id"))


CACHE_SECONDS = 600


def _detect(queryset, threshold: float) -> dict[tuple[int, int], list[Evidence]]:
    rows = list(
        queryset.order_by().values_list("pk", "name", "municipality_id", "kind", "cvr", "orgnr")
    )
    found: dict[tuple[int, int], list[Evidence]] = {}
    with_number = [(pk, cvr, orgnr) for pk, _n, _m, _k, cvr, orgnr in rows if cvr or orgnr]
    named = [(pk, name, municipality, kind) for pk, name, municipality, kind, _c, _o in rows]
    for source in (identifier_pairs(with_number), name_pairs(named, threshold=threshold)):
        for pair, evidence in source.items():
            found.setdefault(pair, []).append(evidence)
    return found


def _all_pairs(threshold: float) -> dict[tuple[int, int], list[Evidence]]:
    """Every pair, cached under a fingerprint of the organisations (how many, last change), so
    any new, changed or deleted organisation computes afresh; the comparison takes about a
    second for 10,000 organisations, the fingerprint one small query."""
    fingerprint = Organisation.objects.aggregate(
        n=Count("pk"), last=Max("updated_at"), top=Max("pk")
    )
    key = "duplicates:{n}:{top}:{last}:{threshold}".format(
        threshold=threshold, **{k: str(v) for k, v in fingerprint.items()}
    ).replace(" ", "_")
    found = cache.get(key)
    if found is None:
        found = _detect(Organisation.objects.all(), threshold)
        cache.set(key, found, CACHE_SECONDS)
    return found


def find_candidates(
    *, organisations=None, anchor_ids=None, threshold: float = DEFAULT_THRESHOLD
) -> list[Candidate]:
    """Candidate pairs, most certain first. `anchor_ids`: keep only pairs with at least one of
    these organisations (a cluster's members and applicants). `organisations`: look only among
    these (not cached). At most three queries."""
    cached = organisations is None
    pairs = _all_pairs(threshold) if cached else _detect(organisations, threshold)
    found = {pair: Candidate(*pair, evidence=list(evidence)) for pair, evidence in pairs.items()}
    hidden = dismissed_pairs()
    anchors = None if anchor_ids is None else set(anchor_ids)
    candidates = [
        c
        for pair, c in found.items()
        if pair not in hidden
        and (anchors is None or c.first_id in anchors or c.second_id in anchors)
    ]
    return sorted(candidates, key=lambda c: (-c.score, c.first_id, c.second_id))


def is_candidate(first_id: int, second_id: int, *, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether the two are a detected pair (dismissed or not)."""
    return _pair(first_id, second_id) in _all_pairs(threshold)


def dismiss_pair(*, first: Organisation, second: Organisation, user) -> DuplicateDismissal:
    """Record that the two are not duplicates; the pair is not suggested again."""
    a, b = _pair(first.pk, second.pk)
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        first_id=a, second_id=b, defaults={"dismissed_by": user}
    )
    return dismissal


def is_dismissed(first_id: int, second_id: int) -> bool:
    a, b = _pair(first_id, second_id)
    return DuplicateDismissal.objects.filter(Q(first_id=a) & Q(second_id=b)).exists()
