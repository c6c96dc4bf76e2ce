import datetime

from icalendar import Calendar

from conferences.calendar import conference_calendar_ics
from tests.conferences.factories import ConferenceFactory, SessionFactory


def test_the_feed_has_each_dated_conference_and_its_sessions(db):
    conference = ConferenceFactory(
        short_name="ICLC 6", start_date=datetime.date(2024, 12, 3), end_date=datetime.date(2024, 12, 5)
    )
    SessionFactory(conference=conference, title="Study visit to Jubail", date=datetime.date(2024, 12, 5))
    SessionFactory(
        conference=conference, title="Opening", date=datetime.date(2024, 12, 3), start_time=datetime.time(9, 30)
    )
    ConferenceFactory(short_name="ICLC 7", start_date=None, end_date=None)
    calendar = Calendar.from_ical(conference_calendar_ics(site="https://example.org"))
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"ICLC 6: {conference.title}", "Study visit to Jubail (ICLC 6)", "Opening (ICLC 6)"}
    main = events[f"ICLC 6: {conference.title}"]
    assert main.decoded("dtstart") == datetime.date(2024, 12, 3)
    assert main.decoded("dtend") == datetime.date(2024, 12, 6)  # exclusive end of an all-day event
    assert str(main["url"]) == f"https://example.org{conference.get_absolute_url()}"
    assert events["Opening (ICLC 6)"].decoded("dtstart") == datetime.datetime(2024, 12, 3, 9, 30)


def test_the_feed_is_served_as_text_calendar_and_linked(client, db):
    ConferenceFactory(start_date=datetime.date(2024, 12, 3), end_date=datetime.date(2024, 12, 5))
    response = client.get("/en/conferences/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert response.content.startswith(b"BEGIN:VCALENDAR")
    assert b'href="/en/conferences/calendar.ics"' in client.get("/en/conferences/").content
