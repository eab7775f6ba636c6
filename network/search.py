"""Keeps the organisation search vector current (PostgreSQL only; SQLite searches by LIKE)."""

from django.db import connection

from network.querysets import SEARCH_CONFIGS, uses_postgres

# Name and tags weigh most; the description in the profile's own language, then in 'simple'
# so a Danish text found by an English query still matches on unstemmed words.
_UPDATE_SQL = """
UPDATE network_organisation o SET search_vector =
    setweight(to_tsvector('simple', coalesce(o.name, '')), 'A')
 || setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(t.name, ' ') FROM network_tag t
        JOIN network_organisation_tags ot ON ot.tag_id = t.id
        WHERE ot.organisation_id = o.id), '')), 'A')
 || setweight(to_tsvector(
        (CASE o.language {cases} ELSE 'simple' END)::regconfig,
        coalesce(o.description, '')), 'B')
 || setweight(to_tsvector('simple', coalesce(o.town, '')), 'C')
"""


def _update_sql() -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{config}'" for code, config in SEARCH_CONFIGS.items())
    return _UPDATE_SQL.format(cases=cases)


def refresh_search_vectors(organisation_ids=None) -> None:
    """Recompute the vector of the given organisations, or of all when None."""
    if not uses_postgres():
        return
    sql = _update_sql()
    params = []
    if organisation_ids is not None:
        ids = list(organisation_ids)
        if not ids:
            return
        sql += " WHERE o.id = ANY(%s)"
        params.append(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
