"""The school's own phases of the Drenthe route (seed 004 §2.1-2.3) as the mentor and the coordinator walk them
over HTTP: who leads, the meetings each phase holds, and what each phase leaves in the dossier."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.dossier.models import Entry
from portal.meetings.models import Participant
from portal.route.models import PhaseVisit, Traject
from tests import factories
from tests.factories import login, plan_meeting, record_attendance, report_data, traject_step

SIGNAL = "Daan verzuimt vaker en zijn cijfers zakken."
EXTERNAL = ("externals-{n}-name", "externals-{n}-organisation", "externals-{n}-role", "externals-{n}-email")


@pytest.fixture
def world(app):
    """factories.vo_school(): a VO school on the Drenthe route, Daan Bakker in the mentor's group 2B."""
    return factories.vo_school()


def _page(client, student) -> str:
    return client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True).replace("&#39;", "'")


def _visit(student) -> PhaseVisit:
    return (PhaseVisit.select().join(Traject).where(Traject.student == student.id)
            .order_by(PhaseVisit.seq.desc()).first())


def _save_plan(client, student, **fields):
    """Save and evaluate the current phase's plan, as whoever is logged in."""
    visit = _visit(student)
    data = {"version": visit.version, "worked": "Het wekelijkse mentorgesprek werkte.",
            "not_worked": "Het verzuim op maandag bleef.", "evaluate": "1", **fields}
    return client.post(f"/leerlingen/{student.id}/traject/fase/{visit.id}", data=data)


def _plan_entry(student, phase_key) -> Entry:
    visit = PhaseVisit.select().join(Traject).where((Traject.student == student.id)
                                                    & (PhaseVisit.phase_key == phase_key)).get()
    return Entry.get((Entry.source_type == "phase_plan") & (Entry.source_id == visit.id))


def _externals(*people) -> dict:
    """Form fields for outside participants given as (name, organisation, role)."""
    fields = {}
    for n, (name, organisation, role) in enumerate(people):
        values = (name, organisation, role, f"{name.split()[0].lower()}@example.nl")
        fields.update({key.format(n=n): value for key, value in zip(EXTERNAL, values)})
    return fields


def _in_2_3(world):
    factories.enter_phase(world["student"], factories.drenthe_route(), "drenthe.extern_extra",
                          entered=dt.datetime(2026, 11, 2), by=world["zorg"])


def _report(client, world, meeting, **fields) -> Entry:
    """The minute-taker (the mentor) records attendance and makes the report final: its dossier entry."""
    login(client, world["mentor"])
    record_attendance(client, meeting)
    response = client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 0, finalise="1", **fields))
    assert response.status_code == 303, response.get_data(as_text=True)
    return Entry.get((Entry.source_type == "meeting_report") & (Entry.source_id == meeting.id))


def test_basic_support_is_led_by_the_mentor_with_student_parents_and_team(client, world):
    """R-DRE-2.1-a: in 2.1 the mentor leads: talks with the student, has contact with the parents and brings the
    student up in the teachers' team, each a meeting of this phase; moving on to the ondersteuningsteam (2.2) is
    the coordinator's step."""
    student = world["student"]
    login(client, world["mentor"])
    assert traject_step(client, student, "start", signal=SIGNAL).status_code == 303
    page = _page(client, student)
    for key in ("drenthe.mentorgesprek", "drenthe.oudercontact", "drenthe.teambespreking"):
        assert f"/leerlingen/{student.id}/overleg/nieuw?type={key}" in page
        meeting = plan_meeting(client, world, type_key=key)
        assert (meeting.phase_key, meeting.chair_id) == ("drenthe.intern_basis", world["zorg"].id)
    assert _save_plan(client, student).status_code == 303
    refused = traject_step(client, student, "advance")
    assert refused.status_code == 422 and "wordt geleid door" in refused.get_data(as_text=True)
    login(client, world["zorg"])
    assert traject_step(client, student, "advance").status_code == 303
    assert Traject.get(Traject.student == student.id).current_phase == "drenthe.intern_aanvullend"


def test_basic_support_leaves_the_support_goals_evaluation_and_absence_in_the_dossier(client, world):
    """R-DRE-2.1-b: the dossier of 2.1 holds the support given, the goals worked on, what works and what does
    not (the phase plan, by the mentor), and the absence record in its own section."""
    student = world["student"]
    login(client, world["mentor"])
    traject_step(client, student, "start", signal=SIGNAL)
    assert _save_plan(client, student, goals="Daan is elke maandag op tijd op school.",
                      interventions="Wekelijks mentorgesprek; afspraak met ouders over het opstaan.").status_code == 303
    entry = _plan_entry(student, "drenthe.intern_basis")
    for text in ("Doelen: Daan is elke maandag op tijd", "Interventies en afspraken: Wekelijks mentorgesprek",
                 "Wat werkte: Het wekelijkse mentorgesprek werkte.", "Wat werkte niet: Het verzuim op maandag bleef."):
        assert text in entry.body, text
    assert entry.author_id == world["mentor"].id
    response = client.post(f"/leerlingen/{student.id}/dossier/nieuw", data={
        "section": "absence_behaviour", "kind": "note", "title": "Verzuimoverzicht november",
        "body": "Vier keer te laat, twee uur ongeoorloofd afwezig."})
    assert response.status_code == 303
    assert Entry.get(Entry.title == "Verzuimoverzicht november").section == "absence_behaviour"


def test_the_ondersteuningsteam_proposes_additional_support_in_2_2(client, world):
    """R-DRE-2.2-a, R-DRE-2.2-c: in 2.2 the coordinator convenes the school's ondersteuningsteam with the
    orthopedagoog; the team's report records the additional support it proposes (extra time in tests, advice to the
    parents to seek a diagnosis) and the OPP, and lands in the dossier."""
    student = world["student"]
    login(client, world["zorg"])
    traject_step(client, student, "start", signal=SIGNAL)
    _save_plan(client, student)
    assert traject_step(client, student, "advance").status_code == 303
    assert f"/leerlingen/{student.id}/overleg/nieuw?type=drenthe.ondersteuningsteam" in _page(client, student)
    meeting = plan_meeting(client, world, days=-1, type_key="drenthe.ondersteuningsteam",
                           **_externals(("Ilse Ortho", "Het Drents College", "orthopedagoog")))
    assert meeting.phase_key == "drenthe.intern_aanvullend"
    entry = _report(client, world, meeting, opp="draw_up", decisions="Aanvullende ondersteuning: extra tijd bij "
                    "toetsen; advies aan ouders: onderzoek naar dyslexie laten doen.")
    assert "extra tijd bij toetsen" in entry.body and "OPP: OPP opstellen" in entry.body
    assert "Ilse Ortho" in entry.body


def test_casusoverleg_with_outside_partners_in_2_3(client, world):
    """R-DRE-2.3-b: in 2.3 the coordinator holds a casusoverleg with the jeugdarts and the leerplichtambtenaar;
    the OTV is one of the forms of the phase; the agreed trajectory is in the report in the dossier."""
    student = world["student"]
    _in_2_3(world)
    login(client, world["zorg"])
    page = _page(client, student)
    assert f"/leerlingen/{student.id}/overleg/nieuw?type=drenthe.casusoverleg" in page
    assert "(OTV)" in page.split("Formulieren en aanvragen")[1].split("</ul>")[0]
    meeting = plan_meeting(client, world, days=-1, type_key="drenthe.casusoverleg", **_externals(
        ("Karin Arts", "GGD Drenthe", "jeugdarts"), ("Peter Plicht", "Gemeente Emmen", "leerplichtambtenaar")))
    externals = {p.role for p in Participant.select().where((Participant.meeting == meeting.id)
                                                            & (Participant.kind == "external"))}
    assert externals == {"jeugdarts", "leerplichtambtenaar"} and meeting.phase_key == "drenthe.extern_extra"
    entry = _report(client, world, meeting, decisions="Traject: leerplichttraject met maatwerk; jeugdhulp via het "
                    "sociaal team.")
    assert "leerplichttraject met maatwerk" in entry.body and "Peter Plicht" in entry.body


def test_mdo_with_all_partners_for_complex_problems_in_2_3(client, world):
    """R-DRE-2.3-c: for complex or multiple problems the coordinator holds an MDO in 2.3 with the parents, the
    GGD and Veilig Thuis; everyone's presence and the report are recorded."""
    student = world["student"]
    _in_2_3(world)
    login(client, world["zorg"])
    assert f"/leerlingen/{student.id}/overleg/nieuw?type=vo.mdo" in _page(client, student)
    meeting = plan_meeting(client, world, days=-1, type_key="vo.mdo", **_externals(
        ("Karin Arts", "GGD Drenthe", "jeugdarts"), ("Vera Thuis", "Veilig Thuis Drenthe", "aandachtsfunctionaris")))
    assert meeting.phase_key == "drenthe.extern_extra"
    entry = _report(client, world, meeting, decisions="Veilig Thuis blijft betrokken; de GGD volgt de gezondheid.")
    present = {p.organisation for p in Participant.select().where((Participant.meeting == meeting.id)
                                                                  & Participant.attended)}
    assert {"GGD Drenthe", "Veilig Thuis Drenthe"} <= present
    assert "Veilig Thuis blijft betrokken" in entry.body


def test_the_integral_plan_of_2_3_is_agreed_evaluated_and_points_onward(client, world):
    """R-DRE-2.3-d: the dossier of 2.3 holds the integral plan with the views of the parents and the student
    who agreed to it, its evaluation, and the direction after the plan."""
    student = world["student"]
    _in_2_3(world)
    login(client, world["zorg"])
    assert _save_plan(client, student, goals="Integraal plan: school, wijkteam en leerplicht werken aan terugkeer.",
                      parent_view="Ouders stemmen in met het plan.", student_view="Daan doet mee.",
                      next_steps="Richting: aanvraag DOA VO als de terugkeer niet lukt.").status_code == 303
    body = _plan_entry(student, "drenthe.extern_extra").body
    for text in ("Doelen: Integraal plan", "Visie van ouders: Ouders stemmen in", "Visie van de leerling: Daan",
                 "Wat werkte niet: Het verzuim", "Vervolgstappen: Richting: aanvraag DOA VO"):
        assert text in body, text
    assert _visit(student).status == "evaluated"


def test_a_tlv_vso_goes_to_the_swv_once_regular_vo_has_used_its_options(client, world):
    """R-DRE-3.1-a: in the follow-up (3.1) the school asks the SWV for a TLV VSO; it is not submitted without what
    the school has already done, why regular VO can no longer provide the support, and the OPP; complete and
    signed, it lands in the SWV's queue."""
    from portal.applications.models import Application

    student = world["student"]
    factories.enter_phase(student, factories.drenthe_route(), "drenthe.vervolg", entered=dt.datetime(2026, 11, 2),
                          by=world["zorg"])
    login(client, world["zorg"])
    assert "(TLV) VSO" in _page(client, student).split("Formulieren en aanvragen")[1].split("</ul>")[0]
    response = client.post(f"/leerlingen/{student.id}/aanvragen", data={"type_key": "vo.tlv_vso"})
    assert response.status_code == 303, response.get_data(as_text=True)
    application = Application.get(Application.student == student.id)
    needs = "Daan heeft een kleine groep, een vaste begeleider en een aangepast rooster nodig."
    client.post(f"/aanvragen/{application.id}", data={"support_needs": needs, "version": application.version})
    refused = client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    for reason in ("Beschrijf wat de school al heeft gedaan.", "Beschrijf waarom de school dit niet (meer) kan bieden.",
                   "Deel eerst uit het dossier: het ontwikkelingsperspectiefplan (OPP)."):
        assert reason in text, reason
    opp = Entry.create(student=student, section="support", kind="note", title="OPP van Daan",
                       body="Uitstroomperspectief: vso.", author=world["zorg"])
    application = Application.get_by_id(application.id)
    assert client.post(f"/aanvragen/{application.id}", data={
        "support_needs": needs, "version": application.version,
        "done_so_far": "Twee jaar extra begeleiding, een time-outplek en inzet van het wijkteam; te weinig effect.",
        "why_not_regular": "De groepen zijn te groot en de begeleiding die Daan nodig heeft, overstijgt het VO.",
        "parents_involvement": "Ouders en Daan hebben meegedacht en steunen de aanvraag."}).status_code == 303
    assert client.post(f"/aanvragen/{application.id}/delen",
                       data={"items": [f"entry:{opp.id}"], "need": "opp"}).status_code == 303
    guardian = student.guardians.first()
    assert client.post(f"/aanvragen/{application.id}/ondertekening", data={
        "who": str(guardian.id), "signed_on": "2026-11-20", "agrees": "ja",
        "view": "Wij steunen de aanvraag."}).status_code == 303
    submitted = client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})
    assert submitted.status_code == 303, submitted.get_data(as_text=True)
    login(client, factories.user("swv", world["school"], name="Sanne SWV"))
    assert f"/swv/aanvragen/{application.id}" in client.get("/swv/aanvragen").get_data(as_text=True)


def test_schools_arrange_their_steps_but_file_the_same_dossier(client, world):
    """R-DRE-1: one school renames 2.1 and keeps only the mentor's talk, another keeps the SWV's route; each
    school's traject page follows its own choice, and both file the phase's plan as the same dossier addition
    (section, kind, fields) and offer the same dossier sections."""
    other = factories.vo_school()
    login(client, world["zorg"])
    assert client.post("/school/ondersteuningsroute", data={
        "label-drenthe.intern_basis": "Mentoraat en eerste zorg",
        "meetings-drenthe.intern_basis": ["drenthe.mentorgesprek"]}).status_code == 303
    plans = []
    for w, shown, hidden in ((world, "Mentoraat en eerste zorg", "drenthe.teambespreking"),
                             (other, "drenthe.teambespreking", "Mentoraat en eerste zorg")):
        login(client, w["zorg"])
        traject_step(client, w["student"], "start", signal=SIGNAL)
        page = _page(client, w["student"])
        assert shown in page and hidden not in page
        assert _save_plan(client, w["student"], goals="Op tijd op school.").status_code == 303
        plans.append(_plan_entry(w["student"], "drenthe.intern_basis"))
        form = client.get(f"/leerlingen/{w['student'].id}/dossier/nieuw").get_data(as_text=True)
        plans.append(sorted(set(re.findall(r'<option value="([a-z_]+)"', form))))
    mine, my_sections, theirs, their_sections = plans
    assert (mine.section, mine.kind) == (theirs.section, theirs.kind) == ("support", "phase_plan")
    assert mine.body == theirs.body  # the same fields, in the same words
    assert my_sections == their_sections and "absence_behaviour" in my_sections
