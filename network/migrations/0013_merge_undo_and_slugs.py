"""Merges that can be undone (what the undo needs, who undid it), and slugs that keep Danish and
Norwegian letters (æ -> ae, ø -> oe, å -> aa). Organisation.merged_into / merged_at (the
tombstone of a merged duplicate) came with 0010."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from network.slugs import rewrite_lost_letters


def spell_out_slugs(apps, schema_editor):
    names = ("Organisation", "Municipality", "Region", "Tag")
    rewrite_lost_letters(
        {name: apps.get_model("network", name) for name in names},
        apps.get_model("network", "SlugRedirect"),
    )


def restore_old_slugs(apps, schema_editor):
    SlugRedirect = apps.get_model("network", "SlugRedirect")
    for kind, model_name in (
        ("organisation", "Organisation"),
        ("municipality", "Municipality"),
        ("region", "Region"),
        ("tag", "Tag"),
    ):
        model = apps.get_model("network", model_name)
        for redirect in SlugRedirect.objects.filter(kind=kind):
            model._base_manager.filter(slug=redirect.new_slug).update(slug=redirect.old_slug)


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
        migrations.CreateModel(
            name="SlugRedirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("organisation", "organisation"),
                            ("municipality", "municipality"),
                            ("region", "region"),
                            ("tag", "tag"),
                        ],
                        max_length=20,
                    ),
                ),
                ("old_slug", models.CharField(max_length=220)),
                ("new_slug", models.CharField(max_length=220)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "old_slug"), name="slug_redirect_unique_old"
                    )
                ],
            },
        ),
        migrations.RunPython(spell_out_slugs, restore_old_slugs),
    ]
