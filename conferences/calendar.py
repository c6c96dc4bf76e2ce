"""The conferences and their sessions as iCalendar (RFC 5545), built with the icalendar library."""

import datetime

from django.db.models import Prefetch
from icalendar import Calendar, Event

from conferences.models import Conference, Session
from core.dates import DatePrecision

PRODID = "-//Learning Cities Registry//Conferences//EN"


def _conference_event(conference: Conference, site: str) -> Event:
    event = Event()
    event.add("uid", f"conference-{conference.number}@learning-cities-registry")
    event.add("summary", f"{conference.short_name}: {conference.title}")
    # All-day events: DTEND is the day after the last day (RFC 5545, 3.6.1).
    event.add("dtstart", conference.start_date)
    event.add("dtend", (conference.end_date or conference.start_date) + datetime.timedelta(days=1))
    if conference.host_city:
        event.add("location", f"{conference.host_city.name}, {conference.host_city.country.name}")
    event.add("url", f"{site}{conference.get_absolute_url()}")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    return event


def _session_event(session: Session, conference: Conference, site: str) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}@learning-cities-registry")
    event.add("summary", f"{session.title} ({conference.short_name})")
    if session.start_time:
        # Floating local time: the programme gives the hour at the venue, not a time zone.
        event.add("dtstart", datetime.datetime.combine(session.date, session.start_time))
    else:
        event.add("dtstart", session.date)
        event.add("dtend", session.date + datetime.timedelta(days=1))
    if session.description:
        event.add("description", session.description)
    event.add("url", f"{site}{conference.get_absolute_url()}")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    return event


def conference_calendar_ics(*, site: str) -> bytes:
    """Conferences whose days are known (not a year or month only), with their dated sessions; `site` is the
    scheme and host the events' links start with. Three queries whatever the number of conferences."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "International Conferences on Learning Cities")
    sessions = Session.objects.filter(date__isnull=False).order_by("date", "start_time", "pk")
    conferences = (
        Conference.objects.filter(start_date__isnull=False, date_precision=DatePrecision.DAY)
        .select_related("host_city__country")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
        .order_by("number")
    )
    for conference in conferences:
        calendar.add_component(_conference_event(conference, site))
        for session in conference.sessions.all():
            calendar.add_component(_session_event(session, conference, site))
    return calendar.to_ical()
