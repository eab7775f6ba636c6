"""A participant's agenda as an iCalendar file (RFC 5545), one VEVENT per placed meeting."""

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from network.notifications import site_url


def agenda_calendar(event, registration, meetings, *, agenda_path: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Healthtech Network Portal//Matchmaking events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", event.title)
    now = timezone.now()
    for meeting in meetings:
        if meeting.slot is None:
            continue
        other = meeting.other_side(registration.pk).organisation
        item = VEvent()
        item.add("uid", f"event-{event.pk}-meeting-{meeting.pk}@healthtech-portal")
        item.add("dtstamp", now)
        item.add("dtstart", meeting.slot.starts_at)
        item.add("dtend", meeting.slot.ends_at)
        item.add("summary", f"{event.title}: {other.name}")
        place = meeting.table.name if meeting.table else ""
        online = (meeting.table.online_url if meeting.table else "") or event.online_url
        where = online or event.place
        if where:
            place = f"{place}, {where}" if place else where
        item.add("location", place)
        item.add("url", site_url(agenda_path))
        calendar.add_component(item)
    return calendar.to_ical()
