"""Joining the network: invitations, join requests, what the register said, industry codes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0009_existing_rows_stay_published"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="industry_code",
            field=models.CharField(
                blank=True,
                help_text="NACE code from the business register (branchekode / næringskode).",
                max_length=10,
                verbose_name="industry code",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="merged_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="organisation",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="network.organisation",
            ),
        ),
        migrations.CreateModel(
            name="RegisterExtract",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=9, verbose_name="number")),
                ("number_valid", models.BooleanField(verbose_name="check digit correct")),
                ("status", models.CharField(max_length=12, verbose_name="register answer")),
                ("source", models.CharField(blank=True, max_length=120, verbose_name="register")),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="register data")),
                ("differences", models.JSONField(blank=True, default=dict)),
                (
                    "fetched_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="looked up"
                    ),
                ),
                (
                    "organisation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="register_extract",
                        to="network.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "register extract",
                "verbose_name_plural": "register extracts",
            },
        ),
        migrations.CreateModel(
            name="Invitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="email")),
                (
                    "role",
                    models.CharField(
                        choices=[("admin", "Organisation admin"), ("member", "Member")],
                        default="member",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                (
                    "message",
                    models.TextField(blank=True, max_length=1000, verbose_name="personal message"),
                ),
                ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="sent")),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                (
                    "accepted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="accepted"),
                ),
                (
                    "revoked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="withdrawn"),
                ),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="network.organisation",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="invitations",
                        to="network.person",
                    ),
                ),
            ],
            options={
                "verbose_name": "invitation",
                "verbose_name_plural": "invitations",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["organisation", "email"], name="network_inv_organis_94ecbe_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="JoinRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "message",
                    models.TextField(
                        blank=True, max_length=1000, verbose_name="message to the organisation"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for an answer"),
                            ("approved", "Approved"),
                            ("declined", "Declined"),
                            ("withdrawn", "Withdrawn"),
                            ("expired", "Expired"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        blank=True,
                        choices=[("admin", "Organisation admin"), ("member", "Member")],
                        max_length=10,
                        verbose_name="role given",
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="answered"),
                ),
                ("reason", models.TextField(blank=True, max_length=1000, verbose_name="reason")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="asked")),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="join_requests",
                        to="network.organisation",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="join_requests",
                        to="network.person",
                    ),
                ),
            ],
            options={
                "verbose_name": "join request",
                "verbose_name_plural": "join requests",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["status", "expires_at"], name="network_joi_status_19d8ee_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "pending")),
                        fields=("person", "organisation"),
                        name="joinrequest_one_pending_per_person",
                    )
                ],
            },
        ),
    ]
