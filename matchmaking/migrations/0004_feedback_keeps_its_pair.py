"""Feedback keeps its own (company, target) pair, so it outlives a match a run deletes."""

import django.db.models.deletion
from django.db import migrations, models


def copy_pairs(apps, schema_editor):
    Feedback = apps.get_model("matchmaking", "Feedback")
    for feedback in Feedback.objects.select_related("match").iterator():
        match = feedback.match
        Feedback.objects.filter(pk=feedback.pk).update(
            source_id=match.source_id, target_type=match.target_type, target_id=match.target_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0003_match_list_thresholds"),
        ("network", "0004_notifications"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="feedback",
            name="feedback_one_rating_per_match",
        ),
        migrations.AddField(
            model_name="feedback",
            name="source",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="network.organisation",
                verbose_name="company",
            ),
        ),
        migrations.AddField(
            model_name="feedback",
            name="target_type",
            field=models.CharField(default="", max_length=20, verbose_name="target type"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="feedback",
            name="target_id",
            field=models.PositiveBigIntegerField(default=0, verbose_name="target id"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_pairs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="feedback",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="network.organisation",
                verbose_name="company",
            ),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="match",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="feedback",
                to="matchmaking.match",
            ),
        ),
        migrations.AddConstraint(
            model_name="feedback",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind__in", ["useful", "not_relevant"])),
                fields=("source", "target_type", "target_id", "organisation"),
                name="feedback_one_rating_per_pair",
            ),
        ),
    ]
