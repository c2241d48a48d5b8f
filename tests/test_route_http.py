"""The traject page as a coordinator uses it: start, plan and evaluate, move, skip, escalate, stop, vetoes."""

from __future__ import annotations

import re

from portal.audit.models import AuditEvent
from portal.dossier.models import Entry
from portal.route.models import PhaseVisit, Traject, Transition
from tests import factories
from tests.factories import traject_step


def _url(student, suffix=""):
    return f"/leerlingen/{student.id}/traject{suffix}"


def _plan(client, student, evaluate=True, **fields):
    visit = (PhaseVisit.select().join(Traject).where(Traject.student == student.id)
             .order_by(PhaseVisit.seq.desc()).first())
    data = {"version": visit.version, "worked": "De aangepaste instructie werkte goed.",
            "not_worked": "Huiswerkafspraken werkten nog niet.", **fields}
    if evaluate:
        data["evaluate"] = "1"
    return client.post(_url(student, f"/fase/{visit.id}"), data=data)


def _start(client, student):
    return traject_step(client, student, "start", signal="Daan trekt zich terug en haalt zijn huiswerk niet.")


def test_start_and_advance_records_the_dossier(client, auth, vo_world):
    """R-ROUTE-4, R-ROUTE-7: a traject starts with a signal and moves on after its plan is evaluated; the plan, the
    views of parents and student and every step land in the dossier with who, when and why."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    page = client.get(_url(student))
    assert page.status_code == 200
    assert "Ondersteuningsroute SWV 22.02" in page.get_data(as_text=True)  # drenthe answers for VO schools

    assert _start(client, student).status_code == 303
    traject = Traject.get(Traject.student == student.id)
    assert (traject.status, traject.current_phase) == ("active", "drenthe.intern_basis")

    refused = traject_step(client, student, "advance")
    assert refused.status_code == 422
    assert "is nog niet geëvalueerd" in refused.get_data(as_text=True)

    assert _plan(client, student, goals="Huiswerk elke week af.", parent_view="Ouders zien het thuis ook.",
                 student_view="Daan wil hulp bij plannen.", next_steps="Mentorgesprek over planning."
                 ).status_code == 303
    assert traject_step(client, student, "advance").status_code == 303
    traject = Traject.get_by_id(traject.id)
    assert traject.current_phase == "drenthe.intern_aanvullend"

    entries = list(Entry.select().where(Entry.student == student.id).order_by(Entry.id))
    kinds = [e.kind for e in entries]
    assert kinds.count("route_transition") == 3  # start, evaluate, advance
    plan = next(e for e in entries if e.kind == "phase_plan")
    assert "Visie van ouders: Ouders zien het thuis ook." in plan.body
    assert "Visie van de leerling: Daan wil hulp bij plannen." in plan.body
    assert all(e.author_id == vo_world["zorg"].id for e in entries)
    assert AuditEvent.select().where((AuditEvent.action == "route.transition")
                                     & (AuditEvent.student_id == student.id)).count() == 3


def test_skip_needs_a_justification_and_marks_phases_skipped(client, auth, vo_world):
    """R-ROUTE-2, R-ROUTE-3: a skip is recorded with its written justification; skipped phases are marked, not completed."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _start(client, student)
    _plan(client, student)  # the phase is evaluated before the traject skips on
    refused = traject_step(client, student, "skip", target="drenthe.extern_extra", justification="kort")
    assert refused.status_code == 422
    assert "Onderbouw schriftelijk" in refused.get_data(as_text=True)
    assert Traject.get(Traject.student == student.id).current_phase == "drenthe.intern_basis"

    why = "Ouders en school zien al jaren dezelfde zorgen; extern overleg is nodig."
    assert traject_step(client, student, "skip", target="drenthe.extern_extra", justification=why).status_code == 303
    visits = {v.phase_key: v for v in PhaseVisit.select()}
    assert visits["drenthe.intern_aanvullend"].status == "skipped"
    assert visits["drenthe.intern_aanvullend"].note == why
    page = client.get(_url(student)).get_data(as_text=True)
    assert "overgeslagen" in page
    assert re.search(r'class="route-node current" data-phase="drenthe.extern_extra"', page)
    assert Transition.get(Transition.action == "skip").justification == why


def test_doa_vo_guard_shows_every_reason_at_once(client, auth, vo_world):
    """R-DRE-2.4-b: DOA VO is refused without earlier phases completed unless acute nood with a consultation of
    the DOA core team; all vetoes show at once and the only way past is the named alternative."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _start(client, student)
    refused = traject_step(client, student, "skip", target="drenthe.doa_vo", justification="x")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Onderbouw schriftelijk" in body and "Het DOA VO kan pas als de eerdere overlegfasen" in body

    why = "Acute veiligheidszorgen thuis en op school, direct breed overleg nodig."
    refused = traject_step(client, student, "escalate", target="drenthe.doa_vo", justification=why)
    assert "kernteam van het DOA VO" in refused.get_data(as_text=True)
    # the DOA VO is led for the SWV; the care coordinator asks, the SWV user handling the request moves.
    consulted = {"extra-doa_core_team_on": "2026-11-12", "extra-doa_core_team_who": "De orthopedagoog van het kernteam",
                 "extra-doa_core_team_why": "12 november met het kernteam: de veiligheid vraagt om direct breed overleg."}
    refused = traject_step(client, student, "escalate", target="drenthe.doa_vo", justification=why, **consulted)
    assert refused.status_code == 422 and "wordt geleid door: Samenwerkingsverband" in refused.get_data(as_text=True)
    handler, _request = factories.swv_lead(student)
    auth.login(handler.email)
    ok = traject_step(client, student, "escalate", target="drenthe.doa_vo", justification=why, **consulted)
    assert ok.status_code == 303
    assert Traject.get(Traject.student == student.id).current_phase == "drenthe.doa_vo"
    entry = Entry.select().where(Entry.kind == "route_transition").order_by(Entry.id.desc()).first()
    assert "12 november met het kernteam" in entry.body


def test_stop_and_start_again(client, auth, vo_world):
    """R-ROUTE-1, R-ROUTE-2: the route may stop early with a reason; after that the one way on is a fresh traject
    with its own signal, starting at the first phase (not also a 'nieuwe cyclus')."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _start(client, student)
    assert traject_step(client, student, "stop", reason="goal_reached",
                 justification="Daan maakt zijn huiswerk weer zelfstandig af.").status_code == 303
    traject = Traject.get(Traject.student == student.id)
    assert (traject.status, traject.stop_reason) == ("stopped", "goal_reached")
    assert traject_step(client, student, "advance").status_code == 422
    assert traject_step(client, student, "new_cycle").status_code == 422
    assert _start(client, student).status_code == 303
    fresh = Traject.select().where(Traject.student == student.id).order_by(Traject.id.desc()).first()
    assert fresh.id != traject.id
    assert (fresh.status, fresh.cycle, fresh.current_phase) == ("active", 1, "drenthe.intern_basis")


def test_plan_edit_conflict_keeps_both_texts(client, auth, vo_world):
    """R-ROUTE-4: two people editing one phase plan: the second save is refused with both texts shown."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _start(client, student)
    visit = PhaseVisit.get()
    assert client.post(_url(student, f"/fase/{visit.id}"),
                       data={"version": 1, "goals": "Eerste tekst van de IB'er."}).status_code == 303
    stale = client.post(_url(student, f"/fase/{visit.id}"), data={"version": 1, "goals": "Tweede tekst."})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Eerste tekst van de IB&#39;er." in body and "Tweede tekst." in body
    assert PhaseVisit.get_by_id(visit.id).goals == "Eerste tekst van de IB'er."


def test_access_follows_the_policy(client, auth, vo_world, app):
    """R-DRE-AVG: a mentor moves only students of own groups (others 404); a beheerder has no route (403)."""
    auth.login(vo_world["mentor"].email)
    assert client.get(_url(vo_world["student"])).status_code == 200
    assert client.get(_url(vo_world["other"])).status_code == 404
    assert traject_step(client, vo_world["other"], "start", signal="iets").status_code == 404
    auth.logout()
    beheerder = factories.user("beheerder", vo_world["school"])
    auth.login(beheerder.email)
    assert client.get(_url(vo_world["student"])).status_code == 403
    assert _start(client, vo_world["student"]).status_code == 403
    refused = client.post(_url(vo_world["student"], "/overgang"), data={"action": "start"}, csrf=False)
    assert refused.status_code in (400, 403)


def test_public_route_page_draws_every_route(client, app):
    """The public page shows the diagram of each enabled route without logging in."""
    page = client.get("/ondersteuningsroute")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert body.count("<svg") == len(app.extensions["registry"].routes)
    assert "Collegiale consultatie" in body and "DOA VO" in body
    assert "Wat jeugdhulp kan bijdragen" in body
    one = client.get("/ondersteuningsroute?route=po.route").get_data(as_text=True)
    assert one.count("<svg") == 1


def test_school_adapts_labels_and_meeting_types(client, auth, vo_world):
    """R-DRE-1: a school names its own steps and picks its meeting types within the SWV's route; the dossier
    sections and the phases stay the same."""
    auth.login(vo_world["zorg"].email)
    form = {"label-drenthe.intern_basis": "Mentoraat en eerste zorg",
            "meetings-drenthe.intern_basis": ["drenthe.mentorgesprek"]}
    assert client.post("/school/ondersteuningsroute", data=form).status_code == 303
    page = client.get(_url(vo_world["student"])).get_data(as_text=True)
    assert "Mentoraat en eerste zorg" in page
    _start(client, vo_world["student"])
    page = client.get(_url(vo_world["student"])).get_data(as_text=True)
    assert "Mentor- of coachgesprek met de leerling" in page
    assert "Bespreking in het docententeam of kernteam" not in page
    other_school = factories.school("Ander College", sector="VO")
    other = factories.user("zorg", other_school)
    auth.logout()
    auth.login(other.email)
    assert "Mentoraat en eerste zorg" not in client.get("/school/ondersteuningsroute").get_data(as_text=True)
    auth.logout()
    auth.login(vo_world["mentor"].email)
    assert client.get("/school/ondersteuningsroute").status_code == 403


def test_traject_keeps_its_route_when_plugins_change(vo_world, client, auth, database_url, tmp_path, backend):
    """R-DRE-2: a traject keeps the definition it started under; disabling the region plugin does not break it."""
    from tests.conftest import make_app

    auth.login(vo_world["zorg"].email)
    _start(client, vo_world["student"])
    _plan(client, vo_world["student"])
    other_app = make_app(database_url, tmp_path / "second", PLUGINS=["po", "vo"])
    other = factories.logged_in(other_app, vo_world["zorg"])
    page = other.get(_url(vo_world["student"]))
    assert page.status_code == 200
    assert "Ondersteuningsroute SWV 22.02" in page.get_data(as_text=True)
    assert other.post(_url(vo_world["student"], "/overgang"), data={"action": "advance"}).status_code == 303
    assert Traject.get(Traject.student == vo_world["student"].id).current_phase == "drenthe.intern_aanvullend"
    assert other_app.extensions["registry"].routes.keys() == {"po.route", "vo.route"}


def test_student_page_shows_the_diagram_with_the_current_phase(client, auth, vo_world):
    """R-ROUTE-3: the student's page draws the route with the current phase highlighted and skipped ones marked."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _start(client, student)
    _plan(client, student)
    traject_step(client, student, "skip", target="drenthe.extern_extra",
          justification="Ouders en school zien al jaren dezelfde zorgen; extern overleg is nodig.")
    page = client.get(f"/leerlingen/{student.id}").get_data(as_text=True)
    assert 'class="route-node current" data-phase="drenthe.extern_extra"' in page
    assert 'class="route-node skipped" data-phase="drenthe.intern_aanvullend"' in page
    assert f'href="/leerlingen/{student.id}/traject"' in page


def test_start_through_an_entry_point(client, auth, vo_world):
    """R-DRE-2.4-h: a student without a school enters the drenthe route through "WEL in Ontwikkeling" at the DOA VO,
    registered by the SWV: a school's care coordinator cannot start there, the SWV's WEL file keeper can."""
    auth.login(vo_world["zorg"].email)
    page = client.get(_url(vo_world["other"])).get_data(as_text=True)
    assert "Aanmelding via WEL in Ontwikkeling" in page
    refused = traject_step(client, vo_world["other"], "start", signal="Aangemeld door de school.",
                           entry="drenthe.wel_in_ontwikkeling")
    assert refused.status_code == 422 and "wordt geleid door" in refused.get_data(as_text=True)
    wel = factories.wel_school()
    auth.login(wel["keeper"].email)
    assert traject_step(client, wel["student"], "start", signal="Vrijgesteld, wel leerbaar; aangemeld door het SWV.",
                 entry="drenthe.wel_in_ontwikkeling").status_code == 303
    traject = Traject.get(Traject.student == wel["student"].id)
    assert (traject.current_phase, traject.entry_point) == ("drenthe.doa_vo", "drenthe.wel_in_ontwikkeling")


def test_traject_page_in_english(client, auth, vo_world):
    """The route's own labels follow the chosen language (Flask-Babel, English available)."""
    auth.login(vo_world["zorg"].email)
    _start(client, vo_world["student"])
    client.post("/taal", data={"lang": "en", "next": _url(vo_world["student"])})
    page = client.get(_url(vo_world["student"])).get_data(as_text=True)
    assert "in progress" in page and "Start the support plan" in page


def test_a_stopped_traject_restarts_under_the_current_route(client, auth, vo_world):
    """R-DRE-2: after a traject stopped, starting again makes a new traject on the route as defined now."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    _start(client, student)
    traject_step(client, student, "stop", reason="no_longer_needed",
          justification="De zorgen zijn verdwenen na het gesprek met ouders en mentor.")
    assert _start(client, student).status_code == 303
    trajecten = list(Traject.select().where(Traject.student == student.id).order_by(Traject.id))
    assert [t.status for t in trajecten] == ["stopped", "active"]
