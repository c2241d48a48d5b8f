"""Invitations over real SMTP with an iCalendar part: request, update (same UID, higher SEQUENCE), cancel."""

from __future__ import annotations

from portal.meetings.models import Meeting
from tests.factories import login, plan_meeting
from tests.smtp import calendar_of

STUDENT_WORDS = ("Daan", "Bakker", "Hoe gaat het thuis", "huiswerk")


def assert_minimal(messages):
    """Data minimisation: no student name and no agenda text in any subject, body or .ics."""
    for message in messages:
        texts = [message["Subject"], message.get_body(preferencelist=("plain",)).get_content(),
                 calendar_of(message)[0].get_payload(decode=True).decode()]
        for text in texts:
            for word in STUDENT_WORDS:
                assert word not in text, (word, text)


def test_invitations_update_and_cancel_over_smtp(client, meeting_world, smtp):
    """R-ROUTE-8, R-DRE-AVG: every participant with an address gets an invitation with a text/calendar;
    method=REQUEST part (TZID Europe/Amsterdam, the meeting's UID); a change keeps the UID with a higher SEQUENCE;
    a cancellation is METHOD:CANCEL; no mail or .ics names the student or the agenda."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    invitations = smtp.wait_for(4)  # chair, minute-taker, parent, outside professional (the student has no address)
    assert sorted(m["To"] for m in invitations) == sorted(
        [meeting_world["zorg"].email, meeting_world["mentor"].email, f"ouder{meeting_world['student'].id}@example.nl",
         "f.yilmaz@wijkteam.example.nl"])
    for message in invitations:
        part, cal = calendar_of(message)
        assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
        assert cal["METHOD"] == "REQUEST"
        event = cal.walk("VEVENT")[0]
        assert str(event["UID"]) == meeting.ical_uid and int(event["SEQUENCE"]) == 0
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert event.decoded("DTSTART").replace(tzinfo=None) == meeting.starts_at
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
        assert str(event["SUMMARY"]) == "Oudercontact" and str(event["LOCATION"]) == "Spreekkamer 1"
    staff_mail = next(m for m in invitations if m["To"] == meeting_world["zorg"].email)
    assert smtp.link_in(staff_mail) == f"/overleg/{meeting.id}"
    assert_minimal(invitations)

    smtp.clear()
    day = meeting.starts_at.date().isoformat()
    changed = client.post(f"/overleg/{meeting.id}/wijzigen", data={  # version: the form's base
        "version": "1", "date": day, "start": "15:00", "duration": "60", "location": "Kamer 2.14", "video_url": ""})
    assert changed.status_code == 303
    updates = smtp.wait_for(4)
    assert_minimal(updates)
    for message in updates:
        event = calendar_of(message)[1].walk("VEVENT")[0]
        assert str(event["UID"]) == meeting.ical_uid and int(event["SEQUENCE"]) == 1
        assert str(event["LOCATION"]) == "Kamer 2.14" and event.decoded("DTSTART").hour == 15
        assert message["Subject"].startswith("Gewijzigd")

    refused = client.post(f"/overleg/{meeting.id}/wijzigen", data={
        "version": "2", "date": day, "start": "", "duration": "60", "location": "", "video_url": "niet-een-link"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Vul een begintijd in." in html and "Vul een volledige link in, beginnend met https://." in html

    smtp.clear()
    assert client.post(f"/overleg/{meeting.id}/annuleren",  # confirmed, with a reason
                       data={"reason": "De ouders zijn verhinderd.", "confirm": "y"}).status_code == 303
    cancels = smtp.wait_for(4)
    assert_minimal(cancels)
    for message in cancels:
        part, cal = calendar_of(message)
        assert cal["METHOD"] == "CANCEL" and part.get_param("method") == "CANCEL"
        event = cal.walk("VEVENT")[0]
        assert str(event["UID"]) == meeting.ical_uid and int(event["SEQUENCE"]) == 2
        assert str(event["STATUS"]) == "CANCELLED"
    assert Meeting.get_by_id(meeting.id).status == "cancelled"
    assert "Dit overleg is geannuleerd." in client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
