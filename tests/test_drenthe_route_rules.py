"""The Drenthe route as seed 004 says, over HTTP as the role that meets it: one prerequisite for the DOA VO and the
RET on the traject and on the request, offered from the request; the OPP of phase 2.2 and the ROD list following the
school's type; the dossier APO; the DOA VO's verklarende analyse; jeugdhulp as every kind of outside partner."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal import clock
from portal.applications.models import Application
from portal.consent.models import Consent
from portal.dossier.models import Entry
from portal.meetings.models import Participant
from portal.route.models import PhaseVisit, RouteVersion, Traject
from portal.schools.models import School
from tests import factories
from tests.factories import evaluate_phase, traject_step

DOA, RET, APO = "drenthe.aanvraag_doa_vo", "drenthe.aanvraag_ret", "drenthe.apo_dossier"
WHY = "Daan is sinds drie weken niet op school; het kernteam ziet acuut gevaar thuis en op school."
DOA_FORM = {"question": "Daan zit structureel vast: verzuim, conflicten thuis en op school, geen passend aanbod.",
            "situation": "Onderwijs: 2B, veel verzuim. Zorg: wijkteam betrokken. Leerplicht: melding gedaan.",
            "parents_view": "Ouders willen graag meedenken en zien dat het thuis en op school vastloopt.",
            "student_view": "Daan wil weer naar school maar vindt de klas te druk en te groot.",
            "board_name": "J. de Bestuurder", "board_function": "Voorzitter college van bestuur",
            "board_signed_on": "2026-11-20"}
ACUTE = {"acute": "y", "core_team_on": "2026-11-25", "core_team_who": "Orthopedagoog van het kernteam",
         "core_team_why": WHY}
ANALYSIS = "Verzuim, spanningen thuis en een te grote klas versterken elkaar; Daan trekt zich dan terug."


@pytest.fixture
def world(app):
    w = factories.vo_school()
    w["swv"] = factories.user("swv", w["school"], name="Sanne SWV")
    return w


def _text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


def _new(client, student, key) -> Application:
    response = client.post(f"/leerlingen/{student.id}/aanvragen", data={"type_key": key})
    assert response.status_code == 303, _text(response)
    return Application.get_by_id(int(re.search(r"/aanvragen/(\d+)", response.headers["Location"])[1]))


def _fill(client, application, **values):
    version = Application.get_by_id(application.id).version
    response = client.post(f"/aanvragen/{application.id}", data={**values, "version": version})
    assert response.status_code == 303, _text(response)


def _sign_and_consent(client, world, application, purpose):
    student = world["student"]
    guardian = student.guardians.first()
    assert client.post(f"/aanvragen/{application.id}/ondertekening", data={
        "who": str(guardian.id), "signed_on": "2026-11-20", "agrees": "ja",
        "view": "Wij willen meedenken."}).status_code == 303
    Consent.create(student=student, given_by="guardian", guardian=guardian, purpose=purpose,
                   recipient="Samenwerkingsverband 22.02", given_on=clock.today(), recorded_by=world["zorg"])


def _submit(client, application):
    return client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})


def _desk(client, application, action, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/swv/aanvragen/{application.id}/stap", data=data)


def _traject_in(student, by, *, cycle_one_done=False, current="drenthe.intern_basis", cycle=1):
    """A traject set up directly: optionally a first cycle with 2.1-2.3 evaluated, and the current phase."""
    from flask import current_app

    route = current_app.extensions["registry"].routes[factories.drenthe_route()]
    traject = Traject.create(student=student, route_version=RouteVersion.for_route(route), status="active",
                             current_phase=current, cycle=cycle, started_by=by)
    seq = 0
    if cycle_one_done:
        for key in ("drenthe.intern_basis", "drenthe.intern_aanvullend", "drenthe.extern_extra"):
            PhaseVisit.create(traject=traject, seq=seq, phase_key=key, cycle=1, status="evaluated", note="Goed.")
            seq += 1
    PhaseVisit.create(traject=traject, seq=seq, phase_key=current, cycle=cycle, status="visited")
    return traject


# --- item: one prerequisite for traject and request, offered from the request -----------------------------------

def test_doa_vo_request_needs_the_earlier_phases_of_this_cycle(client, auth, world):
    """R-DRE-2.4-b: the request asks what the traject asks: the earlier phases completed in the current cycle (a
    previous cycle's evaluations do not count), or acute nood after consulting the DOA VO core team."""
    student = world["student"]
    _traject_in(student, world["zorg"], cycle_one_done=True, cycle=2)  # cycle 2 has just begun at 2.1
    auth.login(world["zorg"].email)
    application = _new(client, student, DOA)
    _fill(client, application, **DOA_FORM)
    _sign_and_consent(client, world, application, DOA)
    refused = _submit(client, application)
    assert refused.status_code == 422
    assert "in deze cyclus volledig zijn doorlopen" in _text(refused) and "2.1 Intern overleg" in _text(refused)
    _fill(client, application, **DOA_FORM, **ACUTE)
    assert _submit(client, application).status_code == 303


def test_acute_nood_into_the_doa_vo_asks_the_requests_justification_and_offers_it(client, auth, world):
    """R-DRE-2.4-b: escalating the traject into the DOA VO needs the consultation with the core team as the request
    does (date, who, real text: one character is refused); the SWV user moving the traject finds what the school
    recorded in its request already filled in, and the transition keeps it in the dossier."""
    student = world["student"]
    auth.login(world["zorg"].email)
    assert traject_step(client, student, "start", signal="Daan verzuimt veel.").status_code == 303
    application = _new(client, student, DOA)
    _fill(client, application, **DOA_FORM, **ACUTE)
    _sign_and_consent(client, world, application, DOA)
    assert _submit(client, application).status_code == 303

    auth.login(world["swv"].email)
    assert _desk(client, application, "take_up").status_code == 303
    page = _text(client.get(f"/leerlingen/{student.id}/traject"))
    assert 'value="2026-11-25"' in page and "Orthopedagoog van het kernteam</textarea>" in page
    assert page.count(WHY) >= 2  # the consultation's reason and the acute-nood justification

    one_character = traject_step(client, student, "escalate", target="drenthe.doa_vo", justification=WHY, **{
        "extra-doa_core_team_on": "2026-11-25", "extra-doa_core_team_who": "Orthopedagoog van het kernteam",
        "extra-doa_core_team_why": "x"})
    assert one_character.status_code == 422
    assert "onderbouw de aanvraag met de uitkomst van het overleg met het kernteam" in _text(one_character)
    no_date = traject_step(client, student, "escalate", target="drenthe.doa_vo", justification=WHY, **{
        "extra-doa_core_team_who": "Orthopedagoog", "extra-doa_core_team_why": WHY})
    assert "vul de datum in van het overleg met het kernteam" in _text(no_date)
    moved = traject_step(client, student, "escalate", target="drenthe.doa_vo", justification=WHY, **{
        "extra-doa_core_team_on": "2026-11-25", "extra-doa_core_team_who": "Orthopedagoog van het kernteam",
        "extra-doa_core_team_why": WHY})
    assert moved.status_code == 303, _text(moved)
    assert Traject.get(Traject.student == student.id).current_phase == "drenthe.doa_vo"
    entry = Entry.select().where(Entry.kind == "route_transition").order_by(Entry.id.desc()).first()
    assert "25-11-2026" in entry.body and "Orthopedagoog van het kernteam" in entry.body


def test_acute_nood_into_the_ret_asks_the_chairs_consultation(client, auth, world):
    """R-DRE-3.3-a: acute nood into the RET on the traject needs the consultation with the RET chair as the request
    does (a date and a real justification, not one character), offered from the RET request."""
    student = world["student"]
    auth.login(world["zorg"].email)
    assert traject_step(client, student, "start", signal="Daan verzuimt veel.").status_code == 303
    application = _new(client, student, RET)
    _fill(client, application, question=DOA_FORM["question"], acute="y", chair_on="2026-11-26", chair_why=WHY)
    _sign_and_consent(client, world, application, RET)
    assert _submit(client, application).status_code == 303
    auth.login(world["swv"].email)
    assert _desk(client, application, "take_up").status_code == 303
    page = _text(client.get(f"/leerlingen/{student.id}/traject"))
    assert 'value="2026-11-26"' in page and WHY in page
    refused = traject_step(client, student, "escalate", target="drenthe.ret", justification=WHY,
                           **{"extra-ret_chair_on": "2026-11-26", "extra-ret_chair_why": "x"})
    assert refused.status_code == 422 and "voorzitter van het RET-Drenthe" in _text(refused)
    moved = traject_step(client, student, "escalate", target="drenthe.ret", justification=WHY,
                         **{"extra-ret_chair_on": "2026-11-26", "extra-ret_chair_why": WHY})
    assert moved.status_code == 303, _text(moved)


# --- item: the OPP of phase 2.2 and the ROD list follow the school's type ----------------------------------------

def _in_2_2(client, world):
    student = world["student"]
    factories.enter_phase(student, factories.drenthe_route(), "drenthe.intern_aanvullend",
                          entered=dt.datetime(2026, 10, 1, 9), by=world["zorg"], status="active")
    evaluate_phase(client, student)
    return student


def test_phase_2_2_asks_an_opp_only_with_additional_support(client, auth, world):
    """R-DRE-2.2-b, R-DRE-2.2-d: in regular VO leaving 2.2 asks an OPP only when additional support is given; when
    the ondersteuningsteam records (in real words) that none is needed, the traject moves on without one."""
    auth.login(world["zorg"].email)
    student = _in_2_2(client, world)
    refused = traject_step(client, student, "advance")
    assert refused.status_code == 422 and "ontwikkelingsperspectief (OPP) verplicht" in _text(refused)
    short = traject_step(client, student, "advance", **{"extra-no_additional_support": "x"})
    assert short.status_code == 422
    moved = traject_step(client, student, "advance", **{
        "extra-no_additional_support": "Het ondersteuningsteam ziet dat de basisondersteuning nu volstaat."})
    assert moved.status_code == 303, _text(moved)
    assert Traject.get(Traject.student == student.id).current_phase == "drenthe.extern_extra"


def test_a_vso_school_has_an_opp_for_every_student_without_the_rod(client, auth, world):
    """R-DRE-2.2-b, R-DRE-2.2-d: at a VSO (or PrO) school every student has an OPP, whatever the team finds, and it
    is not registered in the ROD: leaving 2.2 does not ask the registration, and the ROD list stays empty."""
    School.update(school_type="vso").where(School.id == world["school"].id).execute()
    auth.login(world["zorg"].email)
    student = _in_2_2(client, world)
    refused = traject_step(client, student, "advance", **{
        "extra-no_additional_support": "Het ondersteuningsteam ziet dat de basisondersteuning nu volstaat."})
    assert refused.status_code == 422 and "heeft iedere leerling een ontwikkelingsperspectief" in _text(refused)
    factories.agreed_opp(student, world["zorg"])
    Traject.update(current_phase="drenthe.intern_aanvullend").execute()
    from portal.opp.models import Opp

    Opp.update(rod_registered_on=None).execute()  # a VSO school does not register it
    moved = traject_step(client, student, "advance")
    assert moved.status_code == 303, _text(moved)
    rod = _text(client.get("/opp/rod"))
    assert 'id="rod-not-registered"' in rod and student.last_name not in rod


def test_the_rod_list_of_a_regular_school_lists_the_agreed_opp(client, auth, world):
    """R-DRE-2.2-b: a regular VO school registers an agreed OPP in the ROD: the list offers it."""
    opp = factories.agreed_opp(world["student"], world["zorg"])
    from portal.opp.models import Opp

    Opp.update(rod_registered_on=None).where(Opp.id == opp.id).execute()
    auth.login(world["zorg"].email)
    rod = _text(client.get("/opp/rod"))
    assert world["student"].last_name in rod and 'id="rod-not-registered"' not in rod


def test_the_swv_administrator_sets_the_school_type(client, auth, world):
    """R-DRE-2.2-d: the school's type is set by whoever edits schools; a type of another sector is refused beside
    the field, in Dutch."""
    school = world["school"]
    auth.login(factories.user(is_admin=True).email)
    page = _text(client.get(f"/beheer/scholen/{school.id}"))
    assert "Soort school" in page
    assert re.search(r'<option[^>]*selected[^>]*value="regulier_vo"|<option[^>]*value="regulier_vo"[^>]*selected', page)
    wrong = client.post(f"/beheer/scholen/{school.id}", data={"name": school.name, "brin": school.brin,
                                                              "sector": "VO", "school_type": "sbo"})
    assert wrong.status_code in (200, 422) and "hoort niet bij sector VO" in _text(wrong)
    saved = client.post(f"/beheer/scholen/{school.id}", data={"name": school.name, "brin": school.brin,
                                                              "sector": "VO", "school_type": "pro"})
    assert saved.status_code == 303
    assert School.get_by_id(school.id).school_type == "pro"


# --- item: the dossier APO --------------------------------------------------------------------------------------

def test_the_school_starts_a_dossier_apo_and_the_swv_advice_is_filed(client, auth, world):
    """R-DRE-2.3-a: in phase 2.3 the school starts a dossier APO, asking the SWV for expertise and advice (extra
    support, an arrangement or a TLV VSO); the SWV records its advice, which lands in the student's dossier."""
    student = world["student"]
    auth.login(world["zorg"].email)
    assert traject_step(client, student, "start", signal="Daan verzuimt veel.").status_code == 303
    application = _new(client, student, APO)
    refused = _text(_submit(client, application))
    assert "Beschrijf de hulpvraag" in refused and "Kies waarover de school advies vraagt" in refused
    assert "in fase 2.3" in refused
    _traject_phase(student, "drenthe.extern_extra")
    _fill(client, application, question="Welke ondersteuning past bij Daan: een arrangement of een TLV VSO?",
          topic="arrangement", support_so_far="Vaste werkplek en wekelijkse coaching; het verzuim blijft hoog.",
          parents_view="Ouders willen een rustiger plek en steunen de vraag aan het SWV.")
    assert _submit(client, application).status_code == 303
    auth.login(world["swv"].email)
    assert _desk(client, application, "take_up").status_code == 303
    advice = "Het SWV adviseert een arrangement met een ambulant begeleider, twee dagdelen per week."
    assert _desk(client, application, "grant", advice=advice, advice_kind="arrangement").status_code == 303
    filed = Entry.get((Entry.student == student.id) & (Entry.source_type == "application_decision"))
    assert advice in filed.body and "Een arrangement" in filed.body


def _traject_phase(student, phase_key):
    traject = Traject.get(Traject.student == student.id)
    PhaseVisit.create(traject=traject, seq=PhaseVisit.select().where(PhaseVisit.traject == traject).count(),
                      phase_key=phase_key, cycle=traject.cycle, status="visited")
    Traject.update(current_phase=phase_key).where(Traject.id == traject.id).execute()


# --- item: the verklarende analyse ----------------------------------------------------------------------------------

def test_the_doa_vo_records_its_verklarende_analyse_and_the_ret_starts_from_it(client, auth, world):
    """R-DRE-2.4-e, R-DRE-3.3-c: the DOA VO's advice records its verklarende analyse (required); a RET request that
    follows starts from it."""
    student = world["student"]
    auth.login(world["zorg"].email)
    assert traject_step(client, student, "start", signal="Daan verzuimt veel.").status_code == 303
    application = _new(client, student, DOA)
    _fill(client, application, **DOA_FORM, **ACUTE)
    _sign_and_consent(client, world, application, DOA)
    assert _submit(client, application).status_code == 303
    auth.login(world["swv"].email)
    assert _desk(client, application, "take_up").status_code == 303
    evaluation = (clock.today() + dt.timedelta(weeks=8)).isoformat()
    advice = {"advice": "Inzet van een RET-traject: de zorgvraag overstijgt het regionale aanbod.",
              "advised_step": "drenthe.ret", "evaluation_on": evaluation}
    without = _desk(client, application, "grant", **advice)
    assert without.status_code == 422 and "verklarende analyse" in _text(without).lower()
    assert _desk(client, application, "grant", **advice, verklarende_analyse=ANALYSIS).status_code == 303
    assert ANALYSIS in Entry.get((Entry.student == student.id) & (Entry.source_type == "application_decision")).body
    auth.login(world["zorg"].email)
    ret = _new(client, student, RET)
    assert ANALYSIS in _text(client.get(f"/aanvragen/{ret.id}"))


# --- jeugdhulp: every provision under the Jeugdwet, JGZ, leerplicht and police -------------------------------------

def test_police_veilig_thuis_and_jeugdbescherming_join_an_mdo(client, meeting_world):
    """R-ROUTE-10: jeugdhulp means every provision under the Jeugdwet, the JGZ, leerplicht and the police: a police
    officer, Veilig Thuis and a jeugdbescherming professional are invited to an mdo and shown with their kind."""
    factories.login(client, meeting_world["zorg"])
    meeting = factories.plan_meeting(client, meeting_world, **{
        "externals-0-outside_kind": "politie", "externals-0-role": "jeugdagent",
        "externals-1-name": "Vera Veilig", "externals-1-organisation": "Veilig Thuis Drenthe",
        "externals-1-outside_kind": "veilig_thuis", "externals-1-email": "v.veilig@veiligthuis.example.nl",
        "externals-2-name": "Jan Beschermer", "externals-2-organisation": "Jeugdbescherming Noord",
        "externals-2-outside_kind": "jeugdbescherming", "externals-2-email": "j.b@jbn.example.nl"})
    kinds = {p.name: p.outside_kind for p in Participant.select().where(Participant.kind == "external")}
    assert kinds == {"Fatima Yilmaz": "politie", "Vera Veilig": "veilig_thuis", "Jan Beschermer": "jeugdbescherming"}
    page = _text(client.get(f"/overleg/{meeting.id}"))
    for label in ("Politie", "Veilig Thuis", "Jeugdbescherming (gecertificeerde instelling)"):
        assert label in page, label
    unknown = client.post(f"/overleg/{meeting.id}/deelnemers", data={
        "who": "external", "name": "Iemand", "outside_kind": "onbekend", "email": "i@example.nl"})
    assert unknown.status_code == 422
