"""Calendars as iCalendar feeds (RFC 5545), read by Outlook, Google and Apple calendars."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from network.notifications import site_url


def booking_event(booking) -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.pk}@healthtech-portal")
    event.add("dtstamp", booking.updated_at or timezone.now())
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end + timedelta(days=1))  # all-day: the day after the last
    summary = _("Test: %(company)s at %(site)s") % {
        "company": booking.organisation.name,
        "site": booking.site.name,
    }
    if booking.status != "accepted":
        summary = f"{summary} ({booking.get_status_display().lower()})"
    event.add("summary", summary)
    event.add("description", booking.what_is_tested)
    event.add("status", "CONFIRMED" if booking.status == "accepted" else "TENTATIVE")
    event.add("url", site_url(booking.get_absolute_url()))
    event.add("transp", "TRANSPARENT")
    return event


def calendar_bytes(name: str, bookings) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Healthtech Network Portal//Test bookings//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("method", "PUBLISH")
    for booking in bookings:
        calendar.add_component(booking_event(booking))
    return calendar.to_ical()
