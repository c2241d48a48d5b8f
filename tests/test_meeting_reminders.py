"""Actions from a meeting report are reminded to their owners exactly once, outside owners by mail."""

from __future__ import annotations

import datetime as dt

import time_machine

from portal.meetings.models import Action
from portal.notifications import reminders
from portal.notifications.models import Notification
from tests.factories import login, plan_meeting, report_data


def test_meeting_actions_are_reminded_once_to_their_owners(client, meeting_world, smtp):
    """R-ROUTE-6: the actions of a final report come back as reminders a week before they are due: the staff
    owner in the portal, the outside owner by a mail without names (pointing to their own meeting link) with the
    chair following it up; a second run sends nothing."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world, days=-1)
    login(client, meeting_world["mentor"])
    assert client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 0)).status_code == 303
    smtp.clear()  # invitations
    due = Action.select().first().due_date

    with time_machine.travel(dt.datetime.combine(due - dt.timedelta(days=7), dt.time(9)), tick=False):
        assert reminders.send_due() == 2
        assert reminders.send_due() == 0
    links = sorted(n.link for n in Notification.select().where(Notification.user == meeting_world["zorg"].id))
    assert links == [f"/overleg/{meeting.id}", f"/overleg/{meeting.id}"]  # own action + the outside owner's
    mails = [m for m in smtp.wait_for(1) if m["To"] == "f.yilmaz@wijkteam.example.nl"]
    assert len(mails) == 1
    body = smtp.body(mails[0])
    assert "persoonlijke link" in body
    assert "Daan" not in body and "Bakker" not in body and "Weekplanner" not in body

    login(client, meeting_world["zorg"])
    tasks = client.get("/mijn-acties").get_data(as_text=True)
    assert "Weekplanner invoeren" in tasks and "Gesprek thuis over rust" in tasks
    login(client, meeting_world["mentor"])
    assert "Weekplanner invoeren" not in client.get("/mijn-acties").get_data(as_text=True)
