"""A phase's plan and evaluation: real text only, and the evaluation date a meeting agrees reaches the phase-plan
entry in the dossier."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.dossier.models import Entry
from portal.route import engine, services
from portal.route.models import PhaseVisit, Traject
from tests.conftest import form_errors
from tests.factories import login, plan_meeting, record_attendance, report_data

MESSAGE = "Schrijf hier in eigen woorden wat je bedoelt: minstens twee woorden en 10 letters of cijfers."


def _visit(student) -> PhaseVisit:
    return (PhaseVisit.select().join(Traject).where(Traject.student == student.id)
            .order_by(PhaseVisit.seq.desc()).first())


def _post_plan(client, student, **fields):
    visit = _visit(student)
    return client.post(f"/leerlingen/{student.id}/traject/fase/{visit.id}", data={"version": visit.version, **fields})


def _plan_entry(client, student) -> str:
    entry = Entry.get(Entry.source_type == "phase_plan")
    response = client.get(f"/leerlingen/{student.id}/dossier/{entry.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("field", ["goals", "interventions", "worked", "not_worked", "next_steps"])
def test_one_character_is_refused_next_to_the_field_and_the_saved_plan_stays(client, meeting_world, field):
    """R-ROUTE-4: a plan or evaluation of one character ("x") is refused with a Dutch message beside that field;
    what the user typed elsewhere stays in the form, and the plan saved before is kept."""
    student = meeting_world["student"]
    login(client, meeting_world["zorg"])
    saved = {"goals": "Daan maakt zijn huiswerk elke week af.", "interventions": "Weekplanner met de mentor."}
    assert _post_plan(client, student, **saved).status_code == 303
    before = _visit(student)
    refused = _post_plan(client, student, **{**saved, "next_steps": "Bespreken in het ondersteuningsteam.",
                                             field: "x"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert form_errors(html) == [MESSAGE]
    assert f'name="{field}"' in html.split(MESSAGE)[0].rsplit("<label", 1)[1]  # the message sits at its field
    if field != "next_steps":
        assert "Bespreken in het ondersteuningsteam." in html  # the rest of what was typed is kept
    after = _visit(student)
    assert (after.version, after.goals, after.interventions) == (before.version, saved["goals"],
                                                                 saved["interventions"])
    assert "Weekplanner met de mentor." in _plan_entry(client, student)


def test_the_service_refuses_what_the_form_refuses(app, meeting_world):
    """R-ROUTE-4: the rule holds for every caller of the route's service (demo, CLI, plugins), not only the form."""
    from portal import policy

    student = meeting_world["student"]
    visit = _visit(student)
    zorg = meeting_world["zorg"]
    actor = policy.Actor(kind="user", user=zorg, school_id=student.school_id, roles=frozenset({"zorg"}))
    with pytest.raises(engine.TransitionRefused) as refused:
        services.save_plan(student, visit, visit.version, {"goals": "x"}, actor)
    assert [getattr(r, "field", None) for r in refused.value.reasons] == ["goals"]
    assert _visit(student).version == visit.version


def test_a_short_text_stored_before_may_stay_unchanged(client, meeting_world):
    """A text stored before the rule existed does not block saving the plan: only a new text is checked."""
    student = meeting_world["student"]
    visit = _visit(student)
    PhaseVisit.update(goals="x").where(PhaseVisit.id == visit.id).execute()
    login(client, meeting_world["zorg"])
    response = _post_plan(client, student, goals="x", interventions="Weekplanner met de mentor.")
    assert response.status_code == 303
    assert _visit(student).interventions == "Weekplanner met de mentor."


def test_final_report_sets_the_evaluation_date_in_the_phase_plan_entry(client, meeting_world):
    """R-ROUTE-4, R-ROUTE-6: the plan says one evaluation date; a meeting in that phase agrees a new one in its
    final report: the phase gets the new date and the phase-plan entry in the dossier shows it, not the old one."""
    student = meeting_world["student"]
    login(client, meeting_world["zorg"])
    old = dt.date.today() + dt.timedelta(days=40)
    assert _post_plan(client, student, goals="Daan maakt zijn huiswerk elke week af.",
                      evaluation_date=old.isoformat()).status_code == 303
    assert f"Evaluatiedatum: {old:%d-%m-%Y}" in _plan_entry(client, student)

    meeting = plan_meeting(client, meeting_world, days=-1)
    record_attendance(client, meeting)
    new = dt.date.today() + dt.timedelta(days=14)
    final = client.post(f"/overleg/{meeting.id}/verslag",
                        data=report_data(meeting, 0, finalise="1", next_evaluation_date=new.isoformat()))
    assert final.status_code == 303, form_errors(final.get_data(as_text=True))
    assert _visit(student).evaluation_date == new
    page = _plan_entry(client, student)
    assert f"Evaluatiedatum: {new:%d-%m-%Y}" in page and f"{old:%d-%m-%Y}" not in page.split("Evaluatiedatum")[1]
    assert Entry.select().where(Entry.source_type == "phase_plan").count() == 1
