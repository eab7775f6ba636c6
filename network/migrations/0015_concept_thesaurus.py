"""The concept thesaurus as rows network admins edit, loaded from the file it ships in."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def load_thesaurus(apps, schema_editor):
    from network.text.thesaurus import DATA, parse

    Concept = apps.get_model("network", "Concept")
    rows = []
    for position, concept in enumerate(parse(DATA.read_text(encoding="utf-8"))):
        rows.append(
            Concept(
                slug=concept.id,
                terms_da="\n".join(concept.terms["da"]),
                terms_nb="\n".join(concept.terms["nb"]),
                terms_en="\n".join(concept.terms["en"]),
                abbreviations="\n".join(concept.abbreviations),
                position=position,
            )
        )
    Concept.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0014_notification_delivery"),
    ]

    operations = [
        migrations.CreateModel(
            name="Concept",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="identifier")),
                (
                    "terms_da",
                    models.TextField(
                        blank=True,
                        help_text="One term per line; the first is the name shown in this language.",
                        verbose_name="Danish terms",
                    ),
                ),
                (
                    "terms_nb",
                    models.TextField(
                        blank=True,
                        help_text="One term per line; the first is the name shown in this language.",
                        verbose_name="Norwegian terms",
                    ),
                ),
                (
                    "terms_en",
                    models.TextField(
                        blank=True,
                        help_text="One term per line; the first is the name shown in this language.",
                        verbose_name="English terms",
                    ),
                ),
                (
                    "abbreviations",
                    models.TextField(
                        blank=True,
                        help_text="One per line, e.g. KOL, KOLS, COPD.",
                        verbose_name="abbreviations",
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "merged_into",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="merged",
                        to="network.concept",
                        verbose_name="merged into",
                    ),
                ),
            ],
            options={
                "verbose_name": "concept",
                "verbose_name_plural": "concepts",
                "ordering": ["position", "slug"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalConcept",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=80, verbose_name="identifier")),
                (
                    "terms_da",
                    models.TextField(
                        blank=True,
                        help_text="One term per line; the first is the name shown in this language.",
                        verbose_name="Danish terms",
                    ),
                ),
                (
                    "terms_nb",
                    models.TextField(
                        blank=True,
                        help_text="One term per line; the first is the name shown in this language.",
                        verbose_name="Norwegian terms",
                    ),
                ),
                (
                    "terms_en",
                    models.TextField(
                        blank=True,
                        help_text="One term per line; the first is the name shown in this language.",
                        verbose_name="English terms",
                    ),
                ),
                (
                    "abbreviations",
                    models.TextField(
                        blank=True,
                        help_text="One per line, e.g. KOL, KOLS, COPD.",
                        verbose_name="abbreviations",
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "merged_into",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="network.concept",
                        verbose_name="merged into",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical concept",
                "verbose_name_plural": "historical concepts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(load_thesaurus, migrations.RunPython.noop),
    ]
