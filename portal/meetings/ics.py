"""iCalendar invitations (RFC 5545/5546) for meetings: only the type, time, place and a link.

The student's name and the agenda never go into a calendar: calendars are synced to phones and shared.
"""

from __future__ import annotations

import datetime as dt
import icalendar

from portal import clock, inputs

TZID = clock.TZ_NAME
TZ = clock.TZ
PRODID = "-//Ondersteuningsportaal//Overleg//NL"


def build(meeting, *, method: str, summary: str, link: str, organizer: str, attendee: str | None = None) -> bytes:
    """One VEVENT for the meeting; ``method`` is REQUEST (new or changed) or CANCEL."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    start = meeting.starts_at.replace(tzinfo=TZ)
    event = icalendar.Event()
    event.add("uid", meeting.ical_uid)
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", clock.utc_now().replace(tzinfo=dt.UTC))
    event.add("dtstart", start)
    try:
        end = start + dt.timedelta(minutes=meeting.duration_minutes)
    except OverflowError:  # a stored absurd date (9999-12-31 23:30) still gives a calendar, never an error
        end = start
    event.add("dtend", end)
    event.add("summary", inputs.neutral(summary))
    place = meeting.location or meeting.video_url
    if place:
        event.add("location", inputs.neutral(place))  # no bidi override turns the calendar's line around
    event.add("description", link if not meeting.video_url else f"{link}\n{meeting.video_url}")
    event.add("url", link)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", f"mailto:{organizer}")
    if attendee:
        event.add("attendee", f"mailto:{attendee}", parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"})
    cal.add_component(vtimezone())
    cal.add_component(event)
    return cal.to_ical()


def vtimezone() -> icalendar.Timezone:
    """Europe/Amsterdam as rules (CET/CEST since 1996), the compact form calendar clients expect."""
    tz = icalendar.Timezone()
    tz.add("tzid", TZID)
    for kind, name, start, month, offsets in (
            (icalendar.TimezoneDaylight, "CEST", dt.datetime(1981, 3, 29, 2), 3, ("+0100", "+0200")),
            (icalendar.TimezoneStandard, "CET", dt.datetime(1996, 10, 27, 3), 10, ("+0200", "+0100"))):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part["tzoffsetfrom"] = icalendar.vUTCOffset(dt.timedelta(hours=int(offsets[0][:3])))
        part["tzoffsetto"] = icalendar.vUTCOffset(dt.timedelta(hours=int(offsets[1][:3])))
        tz.add_component(part)
    return tz


def mail_part(payload: bytes, method: str) -> tuple:
    """An attachment for portal.mail.send: text/calendar with its method, shown inline by mail clients."""
    return ("text", "calendar", payload,
            {"params": {"method": method, "charset": "utf-8"}, "filename": "overleg.ics", "disposition": "inline"})
