"""Rows that existed before review was introduced stay published.

A migration of its own: updating rows in the migration that adds the columns and indexes fails
on PostgreSQL with data present ("pending trigger events" when the deferred indexes are built).
"""

from django.db import migrations, models


def existing_rows_stay_published(apps, schema_editor):
    """Everything already in the directory was shown before review existed: it stays shown."""
    for name in ("Organisation", "TestSite", "KnowledgeOffer"):
        apps.get_model("network", name).objects.update(is_published=True, review_status="published")
    apps.get_model("network", "Organisation").objects.update(confirmed_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [("network", "0008_organisation_confirmed_default")]

    operations = [
        migrations.RunPython(existing_rows_stay_published, migrations.RunPython.noop),
    ]
