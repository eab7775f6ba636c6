"""The vectorised engine: scores blocks of sources x targets and keeps the top K both ways.

Memory is bounded by the block size, not by the number of pairs: sources are scored in chunks
of at most `chunk_cells` pairs, each chunk's row top K is kept, and the column top K is merged
into a running K x targets array. A pair is kept when it is among the K best of its source (the
SME's list, only targets the SME may see) or of its target (the owner's list, only SMEs with a
public profile). A pair one side marked not relevant (`Vetoes`) does not count in that side's
top K, so the next best fill its list; the other side may still keep it.

Ranking compares integer keys: the score quantised to 1e-6, then the lower entity key (type
and id) wins a tie, so any run over the same data keeps exactly the same pairs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from matchmaking.scoring import components as comp
from matchmaking.scoring.corpus import Corpus, Side

QUANTUM = 1_000_000  # scores are compared (and stored) to six decimals
TIE_BITS = 31
# Scores read back from the database may differ from a fresh block in the last quantum;
# anything this close to a list's threshold is re-ranked exactly rather than skipped.
THRESHOLD_MARGIN = 10
DENSE_WIDTH = 4096


@dataclass(frozen=True)
class Settings:
    weights: comp.Weights = field(default_factory=comp.Weights)
    top_k: int = 25
    min_score: float = 0.2
    today: int = 0  # date.toordinal()
    chunk_cells: int = 2_000_000


class NoFeedback:
    """The feedback component's provider; this one is neutral (0.5 for every pair).

    The interface a real provider (past introductions and their outcome) implements:

    * `block(source_rows, target_rows)`: values in [0, 1] for every pair of the given rows,
      shape (len(source_rows), len(target_rows)) or anything that broadcasts to it;
    * `pairs(source_rows, target_rows)`: values for aligned pairs, shape (len(source_rows),).

    Rows index `corpus.sources` / `corpus.targets` (ids: `corpus.sources.ids[rows]`, target
    keys: `corpus.targets.types/ids`), so a provider is built for one corpus; the runner makes
    one with the factory registered by `matchmaking.runner.register_feedback(factory)`, called
    as `factory(corpus)`. 0.5 means "no feedback"; the reasons say "went well" from 0.55 up and
    "declined" from 0.45 down (explain.feedback_code). The default weight is 0.10; network
    admins tune it.
    """

    def block(self, source_rows: np.ndarray, target_rows: np.ndarray) -> np.ndarray | float:
        return np.float32(comp.FEEDBACK_NEUTRAL)

    def pairs(self, source_rows: np.ndarray, target_rows: np.ndarray) -> np.ndarray:
        return np.full(source_rows.shape, comp.FEEDBACK_NEUTRAL, dtype=np.float32)


@dataclass(frozen=True)
class Vetoes:
    """Pairs a side marked not relevant, as sorted unique pair codes (source row * width +
    target row): `by_source` the company vetoed (left out of its top K), `by_target` the
    target's owner vetoed (left out of the target's top K). Read once per run; applied to
    each block's keys or validity by indexing, never pair by pair."""

    by_source: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    by_target: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    width: int = 1

    @classmethod
    def of_rows(
        cls, n_targets: int, by_source: tuple = ((), ()), by_target: tuple = ((), ())
    ) -> "Vetoes":
        """From (source rows, target rows) of each side's vetoes."""
        width = max(int(n_targets), 1)

        def codes(pairs) -> np.ndarray:
            rows = np.asarray(pairs[0], dtype=np.int64)
            columns = np.asarray(pairs[1], dtype=np.int64)
            ok = (rows >= 0) & (columns >= 0) & (columns < width)
            return np.unique(rows[ok] * width + columns[ok])

        return cls(codes(by_source), codes(by_target), width)

    def __bool__(self) -> bool:
        return bool(self.by_source.size or self.by_target.size)

    def in_block(
        self, codes: np.ndarray, source_rows: np.ndarray, target_rows: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(i, j) in a block of `source_rows` x `target_rows` (all targets if None) of the
        vetoed pairs among `codes` (self.by_source or self.by_target)."""
        empty = np.zeros(0, np.int64), np.zeros(0, np.int64)
        source_rows = np.asarray(source_rows, dtype=np.int64)
        if codes.size == 0 or source_rows.size == 0:
            return empty
        width = self.width
        # Codes are sorted by source row: only the block's range of rows is looked at.
        low, high = np.searchsorted(
            codes, [int(source_rows.min()) * width, (int(source_rows.max()) + 1) * width]
        )
        codes = codes[low:high]
        if codes.size == 0:
            return empty
        i, found = _positions(source_rows, codes // width)
        columns = codes % width
        if target_rows is None:
            j = columns
        else:
            j, in_targets = _positions(np.asarray(target_rows, dtype=np.int64), columns)
            found &= in_targets
        return i[found], j[found]


def _positions(rows: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each value in `rows` (unique, any order) and whether it is there."""
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    at = np.minimum(np.searchsorted(ordered, values), ordered.size - 1)
    return order[at], ordered[at] == values


def _dense_t(matrix: sparse.csr_matrix):
    """A target matrix transposed for products: dense when narrow enough, else sparse."""
    if matrix.shape[1] <= DENSE_WIDTH:
        return np.ascontiguousarray(matrix.T.toarray())
    return matrix.T.tocsr()


def _product(rows: sparse.csr_matrix, transposed) -> np.ndarray:
    out = rows @ transposed
    if sparse.issparse(out):
        out = out.toarray()
    return np.asarray(out, dtype=np.float32)


class TextProduct:
    """Cosines of source rows with a fixed set of targets.

    Terms that many targets use make a sparse product fill in; they are multiplied as dense
    matrices (BLAS), the long tail of rarer terms as sparse ones. The split depends only on
    the targets, and both parts add up to the same dot product.
    """

    def __init__(self, targets: sparse.csr_matrix, dense_cells: int):
        n_targets, width = targets.shape
        frequency = np.bincount(targets.indices, minlength=width)
        budget = dense_cells // max(n_targets, 1)
        order = np.argsort(-frequency, kind="stable")
        common = order[: min(budget, width)]
        common = common[frequency[common] * 20 >= n_targets]  # used by at least 5%
        self.dense_columns = np.sort(common)
        is_dense = np.zeros(width, dtype=bool)
        is_dense[self.dense_columns] = True
        self.sparse_columns = np.flatnonzero(~is_dense)
        csc = targets.tocsc()
        self.dense_t = np.ascontiguousarray(csc[:, self.dense_columns].toarray().T)
        self.sparse_t = csc[:, self.sparse_columns].T.tocsr()
        self.source_cache = None

    def split_sources(self, sources: sparse.csr_matrix):
        csc = sources.tocsc()
        return csc[:, self.dense_columns].tocsr(), csc[:, self.sparse_columns].tocsr()

    def __call__(self, dense_part: sparse.csr_matrix, sparse_part: sparse.csr_matrix):
        out = dense_part.toarray() @ self.dense_t if self.dense_columns.size else None
        if self.sparse_columns.size and sparse_part.nnz:
            rest = (sparse_part @ self.sparse_t).toarray()
            out = rest if out is None else out + rest
        if out is None:
            out = np.zeros((dense_part.shape[0], self.dense_t.shape[1]), dtype=np.float32)
        return out.astype(np.float32, copy=False)


class Engine:
    """One run's scoring context over a corpus: weights, date and derived arrays."""

    def __init__(self, corpus: Corpus, settings: Settings, feedback=None, vetoes=None):
        self.corpus = corpus
        self.settings = settings
        self.feedback = feedback or NoFeedback()
        self.vetoes = vetoes if vetoes is not None else Vetoes(width=max(corpus.targets.n, 1))
        self.weights = settings.weights.normalised()
        sources, targets = corpus.sources, corpus.targets
        self.t_active, self.t_avail, self.t_avail_code, self.t_avail_days = comp.availability(
            targets.types,
            targets.deadline,
            targets.available_from,
            targets.available_until,
            targets.capacity,
            targets.running,
            settings.today,
        )
        self.t_shared = comp.shared_bonus(targets.shared)
        self.s_keys = sources.keys
        self.t_keys = targets.keys
        # "Not given" never matches: -1 on the source side, -2 on the target side.
        self.s_places = tuple(
            comp.encode_places(getattr(sources, name), -1)
            for name in ("municipality", "region", "country")
        )
        self.t_places = tuple(
            comp.encode_places(getattr(targets, name), -2)
            for name in ("municipality", "region", "country")
        )
        # The places of the organisations that joined a need (matchmaking.sharing), encoded
        # the same way; a pair's geography is that of the closest of the need's places.
        self.t_joined_rows = targets.place_rows
        self.t_joined = tuple(
            comp.encode_places(getattr(targets, name), -2) for name in Side.PLACES
        )
        self._all_targets = None
        self._source_parts = None

    # -- blocks ----------------------------------------------------------------------------
    def _target_view(self, target_rows: np.ndarray | None):
        targets = self.corpus.targets
        if target_rows is None:
            if self._all_targets is None:
                text = TextProduct(targets.text, self.settings.chunk_cells * 6)
                self._all_targets = (text, _dense_t(targets.focus), _dense_t(targets.tags))
                self._source_parts = text.split_sources(self.corpus.sources.text)
            return self._all_targets, self._source_parts
        sub = targets.take(target_rows)
        text = TextProduct(sub.text, self.settings.chunk_cells)
        return (text, _dense_t(sub.focus), _dense_t(sub.tags)), None

    def block(self, source_rows: np.ndarray, target_rows: np.ndarray | None = None):
        """Scores (float32) and validity of every pair of the given rows; all targets if None."""
        s = self.corpus.sources
        (text_product, focus_t, tags_t), parts = self._target_view(target_rows)
        w = self.weights

        score = comp.overlap(_product(s.focus[source_rows], focus_t))
        common = score > 0
        score *= w[0]
        tags = comp.overlap(_product(s.tags[source_rows], tags_t))
        common |= tags > 0
        tags *= w[1]
        score += tags
        del tags
        if parts is None:
            parts = text_product.split_sources(s.text[source_rows])
        else:
            parts = (parts[0][source_rows], parts[1][source_rows])
        text = text_product(*parts)
        common |= text > 0
        text = comp.text_value(text)
        text *= w[2]
        score += text
        del text

        col = (lambda a: a[None, :]) if target_rows is None else (lambda a: a[target_rows][None, :])
        row = lambda a: a[source_rows][:, None]  # noqa: E731
        s_places = tuple(row(a) for a in self.s_places)
        level, _value = comp.geography(*s_places, *(col(a) for a in self.t_places))
        if self.t_joined_rows.size:
            self._closer_joined(level, s_places, target_rows)
        score += (w[3] * comp.GEOGRAPHY_VALUES)[level]
        del level, _value
        distance, ready = comp.readiness(
            row(s.trl), col(self.corpus.targets.trl_min), col(self.corpus.targets.trl_max)
        )
        ready *= w[4]
        score += ready
        del ready
        score += w[5] * col(self.t_avail)
        if w[6]:
            target_index = np.arange(self.corpus.targets.n)
            if target_rows is not None:
                target_index = target_index[target_rows]
            score += w[6] * self.feedback.block(source_rows, target_index)
        score += col(self.t_shared)
        np.clip(score, 0.0, 1.0, out=score)

        valid = common
        valid &= comp.readiness_allowed(distance)
        valid &= score >= np.float32(self.settings.min_score)
        valid &= col(self.t_active)
        return score, valid

    def _closer_joined(self, level, s_places, target_rows) -> None:
        """Raise a block's geography `level` (in place) where a place of an organisation that
        joined the need lies closer to the company than the need's own place. Only the
        columns of shared needs are compared, by arrays."""
        columns, places = self.t_joined_rows, self.t_joined
        if target_rows is not None:
            target_rows = np.asarray(target_rows, dtype=np.int64)
            if target_rows.size == 0:
                return
            columns, found = _positions(target_rows, columns)
            order = np.argsort(columns[found], kind="stable")
            columns = columns[found][order]
            places = tuple(p[found][order] for p in places)
            if columns.size == 0:
                return
        joined, _value = comp.geography(*s_places, *(p[None, :] for p in places))
        starts = np.flatnonzero(np.r_[True, columns[1:] != columns[:-1]])
        at = columns[starts]
        level[:, at] = np.maximum(level[:, at], np.maximum.reduceat(joined, starts, axis=1))

    def closest_joined(self, si: np.ndarray, ti: np.ndarray, level: np.ndarray):
        """For aligned pairs (source rows `si`, target rows `ti`) and the geography `level` of
        each with the target's own place: the level with the closest place of an
        organisation that joined the need, and which place that is (an index into
        `corpus.targets.place_*`; -1 where the target's own place is as close)."""
        place = np.full(si.shape, -1, dtype=np.int64)
        rows = self.t_joined_rows
        if rows.size == 0 or si.size == 0:
            return level, place
        first = np.searchsorted(rows, ti, side="left")
        counts = np.searchsorted(rows, ti, side="right") - first
        pairs = np.flatnonzero(counts)
        if pairs.size == 0:
            return level, place
        counts = counts[pairs]
        pair_of = np.repeat(pairs, counts)
        starts = np.cumsum(counts) - counts
        index = first[pair_of] + (np.arange(pair_of.size) - np.repeat(starts, counts))
        joined, _value = comp.geography(
            *(a[si[pair_of]] for a in self.s_places), *(p[index] for p in self.t_joined)
        )
        # Per pair, the highest level, and of equal ones the place listed first.
        width = np.int64(rows.size + 1)
        best = np.maximum.reduceat(joined.astype(np.int64) * width + (width - 1 - index), starts)
        best_level, best_place = best // width, width - 1 - best % width
        closer = best_level > level[pairs]
        level = level.copy()
        level[pairs[closer]] = best_level[closer]
        place[pairs[closer]] = best_place[closer]
        return level, place

    def keys(self, score, valid, tiebreak) -> np.ndarray:
        """Comparable int64 keys; -1 marks pairs that may not be kept."""
        key = quantise(score)
        key <<= TIE_BITS
        key += (1 << TIE_BITS) - 1 - tiebreak
        key[~valid] = -1
        return key

    def row_keys(self, score, valid, source_rows) -> np.ndarray:
        """Keys for the sources' lists (all targets): only listed targets, not those the
        company marked not relevant."""
        t = self.corpus.targets
        key = self.keys(score, valid & t.listed[None, :], self.t_keys[None, :])
        key[self.vetoes.in_block(self.vetoes.by_source, source_rows, None)] = -1
        return key

    def drop_vetoed(self, valid, source_rows, target_rows, *, by_target: bool) -> np.ndarray:
        """`valid` (in place) without the block's pairs vetoed by the target's owner
        (`by_target`) or by the company."""
        codes = self.vetoes.by_target if by_target else self.vetoes.by_source
        valid[self.vetoes.in_block(codes, source_rows, target_rows)] = False
        return valid

    # -- full run --------------------------------------------------------------------------
    def chunk_rows(self, width: int) -> int:
        return int(max(16, min(4096, self.settings.chunk_cells // max(width, 1))))

    def rank_full(self, progress: Callable[[int, int], None] | None = None) -> "Ranking":
        s, t = self.corpus.sources, self.corpus.targets
        k = self.settings.top_k
        columns = ColumnTopK(k, t.n)
        row_s, row_t, row_q = [], [], []
        chunk = self.chunk_rows(t.n)
        for start in range(0, s.n, chunk):
            rows = np.arange(start, min(s.n, start + chunk))
            score, valid = self.block(rows)
            r, c, q = top_k_rows(self.row_keys(score, valid, rows), k)
            row_s.append(rows[r])
            row_t.append(c)
            row_q.append(q)
            valid &= s.listed[rows][:, None]
            self.drop_vetoed(valid, rows, None, by_target=True)
            columns.add(quantise(score), valid, rows, self.s_keys[rows])
            del score, valid
            if progress:
                progress(min(start + chunk, s.n), s.n)
        return Ranking.union(_joined(row_s, row_t, row_q), columns.pairs(np.arange(t.n)), t.n)

    # -- incremental run -------------------------------------------------------------------
    def rank_incremental(
        self,
        *,
        changed_sources: np.ndarray,
        changed_targets: np.ndarray,
        source_thresholds: np.ndarray,
        target_thresholds: np.ndarray,
        old_sources: np.ndarray,
        old_targets: np.ndarray,
    ) -> "Partial":
        """Exact lists for every source and target a change can reach.

        `*_thresholds`: per row, the lowest quantised score (int) in its current list of K,
        or -1 when the list is shorter than K. `old_*`: rows whose current list holds a
        changed document (they may have to replace it).
        """
        s, t = self.corpus.sources, self.corpus.targets
        affected_t = set(changed_targets.tolist()) | set(old_targets.tolist())
        affected_s = set(changed_sources.tolist()) | set(old_sources.tolist())

        if changed_sources.size and t.n:
            score, valid = self.block(changed_sources)
            valid &= s.listed[changed_sources][:, None]
            self.drop_vetoed(valid, changed_sources, None, by_target=True)
            enters = valid & _beats(score, target_thresholds[None, :])
            affected_t |= set(np.flatnonzero(enters.any(axis=0)).tolist())
        if changed_targets.size and s.n:
            for start in range(0, s.n, self.chunk_rows(changed_targets.size)):
                rows = np.arange(start, min(s.n, start + self.chunk_rows(changed_targets.size)))
                score, valid = self.block(rows, changed_targets)
                valid &= t.listed[changed_targets][None, :]
                self.drop_vetoed(valid, rows, changed_targets, by_target=False)
                enters = valid & _beats(score, source_thresholds[rows][:, None])
                affected_s |= set(rows[enters.any(axis=1)].tolist())

        source_rows = np.array(sorted(affected_s), dtype=np.int64)
        target_rows = np.array(sorted(affected_t), dtype=np.int64)
        k = self.settings.top_k
        row_s, row_t, row_q = [], [], []
        for start in range(0, source_rows.size, self.chunk_rows(t.n)):
            rows = source_rows[start : start + self.chunk_rows(t.n)]
            score, valid = self.block(rows)
            r, c, q = top_k_rows(self.row_keys(score, valid, rows), k)
            row_s.append(rows[r])
            row_t.append(c)
            row_q.append(q)
        columns = ColumnTopK(k, target_rows.size)
        if target_rows.size:
            for start in range(0, s.n, self.chunk_rows(target_rows.size)):
                rows = np.arange(start, min(s.n, start + self.chunk_rows(target_rows.size)))
                score, valid = self.block(rows, target_rows)
                valid &= s.listed[rows][:, None]
                self.drop_vetoed(valid, rows, target_rows, by_target=True)
                columns.add(quantise(score), valid, rows, self.s_keys[rows])
        return Partial(
            sources=source_rows,
            targets=target_rows,
            ranking=Ranking.union(_joined(row_s, row_t, row_q), columns.pairs(target_rows), t.n),
        )


def quantise(score: np.ndarray) -> np.ndarray:
    """Scores as integers of 1e-6 (int64)."""
    return np.rint(score * np.float32(QUANTUM)).astype(np.int64)


def _beats(score: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return (thresholds < 0) | (quantise(score) >= thresholds - THRESHOLD_MARGIN)


def top_k_rows(keys: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, quantised score) of the k largest non-negative keys of every row."""
    if keys.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    if keys.shape[1] > k:
        columns = np.argpartition(-keys, k - 1, axis=1)[:, :k]
    else:
        columns = np.broadcast_to(np.arange(keys.shape[1]), keys.shape)
    picked = np.take_along_axis(keys, columns, axis=1)
    rows = np.broadcast_to(np.arange(keys.shape[0])[:, None], columns.shape)
    ok = picked >= 0
    return rows[ok].astype(np.int64), columns[ok].astype(np.int64), picked[ok] >> TIE_BITS


def _joined(rows: list, columns: list, scores: list) -> tuple:
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows), np.concatenate(columns), np.concatenate(scores)


class ColumnTopK:
    """The running top k of every column over blocks of rows.

    Keys: quantised score, then the lower row key. After the first blocks most entries fall
    below their column's k-th best, so only the few that beat it are merged (by sorting).
    """

    def __init__(self, k: int, width: int):
        self.k = k
        self.keys = np.full((k, width), -1, dtype=np.int64)
        self.rows = np.full((k, width), -1, dtype=np.int64)

    def add(self, quantised: np.ndarray, valid: np.ndarray, rows: np.ndarray, row_keys) -> None:
        if quantised.size == 0:
            return
        threshold = self.keys.min(axis=0)  # the k-th best key; -1 while a column is not full
        candidates = valid & (quantised >= (threshold >> TIE_BITS)[None, :])
        count = int(np.count_nonzero(candidates))
        if count == 0:
            return
        if count > 2 * self.keys.size and quantised.shape[0] > self.k:
            # Early blocks: most entries qualify; take each column's k best of the block first.
            keys = quantised << TIE_BITS
            keys += ((1 << TIE_BITS) - 1 - row_keys)[:, None]
            keys[~candidates] = -1
            r = np.argpartition(-keys, self.k - 1, axis=0)[: self.k]
            keys = np.take_along_axis(keys, r, axis=0)
            c = np.broadcast_to(np.arange(keys.shape[1]), keys.shape)
            r, c, keys = r.ravel(), c.ravel(), keys.ravel()
        else:
            r, c = np.nonzero(candidates)
            keys = (quantised[r, c] << TIE_BITS) + ((1 << TIE_BITS) - 1 - row_keys[r])
        better = keys > threshold[c]
        r, c, keys = r[better], c[better], keys[better]
        if r.size == 0:
            return
        # Group the candidates by column (a radix sort when columns fit 16 bits) ...
        column_type = np.uint16 if self.keys.shape[1] < 65536 else np.int64
        order = np.argsort(c.astype(column_type), kind="stable")
        r, c, keys = r[order], c[order], keys[order]
        starts = np.concatenate([[0], np.flatnonzero(c[1:] != c[:-1]) + 1])
        counts = np.diff(np.append(starts, c.size))
        touched = c[starts]
        group = np.repeat(np.arange(touched.size), counts)
        position = np.arange(c.size) - starts[group] + self.k
        # ... then lay each touched column out as a row: its k best so far, then the newcomers.
        width = self.k + int(counts.max())
        keys_2d = np.full((touched.size, width), -1, dtype=np.int64)
        rows_2d = np.full((touched.size, width), -1, dtype=np.int64)
        keys_2d[:, : self.k] = self.keys[:, touched].T
        rows_2d[:, : self.k] = self.rows[:, touched].T
        keys_2d[group, position] = keys
        rows_2d[group, position] = rows[r]
        best = np.argpartition(-keys_2d, self.k - 1, axis=1)[:, : self.k]
        self.keys[:, touched] = np.take_along_axis(keys_2d, best, axis=1).T
        self.rows[:, touched] = np.take_along_axis(rows_2d, best, axis=1).T

    def pairs(self, column_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column id, quantised score) of every kept entry."""
        kept = self.keys >= 0
        columns = np.broadcast_to(np.asarray(column_ids), self.keys.shape)[kept]
        return self.rows[kept], columns, self.keys[kept] >> TIE_BITS


@dataclass
class Ranking:
    """Kept pairs (source row, target row), sorted, and why: in the source's and/or target's
    top K; `quantised` is the pair's score in units of 1/QUANTUM as the engine ranked it."""

    source_rows: np.ndarray
    target_rows: np.ndarray
    in_source_top: np.ndarray
    in_target_top: np.ndarray
    quantised: np.ndarray

    @classmethod
    def union(cls, by_source: tuple, by_target: tuple, n_targets: int) -> "Ranking":
        """Merge the sources' lists and the targets' lists: (rows, columns, scores) each."""
        width = max(n_targets, 1)
        a = by_source[0].astype(np.int64) * width + by_source[1]
        b = by_target[0].astype(np.int64) * width + by_target[1]
        pairs, first = np.unique(np.concatenate([a, b]), return_index=True)
        quantised = np.concatenate([by_source[2], by_target[2]])[first]
        return cls(
            source_rows=pairs // width,
            target_rows=pairs % width,
            in_source_top=_member(pairs, a),
            in_target_top=_member(pairs, b),
            quantised=quantised.astype(np.int64),
        )

    def __len__(self) -> int:
        return int(self.source_rows.shape[0])

    def take(self, mask: np.ndarray) -> "Ranking":
        return Ranking(
            self.source_rows[mask],
            self.target_rows[mask],
            self.in_source_top[mask],
            self.in_target_top[mask],
            self.quantised[mask],
        )


def _member(values: np.ndarray, of: np.ndarray) -> np.ndarray:
    """For each of `values`, whether it is in `of` (by sorting, no hashing)."""
    if of.size == 0:
        return np.zeros(values.shape, dtype=bool)
    of = np.sort(of)
    at = np.minimum(np.searchsorted(of, values), of.size - 1)
    return of[at] == values


@dataclass
class Partial:
    """An incremental run's result: exact lists of `sources` and `targets` (rows)."""

    sources: np.ndarray
    targets: np.ndarray
    ranking: Ranking


__all__ = ["Engine", "NoFeedback", "Partial", "Ranking", "Settings", "Side", "Vetoes"]
