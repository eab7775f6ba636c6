"""Weights chosen on the judged set (benchmarks/match_quality.py): text decides, focus areas
and geography only break ties. Criteria still at the previous defaults move to the new ones;
weights a network admin changed are left alone."""

import django.core.validators
from django.db import migrations, models

OLD = {"focus": 0.25, "tags": 0.15, "text": 0.25, "geography": 0.15, "readiness": 0.1}
OLD_AVAILABILITY = 0.1
NEW = {
    "focus": 0.05,
    "tags": 0.1,
    "text": 0.8,
    "geography": 0.02,
    "readiness": 0.05,
    "availability": 0.05,
}


def measured_weights(apps, schema_editor):
    criteria = apps.get_model("matchmaking", "MatchCriteria").objects.filter(
        weight_availability=OLD_AVAILABILITY, **{f"weight_{k}": v for k, v in OLD.items()}
    )
    criteria.update(**{f"weight_{k}": v for k, v in NEW.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0008_notification_delivery"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalmatchcriteria",
            name="weight_availability",
            field=models.FloatField(
                default=0.05,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="available now",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmatchcriteria",
            name="weight_focus",
            field=models.FloatField(
                default=0.05,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="focus areas in common",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmatchcriteria",
            name="weight_geography",
            field=models.FloatField(
                default=0.02,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="close to each other",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmatchcriteria",
            name="weight_readiness",
            field=models.FloatField(
                default=0.05,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="readiness level fits",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmatchcriteria",
            name="weight_tags",
            field=models.FloatField(
                default=0.1,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="tags in common",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmatchcriteria",
            name="weight_text",
            field=models.FloatField(
                default=0.8,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="similar descriptions",
            ),
        ),
        migrations.AlterField(
            model_name="matchcriteria",
            name="weight_availability",
            field=models.FloatField(
                default=0.05,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="available now",
            ),
        ),
        migrations.AlterField(
            model_name="matchcriteria",
            name="weight_focus",
            field=models.FloatField(
                default=0.05,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="focus areas in common",
            ),
        ),
        migrations.AlterField(
            model_name="matchcriteria",
            name="weight_geography",
            field=models.FloatField(
                default=0.02,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="close to each other",
            ),
        ),
        migrations.AlterField(
            model_name="matchcriteria",
            name="weight_readiness",
            field=models.FloatField(
                default=0.05,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="readiness level fits",
            ),
        ),
        migrations.AlterField(
            model_name="matchcriteria",
            name="weight_tags",
            field=models.FloatField(
                default=0.1,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="tags in common",
            ),
        ),
        migrations.AlterField(
            model_name="matchcriteria",
            name="weight_text",
            field=models.FloatField(
                default=0.8,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="similar descriptions",
            ),
        ),
        migrations.RunPython(measured_weights, migrations.RunPython.noop),
    ]
