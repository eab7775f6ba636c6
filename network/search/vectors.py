"""Search-vector upkeep. On PostgreSQL a trigger (migration 0003) recomputes a row's vector on
every write; this only asks it to, e.g. after a tag was renamed. SQLite searches with LIKE."""

from django.db import connection

from network.querysets import uses_postgres


def refresh_search_vectors(organisation_ids=None) -> None:
    """Recompute the vectors of the given organisations, or of all when None."""
    if not uses_postgres():
        return
    sql = "UPDATE network_organisation SET search_vector = NULL"
    params = []
    if organisation_ids is not None:
        ids = list(organisation_ids)
        if not ids:
            return
        sql += " WHERE id = ANY(%s)"
        params.append(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
