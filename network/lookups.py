"""`field__any=values`: the `in` lookup with the values as one array parameter on PostgreSQL.

`IN (%s, %s, ...)` takes a parameter per value; Django's psycopg cursor quotes each one into
the statement in Python, which for the member import's 1,000 CVR numbers or e-mail addresses a
chunk costs more than the query itself. `= ANY(%s)` sends the list as one array literal, quoted
in C. Text and whole numbers given as such go as they are, without a conversion per value.
Elsewhere (SQLite) it is `in` as it is.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

# Column types whose values, when already of this Python type, the database takes as they are.
AS_THEY_ARE = {
    "AutoField": int,
    "BigAutoField": int,
    "SmallAutoField": int,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveBigIntegerField": int,
    "PositiveSmallIntegerField": int,
    "CharField": str,
    "SlugField": str,
    "TextField": str,
}


def _column_field(lookup):
    field = lookup.lhs.output_field
    return field.target_field if field.is_relation else field


def _plain_values(lookup) -> list | None:
    """The values as they are, when each one already is what the column holds; else None."""
    kind = AS_THEY_ARE.get(_column_field(lookup).get_internal_type())
    if kind is None or not isinstance(lookup.rhs, list | tuple | set | frozenset):
        return None
    values = [value for value in lookup.rhs if value is not None]
    if not all(type(value) is kind for value in values):
        return None
    return values


def _array_of(lookup, values: list, connection) -> tuple[str, list]:
    """The array's SQL type and the values that can be in it. The array must be of the column's
    own type: PostgreSQL looks a value up in a hash of the array only when both sides hash
    alike (a bigint key against a smallint[] array, as psycopg types small numbers, is compared
    with every element in turn: 15 times slower for 1,000 keys). Text of any length is text[]
    (never the column's varchar(n), which would cut longer values to fit); a number the column
    cannot hold cannot match and is left out."""
    field = _column_field(lookup)
    internal_type = field.get_internal_type()
    if AS_THEY_ARE[internal_type] is str:
        return "text[]", values
    low, high = connection.ops.integer_field_range(internal_type)
    return f"{field.db_type(connection)}[]", [
        value
        for value in values
        if (low is None or value >= low) and (high is None or value <= high)
    ]


class _ArrayParameter:
    def get_prep_lookup(self):
        self.plain_values = _plain_values(self)
        if self.plain_values is not None:
            return self.rhs
        return super().get_prep_lookup()

    def as_sql(self, compiler, connection):
        if self.plain_values is not None:  # elsewhere: `in`, without the numbers no key can be
            _array, self.rhs = _array_of(self, self.plain_values, connection)
        return super().as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self.plain_values is not None:
            array, params = _array_of(self, self.plain_values, connection)
            placeholder = f"%s::{array}"
        else:  # as `in` prepares them
            _placeholders, params = self.process_rhs(compiler, connection)
            placeholder = "%s"
        if not params:  # None is never equal to anything; nothing at all matches nothing
            raise EmptyResultSet
        return f"{lhs} = ANY({placeholder})", (*lhs_params, list(params))


@Field.register_lookup
class AnyOf(_ArrayParameter, In):
    lookup_name = "any"


@ForeignObject.register_lookup
class RelatedAnyOf(_ArrayParameter, RelatedIn):
    """The same for a foreign key (whose lookups are its own: values may be model instances)."""

    lookup_name = "any"
