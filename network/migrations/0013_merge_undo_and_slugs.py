"""Merges that can be undone (what the undo needs, who undid it), and slugs that keep Danish and
Norwegian letters (æ -> ae, ø -> oe, å -> aa). Organisation.merged_into / merged_at (the
tombstone of a merged duplicate) came with 0010."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0012_security_hardening"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="organisationmerge",
            name="undo_data",
            field=models.JSONField(default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="organisationmerge",
            name="undone_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="undone"),
        ),
        migrations.AddField(
            model_name="organisationmerge",
            name="undone_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="undone by",
            ),
        ),
    ]
