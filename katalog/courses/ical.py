"""iCalendar events of course sessions: the feeds' calendars and the enrolment email's file."""

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _


def venue_label(session):
    if session.online:
        return _("Online")
    return ", ".join(
        part
        for part in (session.venue_name, session.venue_address, session.municipality.name)
        if part
    )


def calendar(sessions, host, name):
    """An iCalendar (RFC 5545) with one event per session; `host` makes the events' UIDs."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Kompetanseportalen//katalog//NO")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", f"{session.translation_key}@{host.split(':')[0]}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.start)
        event.add("dtend", session.end)
        event.add("summary", session.course.title)
        event.add("location", venue_label(session))
        event.add("url", session.course.full_url)
        if session.status == "cancelled":
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal.to_ical()
