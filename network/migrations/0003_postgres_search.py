"""Full-text and trigram search on PostgreSQL (the SQLite default searches with LIKE).

A trigger keeps `search_vector` current on every write, whoever writes: forms, imports, bulk
loads, the admin. Name and tags weigh most; the description is stemmed in the profile's own
language and also indexed unstemmed, so a query in another language still finds exact words.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
CREATE OR REPLACE FUNCTION network_organisation_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
       setweight(to_tsvector('simple', coalesce(NEW.name, '')), 'A')
    || setweight(to_tsvector('simple', coalesce((
         SELECT string_agg(t.name, ' ') FROM network_tag t
         JOIN network_organisation_tags ot ON ot.tag_id = t.id
         WHERE ot.organisation_id = NEW.id), '')), 'A')
    || setweight(to_tsvector(
         CASE NEW.language WHEN 'da' THEN 'danish'::regconfig
                           WHEN 'nb' THEN 'norwegian'::regconfig
                           WHEN 'en' THEN 'english'::regconfig
                           ELSE 'simple'::regconfig END,
         coalesce(NEW.description, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(NEW.town, '')), 'C')
    || setweight(to_tsvector('simple', coalesce(NEW.description, '')), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER organisation_search_vector
BEFORE INSERT OR UPDATE ON network_organisation
FOR EACH ROW EXECUTE FUNCTION network_organisation_search_vector()
""",
    """
CREATE OR REPLACE FUNCTION network_organisation_tags_touch() RETURNS trigger AS $$
BEGIN
  UPDATE network_organisation SET search_vector = NULL
  WHERE id = COALESCE(NEW.organisation_id, OLD.organisation_id);
  RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER organisation_tags_search_vector
AFTER INSERT OR DELETE ON network_organisation_tags
FOR EACH ROW EXECUTE FUNCTION network_organisation_tags_touch()
""",
    "UPDATE network_organisation SET search_vector = NULL",
    "CREATE INDEX IF NOT EXISTS organisation_search_gin "
    "ON network_organisation USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS organisation_name_trgm "
    "ON network_organisation USING gin (name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS organisation_name_trgm",
    "DROP INDEX IF EXISTS organisation_search_gin",
    "DROP TRIGGER IF EXISTS organisation_tags_search_vector ON network_organisation_tags",
    "DROP FUNCTION IF EXISTS network_organisation_tags_touch()",
    "DROP TRIGGER IF EXISTS organisation_search_vector ON network_organisation",
    "DROP FUNCTION IF EXISTS network_organisation_search_vector()",
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
