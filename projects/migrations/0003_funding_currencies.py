# Reserved for: funding report currencies. Operations are filled in by that work; kept in one linear chain so that
# parallel work on this app never makes two leaf migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_reportexport")]

    operations = []
