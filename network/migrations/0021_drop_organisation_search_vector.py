"""The organisation's own search vector goes: nothing has read it since the network's one search
(0016, `network_searchdocument`) took over the directory's free text.

Its trigger still recomputed it on every write of an organisation (with a query for the tags),
and the tags' trigger rewrote the organisation whenever a tag came or went: half the time of
inserting 10,000 organisations in a member import. The trigram index on names stays: it serves
the name searches (`icontains`) on PostgreSQL.
"""

from django.db import migrations

DROP = [
    "DROP TRIGGER IF EXISTS organisation_tags_search_vector ON network_organisation_tags",
    "DROP FUNCTION IF EXISTS network_organisation_tags_touch()",
    "DROP TRIGGER IF EXISTS organisation_search_vector ON network_organisation",
    "DROP FUNCTION IF EXISTS network_organisation_search_vector()",
    "DROP INDEX IF EXISTS organisation_search_gin",
]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


def restore(apps, schema_editor):
    """Back to 0003's vector, trigger and index (the column is back by then)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from importlib import import_module

    previous = import_module("network.migrations.0003_postgres_search")
    for sql in previous.FORWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("network", "0020_email_lower_indexes")]

    operations = [
        migrations.RunPython(drop, restore),
        migrations.RemoveField(model_name="organisation", name="search_vector"),
    ]
