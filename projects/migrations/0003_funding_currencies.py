# Funding report currencies: contributions and budget lines carry their currency; existing rows
# take that of the country of the cluster they belong to (DK -> DKK, NO -> NOK).
# A CSV export remembers its dialect (standard or Danish Excel).
from django.db import migrations, models

CURRENCIES = [
    ("DKK", "Danish kroner (DKK)"),
    ("NOK", "Norwegian kroner (NOK)"),
    ("EUR", "Euro (EUR)"),
]
CURRENCY_OF_COUNTRY = {"DK": "DKK", "NO": "NOK"}
HELP = "Leave empty for the currency of the cluster's country."


def fill_currencies(apps, schema_editor):
    Cluster = apps.get_model("clusters", "Cluster")
    Budget = apps.get_model("projects", "Budget")
    Contribution = apps.get_model("projects", "Contribution")
    for cluster in Cluster.objects.all():
        currency = CURRENCY_OF_COUNTRY.get(cluster.country, "DKK")
        Budget.objects.filter(cluster=cluster, currency="").update(currency=currency)
        Contribution.objects.filter(project__lead_cluster=cluster, currency="").update(
            currency=currency
        )
        Contribution.objects.filter(activity__cluster=cluster, currency="").update(
            currency=currency
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_reportexport"), ("clusters", "0008_funding_currencies")]

    operations = [
        migrations.AddField(
            model_name="budget",
            name="currency",
            field=models.CharField(
                blank=True,
                choices=CURRENCIES,
                help_text=HELP,
                max_length=3,
                verbose_name="currency",
            ),
        ),
        migrations.AddField(
            model_name="contribution",
            name="currency",
            field=models.CharField(
                blank=True,
                choices=CURRENCIES,
                help_text=HELP,
                max_length=3,
                verbose_name="currency",
            ),
        ),
        migrations.AddField(
            model_name="reportexport",
            name="dialect",
            field=models.CharField(default="standard", max_length=10),
        ),
        migrations.RunPython(fill_currencies, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="budget",
            constraint=models.CheckConstraint(
                condition=models.Q(("currency__in", ["DKK", "NOK", "EUR"])),
                name="budget_currency_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="contribution",
            constraint=models.CheckConstraint(
                condition=models.Q(("currency__in", ["DKK", "NOK", "EUR"])),
                name="contribution_currency_known",
            ),
        ),
    ]
