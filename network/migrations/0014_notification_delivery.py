# Reserved for: reliable reminders and digests. Operations are filled in by that work; kept in one linear chain so that
# parallel work on this app never makes two leaf migrations.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("network", "0013_merge_undo_and_slugs")]

    operations = [
        migrations.AddField(
            model_name="notificationpreference",
            name="frequencies",
            field=models.JSONField(blank=True, default=dict, verbose_name="emails by kind"),
        ),
        migrations.AlterField(
            model_name="notificationpreference",
            name="frequency",
            field=models.CharField(
                choices=[
                    ("immediately", "At once, one email per event"),
                    ("daily", "A daily digest"),
                    ("weekly", "A weekly digest"),
                    ("never", "Never by email (only here in the portal)"),
                ],
                default="immediately",
                max_length=12,
                verbose_name="emails from the portal",
            ),
        ),
        migrations.CreateModel(
            name="NotificationDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recipient", models.CharField(max_length=254, verbose_name="recipient")),
                ("kind", models.CharField(max_length=60, verbose_name="kind")),
                ("key", models.CharField(max_length=200, verbose_name="period or object")),
                ("sent_at", models.DateTimeField(verbose_name="sent")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_deliveries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "notification delivery",
                "verbose_name_plural": "notification deliveries",
                "indexes": [
                    models.Index(
                        fields=["recipient", "kind", "-sent_at"],
                        name="notification_delivery_last",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("recipient", "kind", "key"), name="notification_delivery_once"
                    )
                ],
            },
        ),
    ]
