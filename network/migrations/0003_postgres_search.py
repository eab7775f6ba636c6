"""Full-text and trigram indexes. PostgreSQL only: the SQLite default searches with LIKE."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS organisation_search_gin "
    "ON network_organisation USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS organisation_name_trgm "
    "ON network_organisation USING gin (name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS organisation_name_trgm",
    "DROP INDEX IF EXISTS organisation_search_gin",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("network", "0002_reference_data")]

    operations = [migrations.RunPython(forward, backward)]
