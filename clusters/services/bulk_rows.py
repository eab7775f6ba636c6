"""Inserting many new rows at once, without Django's per-value SQL compilation.

`bulk_create` prepares every value of every object through the field's `pre_save` and
`get_db_prep_save` and builds the statement value by value: for the member import's 10,000
organisations, memberships, affiliations and history rows that is most of the commit's time.
Here each field is looked at once: values a database driver takes as they are (text, numbers,
booleans, foreign keys) go as they are, only the others (dates, decimals, JSON, ...) through the
field's own `get_db_prep_save`. PostgreSQL gets the rows by COPY (through a scratch table when
conflicting rows are to be left out), SQLite by `executemany`. Primary keys come back only when
asked for: on PostgreSQL they are taken from the table's sequence beforehand and written with
the rows, on SQLite they follow from the last row's. (INSERT ... RETURNING, as bulk_create does
it, needs statements of many rows, which psycopg parses anew, value by value, on every call,
and which SQLite's limit of 999 parameters cuts into dozens.) Models whose fields need their
own SQL placeholder are left to `bulk_create`.
"""

import json
import operator
from types import SimpleNamespace

from django.db import connections, router, transaction
from django.db.models import AutoField, BigAutoField, Field, JSONField, SmallAutoField
from django.db.models.constants import OnConflict

from network import page_cache

AUTO_FIELDS = (AutoField, BigAutoField, SmallAutoField)
# Internal types whose values the drivers take as they are, when the field does not convert.
AS_THEY_ARE = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


def _plain(field) -> bool:
    if field.is_relation:  # the value is the related row's key
        field = field.target_field
        if isinstance(field, AUTO_FIELDS):
            return True
    return (
        field.get_internal_type() in AS_THEY_ARE
        and type(field).get_db_prep_save is Field.get_db_prep_save
    )


TEXT_TYPES = {"CharField", "SlugField", "TextField"}


class NewRow(SimpleNamespace):
    """A row to insert: a model's field values by attname, without a model instance (making
    10,000 instances, each setting every field through its descriptor, costs more than writing
    them). `pk` is its key once `insert_rows(..., return_keys=True)` wrote it."""


def new_row_maker(model):
    """A function making a `NewRow` of `model` from values given by attname (`municipality_id`,
    not `municipality`); every other field takes its default, a callable one per row, as a model
    instance would. A name that is not a field of the model is an error."""
    meta = model._meta
    fixed, per_row = {}, []
    for field in meta.concrete_fields:
        if field.has_default() and callable(field.default):
            per_row.append((field.attname, field.default))
        else:
            fixed[field.attname] = field.get_default()
    known = {*fixed, *(name for name, _default in per_row)}
    row_class = type(
        f"New{model.__name__}", (NewRow,), {"pk": property(operator.attrgetter(meta.pk.attname))}
    )

    def make(**values):
        unknown = values.keys() - known
        if unknown:
            raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
        row = row_class(**fixed)
        for name, default in per_row:
            if name not in values:
                setattr(row, name, default())
        row.__dict__.update(values)
        return row

    return make


def _text(value):
    # Choices (str subclasses) as plain str, which every driver adapts (psycopg would write an
    # enum member by its name).
    return str(value) if isinstance(value, str) and type(value) is not str else value


def _plain_json(field) -> bool:
    return (
        field.get_internal_type() == "JSONField"
        and field.encoder is None
        and type(field).get_db_prep_save is JSONField.get_db_prep_save
        and type(field).get_db_prep_value is JSONField.get_db_prep_value
    )


def _json_text(value):
    """A JSON field's value as the text both databases read it from (PostgreSQL's COPY into
    jsonb included), as the field would write it, without the driver's adapter per value (the
    import preview writes four a row). None is NULL, as bulk_create writes it."""
    return None if value is None else json.dumps(value)


def _converter(field, connection):
    """The field's own conversion, once per distinct value (rows share dates and moments)."""
    seen = {}

    def convert(value):
        if value is None:  # NULL (a JSON field's None too, as bulk_create writes it)
            return None
        try:
            return seen[value]
        except KeyError:
            seen[value] = prepared = field.get_db_prep_save(value, connection)
        except TypeError:  # not hashable: a dict or list for a JSON field
            return field.get_db_prep_save(value, connection)
        return prepared

    return convert


def _row_maker(fields, objs, connection):
    """A function giving an object's values in the order of `fields`, as the driver takes them:
    read in one go, then only the values that need it converted."""
    conversions = []
    for index, field in enumerate(fields):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            # One moment for the whole call (bulk_create takes one per row, microseconds apart).
            stamp = field.pre_save(objs[0], True)
            for obj in objs[1:]:
                setattr(obj, field.attname, stamp)
            prepared = field.get_db_prep_save(stamp, connection)
            conversions.append((index, lambda value, prepared=prepared: prepared))
        elif _plain_json(field):
            conversions.append((index, _json_text))
        elif not _plain(field):
            conversions.append((index, _converter(field, connection)))
        elif field.get_internal_type() in TEXT_TYPES:
            conversions.append((index, _text))
    names = [field.attname for field in fields]
    read = operator.attrgetter(*names) if len(names) > 1 else lambda obj: (getattr(obj, names[0]),)

    def row(obj) -> list:
        values = list(read(obj))
        for index, convert in conversions:
            values[index] = convert(values[index])
        return values

    return row


def _take_keys(cursor, meta, objs) -> None:
    """Give each object the next key of its table's sequence (PostgreSQL), in one query."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [meta.db_table, meta.pk.column, len(objs)],
    )
    for obj, (key,) in zip(objs, cursor.fetchall(), strict=True):
        setattr(obj, meta.pk.attname, key)


def _copy(cursor, meta, fields, row, objs, *, ignore_conflicts: bool) -> None:
    """COPY: psycopg writes the rows in C, with no statement to parse per row."""
    qn = cursor.db.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(meta.db_table)
    # COPY has no ON CONFLICT: rows that may clash go to a scratch table first.
    # The names in these statements are the model's own, quoted; no value is put into the SQL.
    target = qn(f"{meta.db_table}_incoming") if ignore_conflicts else table
    if ignore_conflicts:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {target} AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
        )
    with cursor.cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row(row(obj))
    if ignore_conflicts:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} "  # noqa: S608
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {target}")


def _execute_many(cursor, meta, fields, row, objs, *, ignore_conflicts, batch_size) -> int:
    """One short statement for every row, prepared once by the driver. Returns the number of
    rows written."""
    ops = cursor.db.ops
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = "{} {} ({}) VALUES ({}) {}".format(
        ops.insert_statement(on_conflict=on_conflict),
        ops.quote_name(meta.db_table),
        ", ".join(ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
        ops.on_conflict_suffix_sql(fields, on_conflict, None, None) or "",
    )
    written = 0
    for start in range(0, len(objs), batch_size):
        batch = objs[start : start + batch_size]
        cursor.executemany(sql, [row(obj) for obj in batch])
        written += cursor.rowcount
    return written


def _keys_of_last_rows(cursor, meta, objs, written: int) -> None:
    """SQLite: the rows just written got consecutive keys after the largest one before them
    (the transaction holds the database's only write lock from its first row on), so the keys
    are the last one and those before it."""
    if written != len(objs):  # never, without ignore_conflicts; the keys would be wrong
        raise RuntimeError(f"{written} of {len(objs)} rows were written")
    cursor.execute("SELECT last_insert_rowid()")
    (last,) = cursor.fetchone()
    for key, obj in enumerate(objs, start=last - len(objs) + 1):
        setattr(obj, meta.pk.attname, key)


def insert_rows(
    model,
    objs,
    *,
    ignore_conflicts: bool = False,
    batch_size: int = 1000,
    return_keys: bool = False,
) -> None:
    """INSERT `objs` (new instances of `model`, its `NewRow`s, or any objects with its
    fields' attnames as attributes), primary keys left to the database. With `return_keys` each
    object gets its primary key (not with `ignore_conflicts`: a row left out would have none)."""
    if not objs:
        return
    if return_keys and ignore_conflicts:
        raise ValueError("return_keys and ignore_conflicts do not go together")
    objs = list(objs)
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in meta.concrete_fields if not (isinstance(f, AUTO_FIELDS) and f.primary_key)]
    if any(hasattr(f, "get_placeholder") for f in fields) or (
        return_keys and connection.vendor not in ("postgresql", "sqlite")
    ):
        instances = [model(**vars(obj)) if isinstance(obj, NewRow) else obj for obj in objs]
        model._base_manager.using(using).bulk_create(
            instances, batch_size=batch_size, ignore_conflicts=ignore_conflicts
        )
        for obj, instance in zip(objs, instances, strict=True):
            if obj is not instance:
                setattr(obj, meta.pk.attname, instance.pk)
        return
    # One transaction: outside one, SQLite would commit (and sync) every row.
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if return_keys:
                _take_keys(cursor, meta, objs)
                fields = [meta.pk, *fields]
            row = _row_maker(fields, objs, connection)
            _copy(cursor, meta, fields, row, objs, ignore_conflicts=ignore_conflicts)
            # COPY bypasses the connection's execute wrappers: the page cache hears it here.
            page_cache.note_write(connection, meta.db_table)
        else:
            written = _execute_many(
                cursor,
                meta,
                fields,
                _row_maker(fields, objs, connection),
                objs,
                ignore_conflicts=ignore_conflicts,
                batch_size=batch_size,
            )
            if return_keys:
                _keys_of_last_rows(cursor, meta, objs, written)
    for obj in objs:
        state = getattr(obj, "_state", None)  # rows may be plain namespaces
        if state is not None:
            state.adding = False
            state.db = using
