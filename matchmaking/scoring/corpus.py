"""Sources and targets as arrays: the engine's input, built from plain Documents.

A Corpus holds both sides with a shared vocabulary (text terms, focus areas, tags). It can be
kept between runs (pickled) and patched: changed documents are re-read and replace their rows,
deleted ones are dropped, so an incremental run does not re-read thousands of profiles.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import sparse

from matchmaking.scoring.text import TextModel, normalise_rows

TYPE_CODES = {"sme": 0, "need": 1, "test_site": 2, "knowledge_offer": 3}
TYPE_NAMES = {code: name for name, code in TYPE_CODES.items()}
TARGET_TYPES = ("need", "test_site", "knowledge_offer")
ID_BITS = 28  # tie-break keys: type << ID_BITS | id, unique across target types


@dataclass(frozen=True)
class Document:
    """One source (an SME profile) or target (need, test site, knowledge offer), as values."""

    type: str
    id: int
    text: str = ""
    language: str = "da"
    focus: tuple = ()
    tags: tuple = ()
    municipality: int | None = None
    region: int | None = None
    country: str = ""
    listed: bool = True  # may appear in the other side's lists (public enough)
    trl: int | None = None  # sources
    trl_min: int = 1  # targets
    trl_max: int = 9
    deadline: date | None = None
    available_from: date | None = None
    available_until: date | None = None
    capacity: int | None = None
    tests_running: int = 0
    shared: int = 0  # a need: how many other organisations joined it (matchmaking.sharing)
    # A need: the place (municipality, region, country) of each organisation that joined it;
    # matching counts the one closest to a company, as it counts the need's own place.
    joined_places: tuple = ()


def _ordinal(value: date | None) -> int:
    return value.toordinal() if value else 0


@dataclass
class Side:
    """Column arrays of one side; row i of every array is the same document."""

    types: np.ndarray
    ids: np.ndarray
    text: sparse.csr_matrix
    focus: sparse.csr_matrix
    tags: sparse.csr_matrix
    municipality: np.ndarray
    region: np.ndarray
    country: np.ndarray
    listed: np.ndarray
    trl: np.ndarray
    trl_min: np.ndarray
    trl_max: np.ndarray
    deadline: np.ndarray
    available_from: np.ndarray
    available_until: np.ndarray
    capacity: np.ndarray
    running: np.ndarray
    shared: np.ndarray
    # Places beside the row's own (Document.joined_places), flat: the row of each (ascending),
    # then its municipality, region and country (coded as `country`); 0: not given.
    place_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    place_municipality: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    place_region: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    place_country: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    _index: dict | None = field(default=None, repr=False, compare=False)

    ARRAYS = (
        "types",
        "ids",
        "municipality",
        "region",
        "country",
        "listed",
        "trl",
        "trl_min",
        "trl_max",
        "deadline",
        "available_from",
        "available_until",
        "capacity",
        "running",
        "shared",
    )
    MATRICES = ("text", "focus", "tags")
    PLACES = ("place_municipality", "place_region", "place_country")

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    @property
    def keys(self) -> np.ndarray:
        """Stable identity per row, also the tie-break: a lower key wins an equal score."""
        return (self.types.astype(np.int64) << ID_BITS) | self.ids

    def index(self) -> dict:
        """{(type, id): row}."""
        if self._index is None:
            self._index = {
                (TYPE_NAMES[int(t)], int(i)): row
                for row, (t, i) in enumerate(zip(self.types, self.ids, strict=True))
            }
        return self._index

    def rows_of(self, keys: Iterable[tuple[str, int]]) -> np.ndarray:
        index = self.index()
        return np.array(sorted({index[k] for k in keys if k in index}), dtype=np.int64)

    def take(self, rows: np.ndarray) -> "Side":
        values = {name: getattr(self, name)[rows] for name in self.ARRAYS}
        values |= {name: getattr(self, name)[rows] for name in self.MATRICES}
        if self.place_rows.size:
            new_row = np.full(self.n, -1, dtype=np.int64)
            new_row[rows] = np.arange(len(rows))
            moved = new_row[self.place_rows]
            kept = np.flatnonzero(moved >= 0)
            kept = kept[np.argsort(moved[kept], kind="stable")]
            values["place_rows"] = moved[kept]
            values |= {name: getattr(self, name)[kept] for name in self.PLACES}
        return Side(**values)

    def widen(self, *, text: int, focus: int, tags: int) -> None:
        for name, width in (("text", text), ("focus", focus), ("tags", tags)):
            matrix = getattr(self, name)
            if matrix.shape[1] < width:
                matrix.resize((matrix.shape[0], width))

    @classmethod
    def concat(cls, first: "Side", second: "Side") -> "Side":
        values = {
            name: np.concatenate([getattr(first, name), getattr(second, name)])
            for name in cls.ARRAYS
        }
        values["place_rows"] = np.concatenate([first.place_rows, second.place_rows + first.n])
        values |= {
            name: np.concatenate([getattr(first, name), getattr(second, name)])
            for name in cls.PLACES
        }
        for name in cls.MATRICES:
            a, b = getattr(first, name), getattr(second, name)
            width = max(a.shape[1], b.shape[1])
            a.resize((a.shape[0], width))
            b.resize((b.shape[0], width))
            values[name] = sparse.vstack([a, b], format="csr", dtype=np.float32)
        return cls(**values)


@dataclass
class Corpus:
    sources: Side
    targets: Side
    text_model: TextModel
    focus_columns: dict
    tag_columns: dict
    countries: dict
    built_at: object = None  # set by the caller (e.g. when the documents were read)

    @classmethod
    def build(
        cls, sources: Sequence[Document], targets: Sequence[Document], thesaurus=None
    ) -> "Corpus":
        """`thesaurus`: the concepts to match on (network.text.thesaurus.Thesaurus); the
        shipped file when None."""
        documents = list(sources) + list(targets)
        text_model, text = TextModel.fit(
            [(d.text, d.language) for d in documents], thesaurus=thesaurus
        )
        corpus = cls(
            sources=None,
            targets=None,
            text_model=text_model,
            focus_columns={},
            tag_columns={},
            countries={},
        )
        n_sources = len(sources)
        corpus.sources = corpus._side(sources, text[:n_sources])
        corpus.targets = corpus._side(targets, text[n_sources:])
        corpus._widen()
        return corpus

    def _columns(self, mapping: dict, values: Iterable) -> list[int]:
        out = []
        for value in values:
            column = mapping.get(value)
            if column is None:
                column = mapping[value] = len(mapping)
            out.append(column)
        return out

    def _binary(self, mapping: dict, lists: list[tuple]) -> sparse.csr_matrix:
        indptr, indices = [0], []
        for values in lists:
            indices.extend(sorted(set(self._columns(mapping, dict.fromkeys(values)))))
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr),
            shape=(len(lists), max(len(mapping), 1)),
        )
        return normalise_rows(matrix)

    def _side(self, documents: Sequence[Document], text: sparse.csr_matrix) -> Side:
        def ints(values, dtype=np.int64):
            return np.fromiter(values, dtype=dtype, count=len(documents))

        def country(code) -> int:
            return self._columns(self.countries, [code])[0] + 1 if code else 0

        places = [
            (row, municipality or 0, region or 0, country(code))
            for row, d in enumerate(documents)
            for municipality, region, code in d.joined_places
        ]
        place_columns = np.array(places, dtype=np.int64).reshape(-1, 4).T
        return Side(
            types=ints((TYPE_CODES[d.type] for d in documents), np.int8),
            ids=ints(d.id for d in documents),
            text=text.tocsr(),
            focus=self._binary(self.focus_columns, [d.focus for d in documents]),
            tags=self._binary(self.tag_columns, [d.tags for d in documents]),
            municipality=ints(d.municipality or 0 for d in documents),
            region=ints(d.region or 0 for d in documents),
            country=ints(country(d.country) for d in documents),
            listed=ints((bool(d.listed) for d in documents), bool),
            trl=ints((d.trl or 0 for d in documents), np.int8),
            trl_min=ints((d.trl_min or 1 for d in documents), np.int8),
            trl_max=ints((d.trl_max or 9 for d in documents), np.int8),
            deadline=ints((_ordinal(d.deadline) for d in documents), np.int32),
            available_from=ints((_ordinal(d.available_from) for d in documents), np.int32),
            available_until=ints((_ordinal(d.available_until) for d in documents), np.int32),
            capacity=ints((-1 if d.capacity is None else d.capacity for d in documents), np.int32),
            running=ints((d.tests_running or 0 for d in documents), np.int32),
            shared=ints((d.shared or 0 for d in documents), np.int16),
            place_rows=place_columns[0],
            place_municipality=place_columns[1],
            place_region=place_columns[2],
            place_country=place_columns[3],
        )

    def _widen(self) -> None:
        widths = {
            "text": len(self.text_model.vocabulary),
            "focus": max(len(self.focus_columns), 1),
            "tags": max(len(self.tag_columns), 1),
        }
        self.sources.widen(**widths)
        self.targets.widen(**widths)

    def patch(
        self,
        *,
        sources: Sequence[Document] = (),
        targets: Sequence[Document] = (),
        drop: Iterable[tuple[str, int]] = (),
    ) -> None:
        """Replace the rows of changed documents and drop the given (type, id) keys.

        New words are left out (they count from the next full run, which refits the
        vocabulary); new focus areas and tags get columns of their own.
        """
        drop = set(drop) | {(d.type, d.id) for d in sources} | {(d.type, d.id) for d in targets}
        for name, documents in (("sources", sources), ("targets", targets)):
            side: Side = getattr(self, name)
            keep_rows = np.array(
                [row for key, row in side.index().items() if key not in drop], dtype=np.int64
            )
            kept = side.take(np.sort(keep_rows))
            if documents:
                text = self.text_model.transform([(d.text, d.language) for d in documents])
                kept = Side.concat(kept, self._side(documents, text))
            setattr(self, name, kept)
        self._widen()

    def keys(self, side: str) -> set:
        return set(getattr(self, side).index())
