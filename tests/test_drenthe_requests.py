"""The Drenthe requests over HTTP (seed 004 §2.4 and §3.3): the DOA VO and RET-Drenthe requests as
application types, the binding advice on the traject, the lead roles of a phase and the SWV user who leads it."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import clock
from portal.applications import letters
from portal.applications.models import Application, SharedItem
from portal.route.models import PhaseVisit, Traject
from tests.factories import evaluate_phase, traject_step

from tests.factories import (ANALYSIS, BOARD, DOA, DOA_FORM, RET, REQUEST_WHY as WHY, drenthe_request_world,
                             request_consent as _consent, request_desk_step as _desk, request_fill as _fill, request_new as _new,
                             request_sign as _sign, request_submit as _submit,
                             through_the_school_phases as _through_the_school_phases)


@pytest.fixture
def world(app):
    return drenthe_request_world()


def _text(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


def test_doa_vo_request_through_its_workflow_with_the_binding_advice(app, client, auth, world):
    """R-DRE-2.4-a, R-DRE-2.4-c, R-DRE-2.4-d, R-DRE-2.4-f, R-DRE-2.4-g: the school asks the DOA VO for a question
    across education, care and leerplicht, with consent, the parents' and the board's signatures, the views and
    presence of parents and student and every earlier plan; the SWV user handling it leads the phase; the evaluation
    falls in 6-12 weeks; the advice binds the next step."""
    student = world["student"]
    auth.login(world["zorg"].email)
    _through_the_school_phases(client, student)
    application = _new(client, student)
    assert SharedItem.select().where((SharedItem.application == application.id)
                                     & (SharedItem.need == "plannen")).count() == 3  # every phase plan, automatically
    _fill(client, application, **DOA_FORM)
    refused = _submit(client, application)
    body = _text(refused)
    assert refused.status_code == 422
    assert "geen geldige toestemming vastgelegd" in body
    assert "Leg de ondertekening door het bevoegd gezag vast" in body
    assert "Leg eerst de ondertekening vast van een ouder" in body
    _fill(client, application, **DOA_FORM, **BOARD)
    _sign(client, application, student)
    _consent(world)
    assert _submit(client, application).status_code == 303

    # A mentor cannot escalate straight into the DOA VO: the phase is led for the SWV.
    auth.login(world["mentor"].email)
    refused = traject_step(client, student, "escalate", target="drenthe.doa_vo", justification=WHY,
                           **{"extra-doa_core_team_consultation": "Kernteam, 3 maart, met de orthopedagoog."})
    assert refused.status_code == 422
    assert "wordt geleid door: Samenwerkingsverband (DOA VO)" in _text(refused)

    # The SWV user who takes the request up sees and moves the traject; another SWV user does not see it.
    auth.login(world["swv_other"].email)
    assert client.get(f"/leerlingen/{student.id}/traject").status_code == 404
    auth.login(world["swv"].email)
    assert client.get(f"/leerlingen/{student.id}/traject").status_code == 404  # not yet assigned
    assert _desk(client, application, "take_up").status_code == 303
    assert client.get(f"/leerlingen/{student.id}/traject").status_code == 200
    assert client.get(f"/leerlingen/{student.id}").status_code in (403, 404)  # the traject only, not the file
    school_phase = (PhaseVisit.select().join(Traject).where((Traject.student == student.id)
                                                            & (PhaseVisit.phase_key == "drenthe.intern_basis")).get())
    refused = client.post(f"/leerlingen/{student.id}/traject/fase/{school_phase.id}", data={
        "version": school_phase.version, "goals": "Het SWV schrijft in het plan van de school."})
    assert refused.status_code == 422 and "schrijft wie die fase leidt" in _text(refused)
    assert traject_step(client, student, "advance").status_code == 303
    assert Traject.get(Traject.student == student.id).current_phase == "drenthe.doa_vo"

    # The evaluation after 6 to 12 weeks is a reminder linked to the request, shown on its page.
    desk_page = _text(client.get(f"/swv/aanvragen/{application.id}"))
    assert "Wat hierna komt" in desk_page and "Evaluatie DOA VO (binnen 6 tot 12 weken)" in desk_page

    too_soon = _desk(client, application, "grant", advice="Inzet van een RET-traject voor Daan en zijn ouders.",
                     advised_step="drenthe.ret", evaluation_on=(clock.today() + dt.timedelta(weeks=2)).isoformat())
    assert too_soon.status_code == 422 and "Plan de evaluatie 6 tot 12 weken na het advies" in _text(too_soon)
    evaluation = (clock.today() + dt.timedelta(weeks=8)).isoformat()
    granted = _desk(client, application, "grant", advice="Inzet van een RET-traject: de zorgvraag overstijgt het "
                    "aanbod in de regio.", advised_step="drenthe.ret", evaluation_on=evaluation,
                    verklarende_analyse=ANALYSIS)
    assert granted.status_code == 303, _text(granted)

    # The DOA VO's advice is no besluit (Awb 1:3): nobody objects to it, and its letter offers no objection.
    objected = client.post(f"/swv/aanvragen/{application.id}/bezwaar", data={
        "filer": "board", "board_name": "J. de Bestuurder", "received_on": clock.today().isoformat(),
        "grounds": "Het bestuur is het niet eens met het advies van het DOA VO over Daan."})
    assert objected.status_code == 422 and "tegen een advies staat geen bezwaar open" in _text(objected)
    with app.test_request_context():
        letter = letters.render_html(Application.get_by_id(application.id))
    assert "geen besluit: er staat geen bezwaar tegen open" in letter and "binnen zes weken bezwaar" not in letter
    page = _text(client.get(f"/leerlingen/{student.id}/traject"))
    assert "Advies dat de volgende stappen bindt" in page and "(bindend)" in page
    assert "3.3 RET-Drenthe" in page.split('id="bindend-advies"')[1].split("</section>")[0]

    evaluate_phase(client, student)
    refused = traject_step(client, student, "advance")  # to 3.1-3.2: not what the advice says
    assert refused.status_code == 422
    assert "Het bindende advies" in _text(refused) and "Afwijken kan alleen met een vastgelegde reden" in _text(refused)
    short = traject_step(client, student, "advance", **{"extra-binding_advice_deviation": "x"})
    assert short.status_code == 422
    moved = traject_step(client, student, "advance", **{
        "extra-binding_advice_deviation": "Ouders en leerling kozen samen met het SWV eerst voor een plaatsing."})
    assert moved.status_code == 303
    assert Traject.get(Traject.student == student.id).current_phase == "drenthe.vervolg"


def test_doa_vo_prerequisites_each_refusal_with_its_message(client, auth, world):
    """R-DRE-2.4-b: without the earlier phases the request needs acute nood after a recorded consultation with the
    DOA VO core team: its date, who and a real justification (not one character)."""
    student = world["student"]
    auth.login(world["zorg"].email)
    assert traject_step(client, student, "start", signal="Daan verzuimt veel.").status_code == 303
    application = _new(client, student)
    _fill(client, application, **DOA_FORM, **BOARD)
    _sign(client, application, student)
    _consent(world)
    missing = _text(_submit(client, application))
    assert "eerdere overlegfasen in deze cyclus volledig zijn doorlopen" in missing and "2.1 Intern overleg" in missing
    _fill(client, application, **DOA_FORM, **BOARD, acute="y")
    acute = _text(_submit(client, application))
    assert "vul de datum in van het overleg met het kernteam" in acute
    assert "vul in met wie van het kernteam" in acute and "onderbouw de aanvraag" in acute
    _fill(client, application, **DOA_FORM, **BOARD, acute="y", core_team_on="2026-11-25",
          core_team_who="Orthopedagoog kernteam", core_team_why="x")
    assert "onderbouw de aanvraag met de uitkomst" in _text(_submit(client, application))
    _fill(client, application, **DOA_FORM, **BOARD, acute="y", core_team_on="2026-11-25",
          core_team_who="Orthopedagoog kernteam", core_team_why=WHY)
    assert _submit(client, application).status_code == 303


def test_no_consent_or_a_withdrawn_one_blocks_the_request(client, auth, world):
    """The consent register holds a valid consent for the DOA VO request (purpose = the type)."""
    student = world["student"]
    auth.login(world["zorg"].email)
    _through_the_school_phases(client, student)
    application = _new(client, student)
    _fill(client, application, **DOA_FORM, **BOARD)
    _sign(client, application, student)
    consent = _consent(world, purpose="overleg")  # another purpose does not count
    assert "geen geldige toestemming" in _text(_submit(client, application))
    consent.purpose, consent.withdrawn_at = DOA, dt.datetime(2026, 11, 1)
    consent.save()
    assert "geen geldige toestemming" in _text(_submit(client, application))


def test_a_second_doa_vo_starts_from_the_first(client, auth, world):
    """R-DRE-2.4-f: a second DOA VO for the same student is allowed and starts from the first (linked)."""
    student = world["student"]
    auth.login(world["zorg"].email)
    first = _new(client, student)
    _fill(client, first, **DOA_FORM)
    second = _new(client, student)
    assert second.previous_id == first.id and second.id != first.id
    assert "Daan zit structureel vast" in second.data


def test_ret_request_prerequisites(client, auth, world):
    """R-DRE-3.3-a, R-DRE-3.3-b: the RET after a completed DOA VO whose advice fell short (explained), or acute nood
    after consulting the RET chair."""
    student = world["student"]
    auth.login(world["zorg"].email)
    assert traject_step(client, student, "start", signal="Daan verzuimt veel.").status_code == 303
    application = _new(client, student, RET)
    _fill(client, application, question=DOA_FORM["question"])
    _sign(client, application, student)
    _consent(world, purpose=RET)
    body = _text(_submit(client, application))
    assert "afgerond (geëvalueerd) DOA VO niet toereikend bleek" in body
    assert "Licht toe waarom het advies van het DOA VO niet toereikend bleek" in body
    _fill(client, application, question=DOA_FORM["question"], acute="y")
    body = _text(_submit(client, application))
    assert "overleg met de voorzitter van het RET-Drenthe" in body
    _fill(client, application, question=DOA_FORM["question"], acute="y", chair_on="2026-11-26", chair_why=WHY)
    assert _submit(client, application).status_code == 303


def test_a_bad_consultation_date_gets_a_dutch_message_and_keeps_the_text(client, auth, world):
    """Bad input: a date that is no date, or one in the future for a consultation that took place, is refused
    beside the field in Dutch, and nothing saved before is lost."""
    from tests.conftest import form_errors

    student = world["student"]
    auth.login(world["zorg"].email)
    application = _new(client, student)
    _fill(client, application, **DOA_FORM)
    for bad in ("31-02-2026", "2099-01-01"):
        response = client.post(f"/aanvragen/{application.id}", data={
            **DOA_FORM, "acute": "y", "core_team_on": bad, "version": Application.get_by_id(application.id).version})
        assert response.status_code == 422
        errors = form_errors(response.get_data(as_text=True))
        assert any("datum" in e.lower() for e in errors) and not any("Not a valid" in e for e in errors), errors
    assert DOA_FORM["question"] in Application.get_by_id(application.id).data
