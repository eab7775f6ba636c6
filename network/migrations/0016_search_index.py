"""The network's one search index (network.search): the rows, and each database's full text.

SQLite: an FTS5 table over the rows' keys (unicode61, remove_diacritics 2, "_" inside a key)
and an FTS5 trigram table over the vocabulary, both external-content tables kept current by
triggers on every write. PostgreSQL: a generated tsvector of the same keys (each key one
lexeme, exactly as written) with a GIN index, and pg_trgm on the vocabulary. Saved searches
(with their email alerts) and what each has sent.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_FORWARD = [
    """
CREATE VIRTUAL TABLE network_search_fts USING fts5(
  body_keys, content='network_searchdocument', content_rowid='id',
  tokenize="unicode61 remove_diacritics 2 tokenchars '_'"
)
""",
    """
CREATE TRIGGER network_search_fts_insert AFTER INSERT ON network_searchdocument BEGIN
  INSERT INTO network_search_fts(rowid, body_keys) VALUES (new.id, new.body_keys);
END
""",
    """
CREATE TRIGGER network_search_fts_delete AFTER DELETE ON network_searchdocument BEGIN
  INSERT INTO network_search_fts(network_search_fts, rowid, body_keys)
  VALUES ('delete', old.id, old.body_keys);
END
""",
    """
CREATE TRIGGER network_search_fts_update AFTER UPDATE ON network_searchdocument BEGIN
  INSERT INTO network_search_fts(network_search_fts, rowid, body_keys)
  VALUES ('delete', old.id, old.body_keys);
  INSERT INTO network_search_fts(rowid, body_keys) VALUES (new.id, new.body_keys);
END
""",
    """
CREATE VIRTUAL TABLE network_search_term_trigram USING fts5(
  term, content='network_searchterm', content_rowid='id', tokenize='trigram'
)
""",
    """
CREATE TRIGGER network_search_term_trigram_insert AFTER INSERT ON network_searchterm BEGIN
  INSERT INTO network_search_term_trigram(rowid, term) VALUES (new.id, new.term);
END
""",
    """
CREATE TRIGGER network_search_term_trigram_delete AFTER DELETE ON network_searchterm BEGIN
  INSERT INTO network_search_term_trigram(network_search_term_trigram, rowid, term)
  VALUES ('delete', old.id, old.term);
END
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS network_search_term_trigram_delete",
    "DROP TRIGGER IF EXISTS network_search_term_trigram_insert",
    "DROP TABLE IF EXISTS network_search_term_trigram",
    "DROP TRIGGER IF EXISTS network_search_fts_update",
    "DROP TRIGGER IF EXISTS network_search_fts_delete",
    "DROP TRIGGER IF EXISTS network_search_fts_insert",
    "DROP TABLE IF EXISTS network_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
ALTER TABLE network_searchdocument ADD COLUMN search_vector tsvector
GENERATED ALWAYS AS (
  array_to_tsvector(array_remove(string_to_array(btrim(body_keys), ' '), ''))
) STORED
""",
    "CREATE INDEX network_search_vector_gin ON network_searchdocument USING gin (search_vector)",
    "CREATE INDEX network_searchterm_trgm ON network_searchterm USING gin (term gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS network_searchterm_trgm",
    "DROP INDEX IF EXISTS network_search_vector_gin",
    "ALTER TABLE network_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0015_concept_thesaurus"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=100, unique=True)),
            ],
        ),
        migrations.CreateModel(
            name="SearchWatermark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=30, unique=True)),
                ("updated_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=30)),
                ("object_id", models.PositiveBigIntegerField()),
                ("title", models.CharField(max_length=300)),
                ("sort_title", models.CharField(db_index=True, max_length=300)),
                ("text", models.TextField(blank=True)),
                ("title_keys", models.TextField(blank=True)),
                ("lead_keys", models.TextField(blank=True)),
                ("body_keys", models.TextField(blank=True)),
                ("source_updated_at", models.DateTimeField(null=True)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="search_document_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward),
        migrations.CreateModel(
            name="SavedSearch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("query", models.CharField(max_length=200, verbose_name="search")),
                (
                    "kind",
                    models.CharField(blank=True, max_length=30, verbose_name="kind of result"),
                ),
                (
                    "focus_area",
                    models.CharField(blank=True, max_length=100, verbose_name="focus area"),
                ),
                ("region", models.CharField(blank=True, max_length=100, verbose_name="region")),
                (
                    "frequency",
                    models.CharField(
                        choices=[
                            ("immediately", "At once, one email per new find"),
                            ("daily", "A daily email"),
                            ("weekly", "A weekly email"),
                        ],
                        default="daily",
                        max_length=12,
                        verbose_name="email",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_run_at", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_searches",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "saved search",
                "verbose_name_plural": "saved searches",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SavedSearchSent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=30)),
                ("object_id", models.PositiveBigIntegerField()),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
                (
                    "saved_search",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sent",
                        to="network.savedsearch",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("saved_search", "kind", "object_id"),
                        name="saved_search_sent_once",
                    )
                ],
            },
        ),
    ]
