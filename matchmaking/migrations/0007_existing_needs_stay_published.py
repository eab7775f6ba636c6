"""Needs posted before review was introduced stay published (a migration of its own, for the
reason given in network's 0009)."""

from django.db import migrations


def existing_needs_keep_their_visibility(apps, schema_editor):
    """Needs posted before review existed stay shown; drafts stay drafts."""
    Need = apps.get_model("matchmaking", "Need")
    Need.objects.exclude(status="draft").update(is_published=True, review_status="published")


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0006_moderation_and_staleness")]

    operations = [
        migrations.RunPython(existing_needs_keep_their_visibility, migrations.RunPython.noop),
    ]
