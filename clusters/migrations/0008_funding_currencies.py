# Funding report currencies: a membership's fee carries its currency (the tier's, else that of
# the cluster's country); tiers choose from the known currencies.
from django.db import migrations, models

CURRENCIES = [
    ("DKK", "Danish kroner (DKK)"),
    ("NOK", "Norwegian kroner (NOK)"),
    ("EUR", "Euro (EUR)"),
]
CURRENCY_OF_COUNTRY = {"DK": "DKK", "NO": "NOK"}


def fill_membership_currency(apps, schema_editor):
    Membership = apps.get_model("clusters", "Membership")
    Cluster = apps.get_model("clusters", "Cluster")
    for cluster in Cluster.objects.all():
        default = CURRENCY_OF_COUNTRY.get(cluster.country, "DKK")
        memberships = Membership.objects.filter(cluster=cluster, currency="")
        for currency in ("DKK", "NOK", "EUR"):
            memberships.filter(tier__currency=currency).update(currency=currency)
        memberships.filter(currency="").update(currency=default)


class Migration(migrations.Migration):
    dependencies = [("clusters", "0007_notification_delivery")]

    operations = [
        migrations.AddField(
            model_name="historicalmembership",
            name="currency",
            field=models.CharField(
                blank=True, choices=CURRENCIES, max_length=3, verbose_name="currency"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="currency",
            field=models.CharField(
                blank=True, choices=CURRENCIES, max_length=3, verbose_name="currency"
            ),
        ),
        migrations.AlterField(
            model_name="membershiptier",
            name="currency",
            field=models.CharField(
                choices=CURRENCIES, default="DKK", max_length=3, verbose_name="currency"
            ),
        ),
        migrations.RunPython(fill_membership_currency, migrations.RunPython.noop),
    ]
