# Member import (issue 18): the spellings staff mapped once per cluster, and a membership's
# "applied" date that an import or the demo can set (a default instead of auto_now_add).
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0008_funding_currencies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalmembership",
            name="applied_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="applied"),
        ),
        migrations.AlterField(
            model_name="membership",
            name="applied_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="applied"),
        ),
        migrations.CreateModel(
            name="ImportValueMapping",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "field",
                    models.CharField(
                        choices=[
                            ("kind", "Kind"),
                            ("tier", "Tier"),
                            ("municipality", "Municipality"),
                        ],
                        max_length=20,
                        verbose_name="column",
                    ),
                ),
                ("value", models.CharField(max_length=200, verbose_name="value in the file")),
                ("target", models.CharField(max_length=50, verbose_name="means")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "cluster",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="import_mappings",
                        to="clusters.cluster",
                        verbose_name="cluster",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "import value mapping",
                "verbose_name_plural": "import value mappings",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("cluster", "field", "value"),
                        name="import_mapping_once_per_value",
                    )
                ],
            },
        ),
    ]
