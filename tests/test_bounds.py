"""Bounded dates: every date the portal accepts outside meetings lies in a sensible window, with a
Dutch message beside the field; dates already stored outside it no longer break pages or the scheduler."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from portal import bounds, scheduler
from portal.notifications import reminders
from portal.notifications.models import Notification, SchedulerProblem, SchedulerRun
from portal.route.models import PhaseVisit
from portal.students.models import Student
from tests import factories
from tests.conftest import form_errors
from tests.factories import enter_phase

TODAY = dt.datetime(2027, 1, 21, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


@pytest.fixture
def world(app, today):
    """factories.po_school() with a second student in the group, Lotte Smit, and an SWV administrator."""
    po = factories.po_school()
    other = factories.student(po["school"], po["group"], first="Lotte", last="Smit", mentor=po["mentor"])
    return {**po, "other": other, "admin": factories.user(is_admin=True)}


def _visit(student, by, evaluation_date):
    return enter_phase(student, "po.route", "po.signaleren", entered=dt.datetime(2026, 12, 1), by=by,
                       evaluation_date=evaluation_date)


# --- the validators ---------------------------------------------------------------------------------------------

def test_windows_lie_within_the_hard_limits(today):
    """Every window is clipped to the hard limits, so date arithmetic on it cannot overflow."""
    for window in (bounds.PLANNING, bounds.RECORDED, bounds.ENROLMENT, bounds.VALIDITY,
                   bounds.BIRTH, bounds.Window(None, None)):
        low, high = window.limits(today)
        assert bounds.HARD_MIN <= low <= today <= high <= bounds.HARD_MAX
    assert bounds.PLANNING.limits(today) == (dt.date(2026, 1, 21), dt.date(2029, 1, 21))
    with pytest.raises(bounds.OutOfRange, match="ligt buiten het bereik"):
        bounds.add_days(dt.date(9999, 12, 31), 1)
    assert bounds.safe_date(dt.date(1, 1, 1)) is None and bounds.safe_date(today) == today


@pytest.mark.parametrize("value, message", [
    ("2019-05-01", "Deze datum ligt te ver in het verleden: kies een datum vanaf 21-01-2026."),
    ("9999-12-31", "Deze datum ligt te ver in de toekomst: kies een datum tot en met 21-01-2029."),
    ("0001-01-01", "Deze datum ligt te ver in het verleden: kies een datum vanaf 21-01-2026."),
    ("31-02-2027", "Vul een geldige datum in (dag-maand-jaar)."),
])
def test_plan_evaluation_date_is_bounded(client, auth, world, value, message):
    """R-ROUTE-4: an evaluation date years back or far ahead is refused with a Dutch message
    beside the field; the text typed in the plan stays in the form and nothing is saved."""
    visit = _visit(world["student"], world["mentor"], None)
    auth.login(world["zorg"].email)
    response = client.post(f"/leerlingen/{world['student'].id}/traject/fase/{visit.id}",
                           data={"version": visit.version, "goals": "Mijn doelen blijven staan",
                                 "evaluation_date": value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in form_errors(html)
    assert "Mijn doelen blijven staan" in html
    stored = PhaseVisit.get_by_id(visit.id)
    assert stored.evaluation_date is None and stored.goals == "" and stored.version == 1


def test_plan_with_a_date_inside_the_window_and_an_unchanged_old_date_saves(client, auth, world):
    """A date within the window saves; a plan whose stored evaluation date has become older
    than the window can still be saved unchanged (only a new date is checked against the window)."""
    old = dt.date(2025, 6, 1)  # 1.5 years ago: outside the window, stored before the window existed
    visit = _visit(world["student"], world["mentor"], old)
    auth.login(world["zorg"].email)
    url = f"/leerlingen/{world['student'].id}/traject/fase/{visit.id}"
    kept = client.post(url, data={"version": 1, "goals": "Doelen voor lezen", "evaluation_date": "2025-06-01"})
    assert kept.status_code == 303, form_errors(kept.get_data(as_text=True))
    moved = client.post(url, data={"version": 2, "goals": "Doelen voor lezen", "evaluation_date": "2025-06-02"})
    assert moved.status_code == 422
    ok = client.post(url, data={"version": 2, "goals": "Doelen voor lezen", "evaluation_date": "2027-03-01"})
    assert ok.status_code == 303
    assert PhaseVisit.get_by_id(visit.id).evaluation_date == dt.date(2027, 3, 1)


@pytest.mark.parametrize("value, message", [
    ("1990-08-20", "Deze datum ligt te ver in het verleden"),
    ("9999-12-31", "Deze datum ligt te ver in de toekomst"),
    ("2012-08-20", "De inschrijfdatum ligt vóór de geboortedatum."),
])
def test_student_enrolment_date_is_bounded(client, auth, world, value, message):
    """The enrolment date of a student lies within a school career (and after the birth date)."""
    auth.login(world["zorg"].email)
    response = client.post("/leerlingen/nieuw",
                           data=factories.student_form(world["group"], world["mentor"], enrolled_on=value))
    assert response.status_code == 200
    assert any(e.startswith(message) for e in form_errors(response.get_data(as_text=True)))
    assert Student.get_or_none(Student.student_number == "L-100") is None


@pytest.mark.parametrize("field, value, message", [
    ("valid_until", "9999-12-31", "Deze datum ligt te ver in de toekomst"),
    ("given_on", "1990-01-01", "Deze datum ligt te ver in het verleden"),
    ("given_on", "2030-01-01", "De datum mag niet in de toekomst liggen."),
    ("valid_until", "morgen", "Vul een geldige datum in (dag-maand-jaar)."),
])
def test_consent_dates_are_bounded(client, auth, world, field, value, message):
    """The dates of a consent are bounded, with Dutch messages (also for an unreadable date)."""
    from portal.consent.models import Consent
    from portal.students.models import Guardian

    parent = Guardian.get(Guardian.student == world["student"].id)
    auth.login(world["zorg"].email)
    data = {"given_by": f"guardian:{parent.id}", "purpose": "overleg", "recipient": "Wijkteam Assen",
            "given_on": "2026-09-01", "valid_until": "", field: value}
    response = client.post(f"/leerlingen/{world['student'].id}/toestemmingen", data=data)
    assert response.status_code == 422
    assert any(e.startswith(message) for e in form_errors(response.get_data(as_text=True)))
    assert Consent.select().count() == 0


# --- dates already stored ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("absurd", [dt.date(9999, 12, 31), dt.date(1, 1, 1)])
def test_one_absurd_stored_date_does_not_stop_the_reminders(app, world, absurd):
    """An evaluation date stored before the bounds existed (9999-12-31, 0001-01-01) no longer
    raises in every run: the scheduler logs and records that one item and sends the other reminders."""
    bad = _visit(world["student"], world["mentor"], absurd)
    _visit(world["other"], world["mentor"], dt.date(2027, 1, 20))  # overdue since yesterday
    job = next(j for j in scheduler.jobs(app) if j.key == "core.reminders")
    assert scheduler.run_job(app, job) is True
    titles = [n.title for n in Notification.select()]
    assert len(titles) == 1 and "Lotte Smit" in titles[0]
    problem = SchedulerProblem.get()
    assert (problem.job, problem.kind, problem.object_id) == ("core.reminders", "core.phase_evaluation", str(bad.id))
    assert "ligt buiten het bereik dat het portaal aankan" in problem.message
    assert problem.link == f"/leerlingen/{world['student'].id}/traject"
    run = SchedulerRun.get(SchedulerRun.job == "core.reminders")
    assert run.ok and "met een fout" in run.detail
    assert scheduler.run_job(app, job) is True  # the next run records it again, once
    assert SchedulerProblem.get().times == 2
    PhaseVisit.update(evaluation_date=dt.date(2027, 2, 1)).where(PhaseVisit.id == bad.id).execute()
    assert scheduler.run_job(app, job) is True
    assert SchedulerProblem.select().count() == 0  # fixed: gone from the list after the next run


@pytest.mark.parametrize("absurd", [dt.date(9999, 12, 31), dt.date(1, 1, 1)])
def test_pages_render_with_an_absurd_stored_date(client, auth, app, world, absurd):
    """The reminders admin page, the task list, the traject page and the student page render with
    an absurd stored date; the admin page shows the failing item with its Dutch error."""
    bad = _visit(world["student"], world["mentor"], absurd)
    job = next(j for j in scheduler.jobs(app) if j.key == "core.reminders")
    scheduler.run_job(app, job)
    auth.login(world["admin"].email)
    admin = client.get("/beheer/herinneringen")
    assert admin.status_code == 200
    html = admin.get_data(as_text=True)
    assert 'class="scheduler-problem"' in html and "ligt buiten het bereik dat het portaal aankan" in html
    assert f'<a href="/leerlingen/{world["student"].id}/traject">{bad.id}</a>' in html
    assert "Evaluatiedatum van een fase" in html and "Herinneringen versturen" in html  # labels, not keys
    auth.logout()
    auth.login(world["mentor"].email)
    assert client.get("/mijn-acties").status_code == 200
    auth.logout()
    auth.login(world["zorg"].email)
    for url in (f"/leerlingen/{world['student'].id}/traject", f"/leerlingen/{world['student'].id}"):
        assert client.get(url).status_code == 200, url


def test_a_failing_send_is_isolated(app, world, monkeypatch):
    """When sending one reminder raises, that item is recorded and the others still go out."""
    first = _visit(world["student"], world["mentor"], dt.date(2027, 1, 20))
    _visit(world["other"], world["mentor"], dt.date(2027, 1, 20))
    original = reminders.deliver

    def deliver(kind, item, offset):
        if item.object_id == first.id:
            raise RuntimeError("smtp down")
        return original(kind, item, offset)

    monkeypatch.setattr(reminders, "deliver", deliver)
    assert reminders.send_due() == 1
    assert [n.title for n in Notification.select()][0].endswith("Lotte Smit")
    problem = SchedulerProblem.get()
    assert problem.object_id == str(first.id)
    assert problem.message == "Onverwachte fout (RuntimeError). De details staan in het logboek van de planner."


def test_a_kind_whose_listing_breaks_keeps_the_other_kinds_and_earlier_items(app, world, monkeypatch):
    """A reminder kind whose listing raises halfway is recorded; the items it listed before and
    every other kind are still sent."""
    _visit(world["student"], world["mentor"], dt.date(2027, 1, 20))
    kind = reminders.ReminderKind(key="test.broken", label="Kapot", offsets=(1,), items=lambda scope: _broken(world))
    core_kinds = reminders.kinds()
    monkeypatch.setattr(reminders, "kinds", lambda: [kind, *core_kinds])
    assert reminders.send_due() == 2  # the core phase evaluation and the one broken listed first
    problem = SchedulerProblem.get(SchedulerProblem.kind == "test.broken")
    assert problem.object_id == "" and "RuntimeError" in problem.message


def _broken(world):
    yield reminders.DueItem(object_id="a", due_date=dt.date(2027, 1, 10), title="Eerste", link="/mijn-acties",
                            school_id=world["school"].id, user_ids=(world["zorg"].id,))
    raise RuntimeError("broken row")


@pytest.mark.parametrize("year, ok", [("2026-2027", True), ("2022-2023", True), ("1900-1901", False),
                                      ("2099-2100", False)])
def test_group_school_year_is_bounded(client, auth, today, year, ok):
    """The school year of a group lies around the current one, with a Dutch message."""
    from portal.students.models import Group

    school = factories.school()
    auth.login(factories.user("beheerder", school).email)
    response = client.post("/beheer/groepen/nieuw", data={"name": "groep 5", "school_year": year})
    if ok:
        assert response.status_code == 303
    else:
        assert "Kies een schooljaar dat begint tussen 2022 en 2028." in form_errors(response.get_data(as_text=True))
        assert Group.select().count() == 0


@pytest.mark.parametrize("absurd", [dt.date(9999, 12, 31), dt.date(1, 1, 1)])
def test_student_and_consent_pages_render_with_absurd_stored_dates(client, auth, world, absurd):
    """A student, guardian and consent stored with absurd dates (an import from before the
    bounds) still show their pages and their edit form; the form asks for a sensible date before saving."""
    from portal.consent.models import Consent

    student = world["student"]
    Student.update(birth_date=absurd, enrolled_on=absurd).where(Student.id == student.id).execute()
    parent = student.guardians.get()
    Consent.create(student=student, given_by="guardian", guardian=parent, purpose="overleg", recipient="Wijkteam",
                   given_on=absurd, valid_until=absurd, recorded_by=world["zorg"])
    auth.login(world["zorg"].email)
    for url in (f"/leerlingen/{student.id}", f"/leerlingen/{student.id}/bewerken",
                f"/leerlingen/{student.id}/toestemmingen", f"/leerlingen/{student.id}/dossier",
                f"/leerlingen/{student.id}/traject", "/leerlingen/", "/mijn-acties"):
        assert client.get(url).status_code == 200, url
