# Reserved for: merge undo and transliterated slugs. Operations are filled in by that work; kept in one linear chain so that
# parallel work on this app never makes two leaf migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("network", "0012_security_hardening")]

    operations = []
