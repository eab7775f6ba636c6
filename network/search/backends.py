"""What differs between the databases, and nothing else: how a tree of keys becomes the
database's match syntax, how a misspelt word finds index words near it (trigrams), and how the
index's match filter is written. Ranking is not here (network.search.ranking, one for both).

SQLite: an FTS5 table over the document's body_keys (tokenizer unicode61 with
remove_diacritics 2 and "_" as a letter), and an FTS5 trigram table over the vocabulary.
PostgreSQL: a generated tsvector of the same keys with a GIN index, and pg_trgm on the
vocabulary. Keys are made of [a-z0-9_] only (network.search.keys), so quoting them is enough.
"""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from network.search.query import All, Any, Term

FTS_TABLE = "network_search_fts"
TRIGRAM_TABLE = "network_search_term_trigram"
CANDIDATES = 60
SIMILARITY = 0.2


def postgres() -> bool:
    return connection.vendor == "postgresql"


# -- match syntax ------------------------------------------------------------------------------
def fts5(node) -> str:
    if isinstance(node, Term):
        return f'"{node.key}"' + ("*" if node.prefix else "")
    joiner = " OR " if isinstance(node, Any) else " AND "
    return "(" + joiner.join(fts5(child) for child in node.children) + ")"


def tsquery(node) -> str:
    if isinstance(node, Term):
        return f"'{node.key}'" + (":*" if node.prefix else "")
    joiner = " | " if isinstance(node, Any) else " & "
    return "(" + joiner.join(tsquery(child) for child in node.children) + ")"


def match_expression(groups: list, *, every: bool = True) -> str:
    """All groups (or any, for the fallback) in the current database's syntax."""
    node = All(tuple(groups)) if every else Any(tuple(groups))
    return tsquery(node) if postgres() else fts5(node)


def matching(queryset, groups: list, *, every: bool = True):
    """`queryset` of SearchDocument narrowed to the rows that match the groups."""
    expression = match_expression(groups, every=every)
    if postgres():
        return queryset.annotate(
            search_hit=RawSQL("search_vector @@ %s::tsquery", [expression], BooleanField())
        ).filter(search_hit=True)
    # The table name is a constant; the match expression travels as a parameter.
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return queryset.filter(pk__in=RawSQL(sql, [expression]))  # noqa: S611


# -- typos -------------------------------------------------------------------------------------
def trigrams(word: str) -> list[str]:
    return list(dict.fromkeys(word[i : i + 3] for i in range(len(word) - 2)))


def near_words(words: list[str]) -> list[str]:
    """Index words that share trigrams with any of `words` (one query for all of them); the
    caller keeps those within the allowed edits (network.search.query.corrections_for)."""
    if not words:
        return []
    with connection.cursor() as cursor:
        if postgres():
            # pg_trgm's default threshold (0.3) misses a swap in a six-letter word
            # ("demnes"/"demens" share 3 of 11 trigrams); the edit distance decides after.
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(SIMILARITY)],
            )
            conditions = " OR ".join(["term %% %s"] * len(words))
            cursor.execute(
                f"SELECT term FROM network_searchterm WHERE {conditions} LIMIT %s",  # noqa: S608
                [*words, CANDIDATES * len(words)],
            )
        else:
            grams = sorted({gram for word in words for gram in trigrams(word)})
            if not grams:
                return []
            expression = " OR ".join(f'"{gram}"' for gram in grams)
            cursor.execute(
                f"SELECT term FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s "  # noqa: S608
                "ORDER BY rank LIMIT %s",
                [expression, CANDIDATES * len(words)],
            )
        return [row[0] for row in cursor.fetchall()]
