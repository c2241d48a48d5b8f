"""Reminders derived from data, one per kind, moved through time in-process with time-machine.

Every reminder kind delivered here: the planned evaluation date of a phase (core) and the DOA VO evaluation after
6 to 12 weeks (drenthe, R-DRE-2.4-f).
"""

from __future__ import annotations

import datetime as dt

from portal.notifications import digest, reminders, services
from portal.notifications.models import MAIL_DIGEST, Notification, OutboxMail, ReminderClaim
from portal.route.models import PhaseVisit
from tests import factories
from tests.factories import at, drenthe_route, enter_phase, phase_evaluation


def notes_of(user):
    return list(Notification.select().where(Notification.user == user.id).order_by(Notification.id))


def test_phase_evaluation_a_week_before_and_when_overdue(reminder_world):
    """R-ROUTE-4: the planned evaluation of a phase is reminded to its mentor a week before and once overdue."""
    phase_evaluation(reminder_world)
    with at("2027-01-12"):
        assert reminders.send_due() == 0
    with at("2027-01-13"):
        assert reminders.send_due() == 1
        assert reminders.send_due() == 0  # a second run the same day sends nothing
    with at("2027-01-20"):
        assert reminders.send_due() == 0  # the due day itself is not overdue yet
    with at("2027-01-21"):
        assert reminders.send_due() == 1
    titles = [n.title for n in notes_of(reminder_world["mentor"])]
    assert len(titles) == 2 and titles[0].startswith("Binnenkort (20-01-2027)") and titles[1].startswith("Te laat")
    assert "Sanne de Vries" in titles[0]  # in the portal the mentor sees whom it concerns
    assert notes_of(reminder_world["zorg"]) == []
    mails = list(OutboxMail.select())
    assert [m.recipient for m in mails] == [reminder_world["mentor"].email] * 2
    for mail in mails:  # R-DRE-AVG: no names, no content in mail
        assert "Sanne" not in mail.body + mail.subject and "Vries" not in mail.body
        assert "/leerlingen/" in mail.body


def test_catch_up_sends_only_the_latest_reminder(reminder_world):
    """A scheduler that was down for weeks sends the overdue reminder once, not every missed one."""
    phase_evaluation(reminder_world)
    with at("2027-02-15"):
        assert reminders.send_due() == 1
        assert reminders.send_due() == 0
    assert [n.title[:8] for n in notes_of(reminder_world["mentor"])] == ["Te laat "]


def test_moving_the_date_rearms_the_reminder(reminder_world):
    visit = phase_evaluation(reminder_world)
    with at("2027-01-13"):
        assert reminders.send_due() == 1
        PhaseVisit.update(evaluation_date=dt.date(2027, 1, 27)).where(PhaseVisit.id == visit.id).execute()
        assert reminders.send_due() == 0  # a week before the new date has not come yet
    with at("2027-01-20"):
        assert reminders.send_due() == 1
    assert ReminderClaim.select().count() == 2


def test_nothing_for_finished_items_or_students_who_left(reminder_world):
    """Evaluated phases, stopped trajecten and students who left are never reminded."""
    visit = phase_evaluation(reminder_world)
    other = factories.student(reminder_world["po"], None, first="Lotte", last="Smit", mentor=reminder_world["mentor"])
    stopped = enter_phase(other, "po.route", "po.signaleren", entered=dt.datetime(2026, 12, 1),
                          by=reminder_world["mentor"], evaluation_date=dt.date(2027, 1, 20), status="stopped")
    assert stopped.id
    PhaseVisit.update(status="evaluated").where(PhaseVisit.id == visit.id).execute()
    third = factories.student(reminder_world["po"], None, first="Bo", last="Jansen", mentor=reminder_world["mentor"])
    enter_phase(third, "po.route", "po.signaleren", entered=dt.datetime(2026, 12, 1), by=reminder_world["mentor"],
                evaluation_date=dt.date(2027, 1, 20))
    third.left_on = dt.date(2027, 1, 5)
    third.save()
    with at("2027-01-21"):
        assert reminders.send_due() == 0
    assert Notification.select().count() == 0


def test_falls_back_to_the_care_coordinator(reminder_world):
    """When the mentor is no longer active, the school's zorgcoördinator receives the reminder."""
    phase_evaluation(reminder_world)
    reminder_world["mentor"].active = False
    reminder_world["mentor"].save()
    with at("2027-01-21"):
        assert reminders.send_due() == 1
    assert notes_of(reminder_world["mentor"]) == [] and len(notes_of(reminder_world["zorg"])) == 1


def test_doa_vo_evaluation_after_six_to_twelve_weeks(reminder_world):
    """R-DRE-2.4-f: entering the DOA VO phase arms reminders at 6 weeks, a week before 12 weeks and when overdue;
    they go to the school's zorgcoördinator."""
    enter_phase(reminder_world["vo_student"], drenthe_route(), "drenthe.doa_vo", entered=dt.datetime(2027, 1, 4, 9),
                by=reminder_world["vo_zorg"])
    expected = {"2027-02-14": 0, "2027-02-15": 1, "2027-03-21": 0, "2027-03-22": 1, "2027-03-29": 0,
                "2027-03-30": 1, "2027-04-30": 0}
    for day, count in expected.items():
        with at(day):
            assert reminders.send_due() == count, day
    notes = notes_of(reminder_world["vo_zorg"])
    assert len(notes) == 3 and all("DOA VO" in n.title for n in notes)
    assert notes[0].title.startswith("Binnenkort (29-03-2027)")
    assert notes_of(reminder_world["vo_mentor"]) == []


def test_doa_vo_planned_date_within_the_term_is_reminded_once(reminder_world):
    """R-DRE-2.4-f: with an evaluation planned inside the 6-12 weeks only the planned date is reminded."""
    enter_phase(reminder_world["vo_student"], drenthe_route(), "drenthe.doa_vo", entered=dt.datetime(2027, 1, 4, 9),
                by=reminder_world["vo_zorg"], evaluation_date=dt.date(2027, 3, 1))
    with at("2027-02-22"):
        assert reminders.send_due() == 1
    assert [c.kind for c in ReminderClaim.select()] == ["core.phase_evaluation"]


def test_daily_digest_instead_of_immediate_mail(reminder_world):
    """Users who chose a daily digest get one mail a day for all new notifications, never per notification."""
    services.set_mail_preference(reminder_world["mentor"].id, MAIL_DIGEST)
    phase_evaluation(reminder_world)
    other = factories.student(reminder_world["po"], None, first="Lotte", last="Smit", mentor=reminder_world["mentor"])
    enter_phase(other, "po.route", "po.signaleren", entered=dt.datetime(2026, 12, 1), by=reminder_world["mentor"],
                evaluation_date=dt.date(2027, 1, 21))
    with at("2027-01-14"):
        assert reminders.send_due() == 2
        assert OutboxMail.select().count() == 0
        assert digest.send_digests(dt.date(2027, 1, 14)) == 1
        assert digest.send_digests(dt.date(2027, 1, 14)) == 0
    assert OutboxMail.select().count() == 1


def test_group_teacher_receives_it_when_the_student_has_no_mentor(reminder_world):
    """PO: the teacher of the student's group leads the first phases and receives the reminder."""
    reminder_world["student"].mentor = None
    reminder_world["student"].save()
    phase_evaluation(reminder_world)
    with at("2027-01-21"):
        assert reminders.send_due() == 1
    assert len(notes_of(reminder_world["mentor"])) == 1 and notes_of(reminder_world["zorg"]) == []


def test_outside_participants_get_a_mail_with_their_own_link(reminder_world):
    """Kinds from other modules (meeting actions) may name outside e-mail addresses and their meeting link."""
    kind = reminders.ReminderKind(key="test.action", label="Actie", items=lambda scope: ())
    item = reminders.DueItem(object_id=1, due_date=dt.date(2027, 1, 20), title="Actie uit overleg",
                             link="/overleggen/1", school_id=reminder_world["po"].id, emails=("extern@example.nl",),
                             email_link="/gast/abc123")
    reminders.deliver(kind, item, 1)
    mail = OutboxMail.get()
    assert mail.recipient == "extern@example.nl" and "/gast/abc123" in mail.body
    assert Notification.select().count() == 0  # an outside address replaces the care coordinator fallback
