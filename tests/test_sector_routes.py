"""The PO and VO routes as the people who walk them (seeds 000-003): who leads each phase, the meetings and forms a
phase offers, and what each step leaves in the dossier. Over HTTP, as the teacher, the IB'er or the coordinator.
VO schools are on the national VO route here (no region plugin)."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import clock
from portal.applications.models import Application
from portal.dossier.models import Entry
from portal.meetings.models import Action, Meeting, Participant, Report
from portal.route.models import PhaseVisit, Traject
from tests import factories
from tests.factories import login, plan_meeting, record_attendance, report_data, traject_step

SIGNAL = "Sanne raakt achter met rekenen en is vaak stil in de klas."


@pytest.fixture
def app_overrides():
    return {"PLUGINS": ["po", "vo"]}


@pytest.fixture
def po(app):
    return factories.po_school()


@pytest.fixture
def vo(app):
    return factories.vo_school()


def _page(client, student) -> str:
    return client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True).replace("&#39;", "'")


def _traject(student) -> Traject:
    return Traject.get(Traject.student == student.id)


def _visit(student) -> PhaseVisit:
    return (PhaseVisit.select().join(Traject).where(Traject.student == student.id)
            .order_by(PhaseVisit.seq.desc()).first())


def _save_plan(client, student, evaluate=True, **fields):
    """The phase form of the current phase, as whoever is logged in."""
    visit = _visit(student)
    data = {"version": visit.version, "worked": "De aanpak in kleine stappen werkte.",
            "not_worked": "Zelfstandig werken lukt nog niet.", **fields}
    if evaluate:
        data["evaluate"] = "1"
    return client.post(f"/leerlingen/{student.id}/traject/fase/{visit.id}", data=data)


def _plan_entry(student, phase_key) -> Entry:
    visit = PhaseVisit.select().join(Traject).where((Traject.student == student.id)
                                                    & (PhaseVisit.phase_key == phase_key)).get()
    return Entry.get((Entry.source_type == "phase_plan") & (Entry.source_id == visit.id))


def _in_phase(world, route_key, phase_key):
    factories.enter_phase(world["student"], route_key, phase_key, entered=dt.datetime(2026, 11, 2),
                          by=world["zorg"])


def first_entry_due(meeting) -> dt.date:
    return Report.get(Report.meeting == meeting.id).next_evaluation_date


def _held_with_report(client, world, type_key, **fields):
    """A meeting of ``type_key`` planned by the coordinator and held yesterday, its report made final by the
    minute-taker (the mentor): the report's dossier entry."""
    login(client, world["zorg"])
    meeting = plan_meeting(client, world, days=-1, type_key=type_key)
    login(client, world["mentor"])
    record_attendance(client, meeting)
    response = client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 0, finalise="1", **fields))
    assert response.status_code == 303, response.get_data(as_text=True)
    return meeting, Entry.get((Entry.source_type == "meeting_report") & (Entry.source_id == meeting.id))


# --- primary education (seed 001) -------------------------------------------------------------------------------

def test_po_teacher_signals_and_adapts_the_approach_in_the_first_phase(client, po):
    """R-PO-1: the leerkracht records the signal, leads the first phase and records the adapted approach and its
    evaluation; the plan lands in the dossier under the teacher's name."""
    student = po["student"]
    login(client, po["mentor"])
    assert traject_step(client, student, "start", signal=SIGNAL).status_code == 303
    assert _traject(student).current_phase == "po.signaleren"
    page = _page(client, student)
    assert "Huidige fase: Begeleiden, observeren en signaleren" in page and "Wie leidt:</strong> Leerkracht" in page
    assert _save_plan(client, student, goals="Sanne start zelfstandig met rekenen.",
                      interventions="Verlengde instructie aan de instructietafel; vaste werkplek vooraan."
                      ).status_code == 303
    entry = _plan_entry(student, "po.signaleren")
    assert entry.author_id == po["mentor"].id
    assert "Interventies en afspraken: Verlengde instructie aan de instructietafel" in entry.body
    assert "Wat werkte: De aanpak in kleine stappen werkte." in entry.body
    assert _visit(student).status == "evaluated"


def test_po_teacher_consults_the_ib_er_and_adapts_after_talking_with_the_parents(client, po):
    """R-PO-2: in the collegiale consultatie the leerkracht plans a consultation with the IB'er and a talk with
    the parents, both meetings of this phase, and records the adapted approach with the parents' view."""
    student = po["student"]
    login(client, po["mentor"])
    traject_step(client, student, "start", signal=SIGNAL)
    _save_plan(client, student)
    assert traject_step(client, student, "advance").status_code == 303
    assert _traject(student).current_phase == "po.consultatie"
    page = _page(client, student)
    for key in ("po.collegiale_consultatie", "po.oudergesprek"):
        assert f"/leerlingen/{student.id}/overleg/nieuw?type={key}" in page
    consultation = plan_meeting(client, po, type_key="po.collegiale_consultatie")
    talk = plan_meeting(client, po, type_key="po.oudergesprek")
    assert consultation.phase_key == talk.phase_key == "po.consultatie"
    staff = {p.user_id for p in Participant.select().where((Participant.meeting == consultation.id)
                                                            & (Participant.kind == "staff"))}
    assert po["zorg"].id in staff  # the IB'er
    assert Participant.select().where((Participant.meeting == talk.id) & (Participant.kind == "guardian")).count()
    assert _save_plan(client, student, parent_view="Ouders zien thuis ook dat Sanne dichtklapt bij sommen.",
                      interventions="Na het oudergesprek: rekenen in kleine stappen met concreet materiaal."
                      ).status_code == 303
    body = _plan_entry(student, "po.consultatie").body
    assert "Visie van ouders: Ouders zien thuis ook" in body and "Na het oudergesprek" in body


def test_po_leerlingbespreking_teacher_and_ib_er_decide_on_support_an_opp_and_an_mdo(client, po):
    """R-PO-3: in the interne leerlingbespreking the leerkracht and the IB'er both lead: the meeting's report
    records the support needs, the advice for the classroom and the decision to draw up an OPP; the IB'er then
    takes the student to the mdo."""
    student = po["student"]
    _in_phase(po, "po.route", "po.leerlingbespreking")
    meeting, entry = _held_with_report(client, po, "po.leerlingbespreking", opp="draw_up",
                                       decisions="Extra rekeninstructie twee keer per week; mdo met het wijkteam.")
    assert meeting.phase_key == "po.leerlingbespreking"
    assert "Extra rekeninstructie" in entry.body and "OPP: OPP opstellen" in entry.body
    login(client, po["mentor"])
    assert _save_plan(client, student, goals="Ondersteuningsbehoefte: structuur en verlengde instructie.",
                      evaluate=False).status_code == 303
    login(client, po["zorg"])
    assert _save_plan(client, student, next_steps="Mdo met ouders en wijkteam.").status_code == 303
    assert traject_step(client, student, "advance").status_code == 303
    assert _traject(student).current_phase == "po.mdo"


def test_po_mdo_brings_parents_and_jeugdhulp_together_on_goals_and_support(client, po):
    """R-PO-4: the mdo is held with the parents present and a jeugdhulp professional; its report records the
    agreements on goals and support at school and by jeugdhulp, each with its owner."""
    _in_phase(po, "po.route", "po.mdo")
    meeting, entry = _held_with_report(client, po, "po.mdo",
                                       decisions="Doel: Sanne rekent mee in de groep; thuis ondersteunt het wijkteam.")
    present = Participant.select().where((Participant.meeting == meeting.id) & Participant.attended)
    kinds = {p.kind for p in present}
    assert {"staff", "guardian", "external"} <= kinds
    owners = {a.description: a.owner.kind for a in Action.select().where(Action.meeting == meeting.id)}
    assert owners == {"Weekplanner invoeren": "staff", "Gesprek thuis over rust": "external"}
    assert "Doel: Sanne rekent mee in de groep" in entry.body and "Gesprek thuis over rust (Fatima Yilmaz" in entry.body


def test_po_arrangeren_offers_the_tlv_for_sbo_or_so(client, po):
    """R-PO-5: in arrangeren the school finds the TLV for SBO or SO among its forms and draws one up; a VO
    student's route offers no PO TLV."""
    student = po["student"]
    _in_phase(po, "po.route", "po.arrangeren")
    login(client, po["zorg"])
    page = _page(client, student)
    assert "Formulieren en aanvragen" in page and "(TLV) SBO/SO" in page.split("Formulieren en aanvragen")[1]
    response = client.post(f"/leerlingen/{student.id}/aanvragen", data={"type_key": "po.tlv_sbo_so"})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert Application.get(Application.student == student.id).type_key == "po.tlv_sbo_so"
    vo_school = factories.vo_school()
    login(client, vo_school["zorg"])
    refused = client.post(f"/leerlingen/{vo_school['student'].id}/aanvragen", data={"type_key": "po.tlv_sbo_so"})
    assert refused.headers["Location"].endswith(f"/leerlingen/{vo_school['student'].id}/aanvragen")  # the list
    assert Application.select().where(Application.student == vo_school["student"].id).count() == 0


def test_po_uitvoeren_evaluates_with_everyone_and_adjusts_in_a_new_round(client, po):
    """R-PO-6: in uitvoeren the school evaluates goals and process with the parents' and the student's views and
    the next steps; the evaluated cycle completes and a new round starts at the first phase."""
    student = po["student"]
    _in_phase(po, "po.route", "po.uitvoeren")
    meeting, _entry = _held_with_report(client, po, "po.evaluatie")
    assert meeting.phase_key == "po.uitvoeren"
    login(client, po["zorg"])
    assert _save_plan(client, student, parent_view="Ouders zien vooruitgang.", student_view="Rekenen gaat beter.",
                      next_steps="Instructie afbouwen; nieuwe ronde als het terugvalt.").status_code == 303
    body = _plan_entry(student, "po.uitvoeren").body
    assert "Vervolgstappen: Instructie afbouwen" in body and "Visie van de leerling: Rekenen gaat beter." in body
    assert traject_step(client, student, "advance").status_code == 303
    assert _traject(student).status == "completed"
    assert traject_step(client, student, "new_cycle").status_code == 303
    assert (_traject(student).current_phase, _traject(student).cycle) == ("po.signaleren", 1)


def test_each_phase_shows_its_jeugdhulp_contributions(app, client, po):
    """R-ROUTE-9: at every phase the traject page lists what jeugdhulp, JGZ and leerplicht can contribute there
    (the seed's list for that phase), and not the list of another phase."""
    student = po["student"]
    route = app.extensions["registry"].routes["po.route"]
    login(client, po["zorg"])
    traject_step(client, student, "start", signal=SIGNAL)
    for index, phase in enumerate(route.phases):
        section = _page(client, student).split("Mogelijke bijdragen van jeugdhulp")[1].split("</ul>")[0]
        assert all(c.replace("'", "&#39;") in section or c in section for c in phase.jeugdhulp_contributions), phase.key
        others = [c for p in route.phases if p is not phase for c in p.jeugdhulp_contributions
                  if c not in phase.jeugdhulp_contributions]
        assert not any(c in section for c in others), phase.key
        if index + 1 < len(route.phases):
            _save_plan(client, student)
            assert traject_step(client, student, "advance").status_code == 303


# --- secondary education (seeds 000, 002, 003) --------------------------------------------------------------------

def test_vo_phases_are_led_by_the_mentor_and_the_coordinator(app, client, vo):
    """R-VO-1..6: the six VO phases in order; the mentor or (vak)docent leads the first two and shares the third
    and sixth with the coordinator; only the zorg- or ondersteuningscoördinator moves a student into the mdo
    and arrangeren, and the refusal says who leads."""
    student = vo["student"]
    route = app.extensions["registry"].routes["vo.route"]
    login(client, vo["mentor"])
    assert traject_step(client, student, "start", signal="Daan haalt lage cijfers en verzuimt.").status_code == 303
    for _ in range(2):
        _save_plan(client, student)
        assert traject_step(client, student, "advance").status_code == 303
    assert _traject(student).current_phase == "vo.leerlingbespreking"
    _save_plan(client, student)
    refused = traject_step(client, student, "advance")
    assert refused.status_code == 422
    assert "wordt geleid door: Zorg- of ondersteuningscoördinator" in refused.get_data(as_text=True)
    login(client, vo["zorg"])
    for _ in range(2):
        assert traject_step(client, student, "advance").status_code == 303
        _save_plan(client, student)
    assert traject_step(client, student, "advance").status_code == 303
    login(client, vo["mentor"])
    assert _save_plan(client, student).status_code == 303
    assert traject_step(client, student, "advance").status_code == 303
    traject = _traject(student)
    visits = PhaseVisit.select().where(PhaseVisit.traject == traject).order_by(PhaseVisit.seq)
    assert [v.phase_key for v in visits] == list(route.keys) and traject.status == "completed"


def test_vo_signals_on_results_and_absence_are_recorded_in_the_first_phase(client, vo):
    """R-VO-8: the mentor's signal about results and absence starts the route and is in the dossier; the mentor's
    talk with the student starts from an agenda on results and absence, and absence is recorded in its own
    dossier section."""
    student = vo["student"]
    login(client, vo["mentor"])
    signal = "Cijfers voor wiskunde en Engels zakken; drie keer ongeoorloofd afwezig in twee weken."
    assert traject_step(client, student, "start", signal=signal).status_code == 303
    assert _traject(student).current_phase == "vo.signaleren"
    start = Entry.get((Entry.student == student.id) & (Entry.kind == "route_transition"))
    assert signal in start.body
    form = client.get(f"/leerlingen/{student.id}/overleg/nieuw?type=vo.mentorgesprek").get_data(as_text=True)
    assert "Signalen: ontwikkeling, resultaten, verzuim" in form
    response = client.post(f"/leerlingen/{student.id}/dossier/nieuw", data={
        "section": "absence_behaviour", "kind": "note", "title": "Verzuim oktober",
        "body": "Drie keer ongeoorloofd afwezig; gemeld bij de coördinator."})
    assert response.status_code == 303
    timeline = client.get(f"/leerlingen/{student.id}/dossier?section=absence_behaviour").get_data(as_text=True)
    assert "Verzuim oktober" in timeline


def test_vo_leerlingbespreking_records_evaluates_and_adjusts_handelingsadviezen(client, vo):
    """R-VO-9, R-ROUTE-5: two leerlingbesprekingen in one phase: the first records handelingsadviezen and when to
    evaluate them, the second evaluates and adjusts them with its own next evaluation, which becomes the phase's
    evaluation date; both reports are in the dossier and the phase evaluation records what worked."""
    student = vo["student"]
    _in_phase(vo, "vo.route", "vo.leerlingbespreking")
    first, first_entry = _held_with_report(client, vo, "vo.leerlingbespreking",
                                           decisions="Handelingsadvies: instructie in kleine stappen, vaste plek.")
    later = (clock.today() + dt.timedelta(days=42)).isoformat()
    second, second_entry = _held_with_report(
        client, vo, "vo.leerlingbespreking", next_evaluation_date=later,
        decisions="Evaluatie: kleine stappen werken; bijgesteld: ook een weekplanning met de mentor.")
    assert first.phase_key == second.phase_key == "vo.leerlingbespreking" and first.id != second.id
    assert "Handelingsadvies: instructie in kleine stappen" in first_entry.body
    assert "bijgesteld: ook een weekplanning" in second_entry.body
    assert first_entry_due(first) != dt.date.fromisoformat(later)
    assert _visit(student).evaluation_date == dt.date.fromisoformat(later)
    assert f"Volgende evaluatie: {dt.date.fromisoformat(later):%d-%m-%Y}" in second_entry.body
    login(client, vo["zorg"])
    assert _save_plan(client, student, worked="Kleine stappen en de weekplanning werken.").status_code == 303
    assert "Wat werkte: Kleine stappen en de weekplanning werken." in _plan_entry(student, "vo.leerlingbespreking").body


def test_vo_mdo_t_in_arrangeren_prepares_a_tlv_vso(client, vo):
    """R-VO-12: in arrangeren the coordinator holds an MDO-T on the admission to the VSO; its decision is in the
    dossier and the TLV VSO is drawn up from there."""
    student = vo["student"]
    _in_phase(vo, "vo.route", "vo.arrangeren")
    login(client, vo["zorg"])
    assert f"/leerlingen/{student.id}/overleg/nieuw?type=vo.mdo_t" in _page(client, student)
    meeting, entry = _held_with_report(client, vo, "vo.mdo_t", decisions="Besluit: TLV VSO aanvragen, categorie laag.")
    assert meeting.phase_key == "vo.arrangeren" and "Besluit: TLV VSO aanvragen" in entry.body
    login(client, vo["zorg"])
    assert client.post(f"/leerlingen/{student.id}/aanvragen", data={"type_key": "vo.tlv_vso"}).status_code == 303
    assert Application.get(Application.student == student.id).type_key == "vo.tlv_vso"


def test_vo_mdo_points_to_the_loket_passend_onderwijs_and_can_invite_it(client, vo):
    """R-VO-13: in the mdo phase the traject page tells the school it can involve the Loket Passend Onderwijs, and
    the coordinator invites someone of the Loket to the mdo as an outside participant."""
    student = vo["student"]
    _in_phase(vo, "vo.route", "vo.mdo")
    login(client, vo["zorg"])
    assert "Loket Passend Onderwijs" in _page(client, student)
    meeting = plan_meeting(client, vo, type_key="vo.mdo", **{
        "externals-0-name": "Anouk Loket", "externals-0-organisation": "Loket Passend Onderwijs",
        "externals-0-role": "consulent"})
    [external] = Participant.select().where((Participant.meeting == meeting.id) & (Participant.kind == "external"))
    assert (external.name, external.organisation, meeting.phase_key) == ("Anouk Loket", "Loket Passend Onderwijs",
                                                                        "vo.mdo")
    assert Meeting.select().count() == 1
