# Reserved for: joining the network (invitations, join requests, register data). Operations are filled in by that work; kept in one linear chain so that
# parallel work on this app never makes two leaf migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("network", "0009_existing_rows_stay_published")]

    operations = []
