"""Dates proposed before proposals could expire carry the request's old deadline (0002), which
may have passed: each gets a full period from when this runs, as dates proposed now would, and
a reminder of its own to come."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def proposals_get_a_full_period(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    # The same time of day so many calendar days later in the portal's time zone, as
    # models.proposal_deadline() (not imported: a migration keeps the rule it ran with).
    days = max(1, int(settings.BOOKING_PROPOSAL_EXPIRY_DAYS))
    now = timezone.localtime(timezone.now())
    deadline = timezone.make_aware(
        datetime.combine(now.date() + timedelta(days=days), now.time().replace(tzinfo=None))
    )
    Booking.objects.filter(status="proposed").update(expires_at=deadline, reminder_sent_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_booking_request_expiry"),
    ]

    operations = [
        # Backwards: nothing to undo (the request's deadline is not needed again).
        migrations.RunPython(proposals_get_a_full_period, migrations.RunPython.noop),
    ]
