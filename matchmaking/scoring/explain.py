"""Values and reasons of the kept pairs, vectorised in chunks.

A reason is a code and its parameters (plain JSON), not a sentence: the page renders it in
the reader's language (matchmaking_tags.reason_sentences), so one stored match reads in Danish,
Norwegian or English. Focus areas are kept as ids (their names are translated); tags, places
and terms as the words themselves. Reasons that speak of days carry the date too, and pages
count the days from the date: a full run does not rewrite a match only because a day passed.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import sparse

from matchmaking.scoring import components as comp
from matchmaking.scoring.corpus import TYPE_NAMES
from matchmaking.scoring.engine import QUANTUM, Engine
from network.text.analysis import CONCEPT, is_concept

MAX_TERMS = 4
MAX_TAGS = 5
MAX_FOCUS = 8


@dataclass
class Lookups:
    """Names the reasons quote, by id."""

    tag_names: dict = field(default_factory=dict)
    municipality_names: dict = field(default_factory=dict)
    region_names: dict = field(default_factory=dict)


@dataclass
class Explained:
    """One chunk of explained pairs: aligned arrays, and JSON text per pair (stored as is)."""

    source_rows: np.ndarray
    target_rows: np.ndarray
    score: np.ndarray  # float64, rounded to 6 decimals
    components: list  # JSON objects {component: value}
    reasons: list  # JSON objects {component: {"code": ..., **params}}
    # The target's region (0: none), for filtering pages by region; of a shared need, the
    # region of its place closest to the company.
    region_ids: np.ndarray

    def pair(self, n: int) -> tuple[float, dict, dict]:
        return float(self.score[n]), json.loads(self.components[n]), json.loads(self.reasons[n])


def _top_columns(matrix: sparse.csr_matrix, width: int) -> np.ndarray:
    """Per row, up to `width` column indices by value (largest first, then lowest column),
    padded with -1."""
    matrix = matrix.tocsr()
    matrix.sort_indices()
    n = matrix.shape[0]
    out = np.full((n, max(width, 1)), -1, dtype=np.int64)
    if matrix.nnz:
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr))
        order = np.argsort(rows * 4.0 - matrix.data.astype(np.float64), kind="stable")
        ordered_rows = rows[order]
        rank = np.arange(matrix.nnz) - matrix.indptr[ordered_rows]
        keep = rank < width
        out[ordered_rows[keep], rank[keep]] = matrix.indices[order][keep]
    return out


def _spread(keys: np.ndarray, build) -> list:
    """`build(tuple(key))` for each row of `keys`, called once per distinct row."""
    if keys.shape[0] == 0:
        return []
    first, inverse = _distinct_rows(keys)
    built = np.empty(first.shape[0], dtype=object)
    built[:] = [build(tuple(key)) for key in keys[first].tolist()]
    return built[inverse].tolist()


def _dense(ids: np.ndarray) -> np.ndarray:
    """The ids renumbered 0, 1, 2, ... in their order."""
    _values, ids = np.unique(ids, return_inverse=True)
    return ids.reshape(-1)


def _distinct_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(a row index per distinct row, the distinct row of every row), by numbering the
    column prefixes densely (1-D sorts: much faster than np.unique(axis=0), which compares
    rows as opaque bytes). Columns are packed into one integer while their ranges fit, so
    most keys take a single sort."""
    ids = np.zeros(keys.shape[0], dtype=np.int64)
    span = 1  # ids lie in range(span)
    for column in keys.T:
        column = column.astype(np.int64)
        low = column.min()
        width = int(column.max()) - int(low) + 1
        if span * width >= 2**62:
            ids = _dense(ids)
            span = int(ids.max()) + 1
        ids = ids * width + (column - low)
        span *= width
    ids = _dense(ids)
    first = np.full(int(ids.max()) + 1, keys.shape[0], dtype=np.int64)
    np.minimum.at(first, ids, np.arange(keys.shape[0], dtype=np.int64))
    return first, ids


def _strings(values: np.ndarray) -> list:
    """str() of each value, computed once per distinct value."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([str(value) for value in distinct.tolist()], dtype=object)[
        inverse.reshape(-1)
    ].tolist()


def _iso(ordinal: int) -> str:
    return date.fromordinal(int(ordinal)).isoformat()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


NONE = _dumps({"code": "none"})
FEEDBACK_REASONS = {
    "positive": _dumps({"code": "positive"}),
    "negative": _dumps({"code": "negative"}),
    "none": NONE,
}
FEEDBACK_MARGIN = 0.05  # feedback this far from neutral is worth a word


def feedback_code(value: float) -> str:
    """Feedback values are neutral (0.5) without feedback; above: positive, below: negative."""
    if value >= comp.FEEDBACK_NEUTRAL + FEEDBACK_MARGIN:
        return "positive"
    if value <= comp.FEEDBACK_NEUTRAL - FEEDBACK_MARGIN:
        return "negative"
    return "none"


def explain(
    engine: Engine,
    source_rows: np.ndarray,
    target_rows: np.ndarray,
    lookups: Lookups,
    chunk: int = 20_000,
) -> Iterator[Explained]:
    reasons = _ReasonCache(engine, lookups)
    for start in range(0, source_rows.shape[0], chunk):
        yield _explain_chunk(
            engine, source_rows[start : start + chunk], target_rows[start : start + chunk], reasons
        )


class _ReasonCache:
    """JSON fragments of reasons, built once per distinct value."""

    def __init__(self, engine: Engine, lookups: Lookups):
        corpus = engine.corpus
        self.engine = engine
        self.lookups = lookups
        self.focus_ids = {column: fid for fid, column in corpus.focus_columns.items()}
        self.tag_ids = {column: tid for tid, column in corpus.tag_columns.items()}
        self.countries = {code + 1: name for name, code in corpus.countries.items()}
        self.surfaces = corpus.text_model.surfaces
        self.features = sorted(corpus.text_model.vocabulary, key=corpus.text_model.vocabulary.get)
        self.thesaurus = corpus.text_model.analyzer.thesaurus
        self.focus, self.tags, self.text, self.geography = {}, {}, {}, {}
        self.readiness, self.availability = {}, {}

    def focus_reason(self, columns: tuple) -> str:
        value = self.focus.get(columns)
        if value is None:
            ids = sorted(self.focus_ids[c] for c in columns if c >= 0)
            value = self.focus[columns] = _dumps({"code": "shared", "areas": ids}) if ids else NONE
        return value

    def tags_reason(self, columns: tuple) -> str:
        value = self.tags.get(columns)
        if value is None:
            names = [self.lookups.tag_names.get(self.tag_ids[c], "") for c in columns if c >= 0]
            value = self.tags[columns] = (
                _dumps({"code": "shared", "tags": names}) if names else NONE
            )
        return value

    def text_reason(self, columns: tuple) -> str:
        """The shared concepts (with their labels in da, nb and en, so a page names them in
        its reader's language) and the shared words the thesaurus does not know, by weight.
        Stop words and generic words never get here: they are no features at all."""
        value = self.text.get(columns)
        if value is None:
            concepts, words = [], []
            for column in columns:
                if column < 0 or len(concepts) + len(words) == MAX_TERMS:
                    break
                feature = self.features[column]
                if is_concept(feature):
                    concept_id = feature[len(CONCEPT) :]
                    concepts.append({"id": concept_id, **self.thesaurus.labels(concept_id)})
                    continue
                word = self.surfaces[column]
                if not any(word in seen or seen in word for seen in words):
                    words.append(word)
            reason = {"code": "terms", "terms": words}
            if concepts:
                reason["concepts"] = concepts
            value = self.text[columns] = _dumps(reason) if concepts or words else NONE
        return value

    def geography_reason(self, key: tuple) -> str:
        value = self.geography.get(key)
        if value is None:
            level, first, second = key
            names = self.lookups
            if level == comp.GEO_MUNICIPALITY:
                reason = {"code": "municipality", "name": names.municipality_names.get(first, "")}
            elif level == comp.GEO_REGION:
                reason = {"code": "region", "name": names.region_names.get(first, "")}
            elif level == comp.GEO_COUNTRY:
                reason = {"code": "country", "country": self.countries.get(first, "")}
            elif first and second:
                reason = {
                    "code": "elsewhere",
                    "countries": [self.countries[first], self.countries[second]],
                }
            else:
                reason = {"code": "unknown"}
            value = self.geography[key] = _dumps(reason)
        return value

    def readiness_reason(self, key: tuple) -> str:
        value = self.readiness.get(key)
        if value is None:
            value = self.readiness[key] = _dumps(readiness_reason(*key))
        return value

    def availability_reason(self, row: int) -> str:
        value = self.availability.get(row)
        if value is None:
            value = self.availability[row] = _dumps(availability_reason(self.engine, row))
        return value


def _explain_chunk(engine: Engine, si: np.ndarray, ti: np.ndarray, cache: _ReasonCache):
    corpus = engine.corpus
    s, t = corpus.sources, corpus.targets
    focus_m = s.focus[si].multiply(t.focus[ti]).tocsr()
    tags_m = s.tags[si].multiply(t.tags[ti]).tocsr()
    text_m = s.text[si].multiply(t.text[ti]).tocsr()
    focus = comp.overlap(focus_m.sum(axis=1).A1)
    tags = comp.overlap(tags_m.sum(axis=1).A1)
    text = comp.text_value(np.asarray(text_m.sum(axis=1).A1, dtype=np.float32))
    level, _value = comp.geography(
        *(places[si] for places in engine.s_places), *(places[ti] for places in engine.t_places)
    )
    # A shared need is as close as the closest organisation that joined it (`joined` >= 0).
    level, joined = engine.closest_joined(si, ti, level)
    geo = comp.GEOGRAPHY_VALUES[level]
    _distance, ready = comp.readiness(s.trl[si], t.trl_min[ti], t.trl_max[ti])
    avail = engine.t_avail[ti]
    feedback = engine.feedback.pairs(si, ti)
    score = comp.combine(engine.weights, focus, tags, text, geo, ready, avail, feedback)
    shared = engine.t_shared[ti]
    score = np.clip(score + shared, 0.0, 1.0)
    score = np.rint(score.astype(np.float64) * QUANTUM) / QUANTUM

    municipality, region, country = t.municipality[ti], t.region[ti], t.country[ti]
    if (joined >= 0).any():
        closer = np.flatnonzero(joined >= 0)
        municipality[closer] = t.place_municipality[joined[closer]]
        region[closer] = t.place_region[joined[closer]]
        country[closer] = t.place_country[joined[closer]]
    geo_first = np.select(
        [level == comp.GEO_MUNICIPALITY, level == comp.GEO_REGION, level == comp.GEO_COUNTRY],
        [municipality, region, country],
        s.country[si],
    )
    geo_second = np.where(level == comp.GEO_ELSEWHERE, t.country[ti], 0)
    geo_keys = np.stack([level.astype(np.int64), geo_first, geo_second], axis=1)
    ready_keys = np.stack([s.trl[si], t.trl_min[ti], t.trl_max[ti]], axis=1).astype(np.int64)
    values = np.round(
        np.stack([focus, tags, text, geo, ready, avail, feedback], axis=1).astype(np.float64), 4
    )
    v0, v1, v2, v3, v4, v5, v6 = (_strings(values[:, n]) for n in range(7))
    # Each reason is built once per distinct key in the chunk, then spread to its pairs.
    focus_r = _spread(_top_columns(focus_m, MAX_FOCUS), cache.focus_reason)
    tags_r = _spread(_top_columns(tags_m, MAX_TAGS), cache.tags_reason)
    text_r = _spread(_top_columns(text_m, MAX_TERMS * 2), cache.text_reason)
    geo_r = _spread(geo_keys, cache.geography_reason)
    ready_r = _spread(ready_keys, cache.readiness_reason)
    avail_r = _spread(ti.reshape(-1, 1), lambda key: cache.availability_reason(key[0]))
    feedback_r = np.array(
        [FEEDBACK_REASONS["positive"], FEEDBACK_REASONS["negative"], NONE], dtype=object
    )[
        np.select(
            [
                values[:, 6] >= comp.FEEDBACK_NEUTRAL + FEEDBACK_MARGIN,
                values[:, 6] <= comp.FEEDBACK_NEUTRAL - FEEDBACK_MARGIN,
            ],
            [0, 1],
            2,
        )
    ].tolist()  # as feedback_code()

    components = [
        f'{{"focus":{a},"tags":{b},"text":{c},"geography":{d},'
        f'"readiness":{e},"availability":{f},"feedback":{g}}}'
        for a, b, c, d, e, f, g in zip(v0, v1, v2, v3, v4, v5, v6, strict=True)
    ]
    reasons = [
        f'{{"focus":{a},"tags":{b},"text":{c},"geography":{d},'
        f'"readiness":{e},"availability":{f},"feedback":{g}}}'
        for a, b, c, d, e, f, g in zip(
            focus_r, tags_r, text_r, geo_r, ready_r, avail_r, feedback_r, strict=True
        )
    ]
    # A shared need names the others who have it among the reasons (matchmaking.sharing).
    for n in np.flatnonzero(shared > 0).tolist():
        count = int(t.shared[ti[n]])
        components[n] = f'{components[n][:-1]},"shared":{round(float(shared[n]), 4)}}}'
        reasons[n] = f'{reasons[n][:-1]},"shared":{{"code":"shared","count":{count}}}}}'
    return Explained(si, ti, score, components, reasons, region)


def readiness_reason(trl: int, low: int, high: int) -> dict:
    if low <= 1 and high >= 9:
        return {"code": "any"}
    if trl == 0:
        return {"code": "unknown", "min": low, "max": high}
    if trl < low:
        return {"code": "below", "trl": trl, "min": low, "max": high, "gap": low - trl}
    if trl > high:
        return {"code": "above", "trl": trl, "min": low, "max": high, "gap": trl - high}
    return {"code": "fits", "trl": trl, "min": low, "max": high}


def availability_reason(engine: Engine, row: int) -> dict:
    t = engine.corpus.targets
    code = comp.AVAILABILITY_CODES[int(engine.t_avail_code[row])]
    days = int(engine.t_avail_days[row])
    if code == "deadline":
        return {"code": code, "days": days, "date": _iso(t.deadline[row])}
    if code == "room":
        return {"code": code, "free": days}
    if code == "fully_booked":
        return {"code": code, "running": int(t.running[row]), "capacity": int(t.capacity[row])}
    if code in {"opens", "closes"}:
        return {"code": code, "days": days, "date": _iso(engine.settings.today + days)}
    return {"code": code}


def target_type_name(code: int) -> str:
    return TYPE_NAMES[int(code)]
