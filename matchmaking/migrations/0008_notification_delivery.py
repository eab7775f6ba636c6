# Reserved for: reliable reminders and digests. Operations are filled in by that work; kept in one linear chain so that
# parallel work on this app never makes two leaf migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0007_existing_needs_stay_published")]

    operations = []
