# Reserved for: reliable reminders and digests. Operations are filled in by that work; kept in one linear chain so that
# parallel work on this app never makes two leaf migrations.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clusters", "0006_security_hardening")]

    operations = [
        migrations.AddField(
            model_name="historicalmembership",
            name="status_reason_code",
            field=models.CharField(blank=True, max_length=40, verbose_name="reason code"),
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="status_reason_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="reason parameters"),
        ),
        migrations.AddField(
            model_name="membership",
            name="status_reason_code",
            field=models.CharField(blank=True, max_length=40, verbose_name="reason code"),
        ),
        migrations.AddField(
            model_name="membership",
            name="status_reason_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="reason parameters"),
        ),
    ]
