"""Writes matches: upserts keyed by (source, target type, target id), stale ones removed.

The caller holds `writer_lock()` inside one transaction, so a run's upserts and removals
commit together (or not at all, if the worker dies), and two runs never interleave writes.
Status is never written by a run: a match someone acted on keeps its status.

A full run writes hundreds of thousands of rows; on PostgreSQL it streams them with COPY into
a temporary table, updates the stored pairs whose values differ and inserts the new ones (a
pair stored with the same values is left alone: its row, id and `run` stay). Elsewhere
(SQLite, and every incremental run) the ORM's bulk upsert does it.
"""

import hashlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from matchmaking.models import Match, MatchCriteria, MatchStatus
from matchmaking.scoring.corpus import ID_BITS, TYPE_CODES, TYPE_NAMES, Corpus
from matchmaking.scoring.engine import QUANTUM
from matchmaking.scoring.explain import Explained

FK_COLUMNS = {
    "need": "need_id",
    "test_site": "test_site_id",
    "knowledge_offer": "knowledge_offer_id",
}
UPDATE_FIELDS = [
    "need",
    "test_site",
    "knowledge_offer",
    "target_region",
    "score",
    "components",
    "reasons",
    "in_source_top",
    "in_target_top",
    "run",
    "updated_at",
]
BATCH = 2000
# Wall-clock seconds per phase of the last full run in this process (logged, benchmarked).
PHASES: dict[str, float] = {}

logger = logging.getLogger(__name__)


def writer_lock() -> None:
    """Serialise match writers (full and incremental runs) for the current transaction."""
    MatchCriteria.current()
    list(MatchCriteria.objects.select_for_update().filter(key="default"))


@dataclass
class Row:
    source_id: int
    target_type: str
    target_id: int
    region_id: int | None
    score: float
    components: str  # JSON text
    reasons: str  # JSON text
    in_source_top: bool
    in_target_top: bool


def rows_of(corpus: Corpus, explained: Explained, in_source_top, in_target_top) -> Iterable[Row]:
    sources, targets = corpus.sources, corpus.targets
    source_ids = sources.ids[explained.source_rows].tolist()
    target_types = targets.types[explained.target_rows].tolist()
    target_ids = targets.ids[explained.target_rows].tolist()
    regions = explained.region_ids.tolist()
    scores = explained.score.tolist()
    for n in range(len(source_ids)):
        yield Row(
            source_ids[n],
            TYPE_NAMES[target_types[n]],
            target_ids[n],
            regions[n] or None,
            scores[n],
            explained.components[n],
            explained.reasons[n],
            bool(in_source_top[n]),
            bool(in_target_top[n]),
        )


def upsert(rows: Iterable[Row], *, run_id: int) -> int:
    """Insert or update rows through the ORM; returns how many."""
    import json

    now = timezone.now()
    count = 0
    batch: list[Match] = []
    for row in rows:
        match = Match(
            source_id=row.source_id,
            target_type=row.target_type,
            target_id=row.target_id,
            target_region_id=row.region_id,
            score=row.score,
            components=json.loads(row.components),
            reasons=json.loads(row.reasons),
            in_source_top=row.in_source_top,
            in_target_top=row.in_target_top,
            run_id=run_id,
            created_at=now,
            updated_at=now,
        )
        setattr(match, FK_COLUMNS[row.target_type], row.target_id)
        batch.append(match)
        if len(batch) >= BATCH:
            count += _bulk_upsert(batch)
            batch = []
    if batch:
        count += _bulk_upsert(batch)
    return count


def _bulk_upsert(batch: list[Match]) -> int:
    Match.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["source", "target_type", "target_id"],
        update_fields=UPDATE_FIELDS,
    )
    return len(batch)


STAGE_COLUMNS = (
    "source_id",
    "target_type",
    "target_id",
    "target_region_id",
    "score",
    "components",
    "reasons",
    "in_source_top",
    "in_target_top",
    "stored",
)
# Columns a run writes, as computed from the staging table `s` (the target's own foreign key
# is derived from its type, so it need not be streamed).
WRITTEN = {
    "need_id": "CASE WHEN s.target_type = 'need' THEN s.target_id END",
    "test_site_id": "CASE WHEN s.target_type = 'test_site' THEN s.target_id END",
    "knowledge_offer_id": "CASE WHEN s.target_type = 'knowledge_offer' THEN s.target_id END",
    "target_region_id": "s.target_region_id",
    "score": "s.score",
    "components": "s.components",
    "reasons": "s.reasons",
    "in_source_top": "s.in_source_top",
    "in_target_top": "s.in_target_top",
}
SAME_PAIR = (
    "m.source_id = s.source_id AND m.target_type = s.target_type AND m.target_id = s.target_id"
)


def copy_lines(corpus: Corpus, explained: Explained, in_source_top, in_target_top, stored) -> str:
    """One chunk of explained pairs as COPY text (tab separated, backslashes escaped);
    `stored`: whether each pair is already stored (updated if it differs, else inserted)."""
    sources, targets = corpus.sources, corpus.targets
    types = TYPE_NAMES
    flags = ("f", "t")
    lines = [
        f"{source}\t{types[kind]}\t{target}\t{region or ''}\t{score!r}\t{components}\t"
        f"{reasons}\t{flags[in_source]}\t{flags[in_target]}\t{flags[old]}\n"
        for (
            source,
            kind,
            target,
            region,
            score,
            components,
            reasons,
            in_source,
            in_target,
            old,
        ) in zip(
            sources.ids[explained.source_rows].tolist(),
            targets.types[explained.target_rows].tolist(),
            targets.ids[explained.target_rows].tolist(),
            explained.region_ids.tolist(),
            explained.score.tolist(),
            explained.components,
            explained.reasons,
            np.asarray(in_source_top, dtype=np.int8).tolist(),
            np.asarray(in_target_top, dtype=np.int8).tolist(),
            np.asarray(stored, dtype=np.int8).tolist(),
            strict=True,
        )
    ]
    # JSON escapes (\", \\, \n) are the only backslashes; COPY text reads "\\" as one.
    # An empty field is NULL (the target's region), no other field can be empty.
    return "".join(lines).replace("\\", "\\\\")


def upsert_copy(chunks: Iterable[str], *, run_id: int) -> int:
    """PostgreSQL: COPY the pairs into a temporary table, then write only what differs.

    Pairs stored with exactly these values (score, list flags, components, reasons, region)
    are left alone, so a complete rewrite after a deployment costs one comparison per pair
    plus the rows that really changed; changed pairs are updated in place (ids, status and
    introductions stay), new pairs inserted. Returns how many rows were updated or inserted.
    """
    table = Match._meta.db_table
    written = list(WRITTEN)
    assignments = ", ".join(f"{column} = {WRITTEN[column]}" for column in written)
    excluded = ", ".join(f"{column} = EXCLUDED.{column}" for column in [*written, "run_id"])
    differs = " OR ".join(f"m.{column} IS DISTINCT FROM {WRITTEN[column]}" for column in written)
    with connection.cursor() as cursor:
        # The run's transaction: no need to wait for the WAL flush at commit (a crash loses
        # at most the run, which is then done again), and room to hash the pairs in memory.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # Hash joins over the whole staging table (it has no statistics; ANALYZE costs more).
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            "CREATE TEMPORARY TABLE matchmaking_stage ("
            "source_id bigint, target_type varchar(20), target_id bigint, "
            "target_region_id bigint, score double precision, components jsonb, reasons jsonb, "
            "in_source_top boolean, in_target_top boolean, stored boolean) ON COMMIT DROP"
        )
        columns = ", ".join(STAGE_COLUMNS)
        started = time.perf_counter()
        with cursor.cursor.copy(f"COPY matchmaking_stage ({columns}) FROM STDIN (NULL '')") as copy:
            for chunk in chunks:
                copy.write(chunk)
        PHASES["explain+copy"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(
            f"UPDATE {table} m SET {assignments}, run_id = %s, updated_at = now() "  # noqa: S608
            f"FROM matchmaking_stage s WHERE s.stored AND {SAME_PAIR} AND ({differs})",
            [run_id],
        )
        updated = cursor.rowcount
        PHASES["update"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO {table} (source_id, target_type, target_id, {', '.join(written)}, "  # noqa: S608
            "status, run_id, created_at, updated_at) "
            f"SELECT s.source_id, s.target_type, s.target_id, {', '.join(WRITTEN.values())}, "
            "%s, %s, now(), now() FROM matchmaking_stage s "
            "WHERE NOT s.stored "
            f"ON CONFLICT (source_id, target_type, target_id) DO UPDATE SET {excluded}",
            [MatchStatus.SUGGESTED, run_id],
        )
        inserted = cursor.rowcount
        cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
        PHASES["insert"] = time.perf_counter() - started
        cursor.execute("DROP TABLE matchmaking_stage")
    return updated + inserted


@dataclass
class Stored:
    """Every stored match as arrays (a full run compares them with its ranking)."""

    pks: np.ndarray
    source_ids: np.ndarray
    target_keys: np.ndarray  # type code << ID_BITS | id, as Side.keys
    quantised: np.ndarray
    in_source_top: np.ndarray
    in_target_top: np.ndarray
    suggested: np.ndarray


def stored_matches() -> Stored:
    if use_copy():
        return _stored_matches_copy()
    columns = "id, source_id, target_type, target_id, score, in_source_top, in_target_top, status"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {Match._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()
    n = len(rows)
    if not n:
        return _no_matches()
    pks, sources, types, targets, scores, in_source, in_target, status = zip(*rows, strict=True)
    codes = np.fromiter((TYPE_CODES[kind] for kind in types), dtype=np.int64, count=n)
    return Stored(
        pks=np.fromiter(pks, dtype=np.int64, count=n),
        source_ids=np.fromiter(sources, dtype=np.int64, count=n),
        target_keys=(codes << ID_BITS) | np.fromiter(targets, dtype=np.int64, count=n),
        quantised=np.rint(np.fromiter(scores, dtype=np.float64, count=n) * QUANTUM).astype(
            np.int64
        ),
        in_source_top=np.fromiter(in_source, dtype=bool, count=n),
        in_target_top=np.fromiter(in_target, dtype=bool, count=n),
        suggested=np.fromiter(
            (value == MatchStatus.SUGGESTED for value in status), dtype=bool, count=n
        ),
    )


def _no_matches() -> Stored:
    empty = np.zeros(0, dtype=np.int64)
    flags = np.zeros(0, dtype=bool)
    return Stored(empty, empty, empty, empty, flags, flags, flags)


def _stored_matches_copy() -> Stored:
    """PostgreSQL: the same, as integers the server computes and sends as one text (no
    Python object per value, no message per row)."""
    codes = " ".join(f"WHEN '{name}' THEN {code}" for name, code in TYPE_CODES.items())
    query = (  # constants only
        "SELECT string_agg(concat_ws(' ', id, source_id, "  # noqa: S608
        f"(CASE target_type {codes} END)::bigint << {ID_BITS} | target_id, "
        f"round(score * {QUANTUM})::bigint, in_source_top::int, in_target_top::int, "
        f"(status = '{MatchStatus.SUGGESTED}')::int), ' ') FROM {Match._meta.db_table}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        (data,) = cursor.fetchone()
    if not data:
        return _no_matches()
    values = np.fromstring(data, dtype=np.int64, sep=" ").reshape(-1, 7)
    return Stored(
        pks=values[:, 0].copy(),
        source_ids=values[:, 1].copy(),
        target_keys=values[:, 2].copy(),
        quantised=values[:, 3].copy(),
        in_source_top=values[:, 4].astype(bool),
        in_target_top=values[:, 5].astype(bool),
        suggested=values[:, 6].astype(bool),
    )


LOOKUPS_KEY = "matchmaking:lookups-digest"


def _lookups_digest(lookups) -> str:
    digest = hashlib.sha256()
    for mapping in (lookups.tag_names, lookups.municipality_names, lookups.region_names):
        digest.update(repr(sorted(mapping.items())).encode())
    return digest.hexdigest()


def lookups_unchanged(lookups) -> bool:
    """Whether the names reasons quote are those of the last full run (unknown: no)."""
    try:
        return cache.get(LOOKUPS_KEY) == _lookups_digest(lookups)
    except Exception:  # a cache that is down only costs a complete rewrite
        return False


def remember_lookups(lookups) -> None:
    try:
        cache.set(LOOKUPS_KEY, _lookups_digest(lookups), None)
    except Exception:
        logger.warning("Could not remember the names of the last full run", exc_info=True)


def unflag_all(pks: list[int]) -> None:
    for start in range(0, len(pks), BATCH):
        Match.objects.filter(pk__in=pks[start : start + BATCH]).update(
            in_source_top=False, in_target_top=False
        )


def remove_stale_after_full_run(*, run_id: int) -> int:
    """After a full run wrote every kept pair: drop the suggested rest, un-flag the acted-on
    rest (they stay, with their status). Returns how many were removed."""
    stale = Match.objects.filter(~Q(run_id=run_id) | Q(run__isnull=True))
    stale.exclude(status=MatchStatus.SUGGESTED).update(in_source_top=False, in_target_top=False)
    removed, _by_model = stale.filter(status=MatchStatus.SUGGESTED).delete()
    return removed


def delete_pairs(pks: list[int]) -> int:
    removed = 0
    for start in range(0, len(pks), BATCH):
        removed += Match.objects.filter(pk__in=pks[start : start + BATCH]).delete()[0]
    return removed


def unflag(pks_flags: list[tuple[int, bool, bool]]) -> None:
    """Set the list flags of acted-on matches that left the lists (status untouched)."""
    for pk, in_source_top, in_target_top in pks_flags:
        Match.objects.filter(pk=pk).update(in_source_top=in_source_top, in_target_top=in_target_top)


def vacuum() -> bool:
    """PostgreSQL, outside a transaction: clear the dead rows a large rewrite leaves and mark
    pages all-visible, so incremental runs' index-only scans of the list thresholds stay fast
    (autovacuum would get there too, later). Returns whether it ran."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {Match._meta.db_table}")
    return True


def use_copy() -> bool:
    return connection.vendor == "postgresql"
