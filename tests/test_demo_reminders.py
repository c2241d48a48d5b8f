"""The demo data fast-forwarded: the reminders they carry arrive in the portal and by mail, each once."""

from __future__ import annotations

import datetime as dt

import time_machine

from portal import clock, demo
from portal.notifications import reminders
from portal.notifications.models import Notification, ReminderClaim
from portal.students.models import Student


def test_fast_forward_demo_sends_each_reminder_once(app, smtp, monkeypatch):
    """R-ROUTE-4, R-ROUTE-6: a week before the evaluation dates of the demo trajecten and the due dates of the
    actions of the demo meeting, the right people are reminded in the portal and by mail, without names in the
    mail; running the scheduler again sends nothing twice."""
    monkeypatch.setenv(demo.PASSWORD_ENV, "demo-wachtwoord-123")
    assert demo.load(echo=lambda line: None)
    assert reminders.send_due() == 0  # nothing due today

    with time_machine.travel(dt.datetime.combine(clock.today() + dt.timedelta(days=4), dt.time(8)), tick=False):
        sent = reminders.send_due()
        assert sent >= 4  # the evaluation date of the just-started traject at each school, two meeting actions
        assert reminders.send_due() == 0
    assert ReminderClaim.select().where(ReminderClaim.sent_at.is_null()).count() == 0
    reminded = {n.kind for n in Notification.select() if n.kind.startswith("core.")}  # not the demo's own events
    assert reminded == {"core.phase_evaluation", "core.meeting_action"}
    mails = smtp.wait_for(1)
    assert any(m["To"] == "f.yilmaz@wijkteam.demo.nl" for m in mails)  # the outside owner of an action
    names = {s.last_name for s in Student.select()}
    for message in mails:
        body = smtp.body(message)
        assert not any(name in body for name in names)
