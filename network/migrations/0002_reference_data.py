from django.db import migrations


def load(apps, schema_editor):
    from network.reference_data import load_reference_data

    load_reference_data(
        apps.get_model("network", "Region"),
        apps.get_model("network", "Municipality"),
        apps.get_model("network", "FocusArea"),
    )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
