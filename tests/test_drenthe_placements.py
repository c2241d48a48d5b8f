"""The Drenthe plugin's OTV, vrijstelling leerplicht and MBO/HBO transfer, over HTTP: the school draws each up
and records the real decider's outcome (the SWV takes none of these decisions); the refusals each type adds; the reminders each one derives.

The app runs po, vo and drenthe (the default of the test app): a VO student follows the Drenthe route, whose
phases 2.2 (OTV) and 3.1-3.2 (vrijstelling, MBO/HBO) name these types.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.applications.models import Application
from portal.dossier.models import Entry
from portal.notifications.reminders import install_scope
from portal.students.models import Guardian
from portal_drenthe import placements
from tests import factories
from tests.conftest import form_errors

TEXT = "Een uitgebreide toelichting op wat de leerling nodig heeft en waarom."


@pytest.fixture
def world(app):
    s = factories.vo_school()
    s["swv"] = factories.user("swv", s["school"], name="Bert Kuiper")
    s["entry"] = Entry.create(student=s["student"], section="begeleiding", kind="plan", title="OPP van Daan",
                              body="Handelingsdeel met de OTV.", author=s["zorg"])
    return s


def _new(client, world, key) -> Application:
    response = client.post(f"/leerlingen/{world['student'].id}/aanvragen", data={"type_key": key})
    assert response.status_code == 303, response.get_data(as_text=True)
    return Application.get_by_id(int(re.search(r"/aanvragen/(\d+)", response.headers["Location"])[1]))


def _save(client, application, values):
    application = Application.get_by_id(application.id)
    return client.post(f"/aanvragen/{application.id}", data={**values, "version": application.version})


def _sign_and_share(client, world, application, need=None):
    if need:
        assert client.post(f"/aanvragen/{application.id}/delen",
                           data={"items": [f"entry:{world['entry'].id}"], "need": need}).status_code == 303
    guardian = world["student"].guardians.first()
    assert client.post(f"/aanvragen/{application.id}/ondertekening",
                       data={"who": str(guardian.id), "signed_on": "2026-11-20", "agrees": "ja"}).status_code == 303


def _submit(client, application, **decision):
    """The school records the outcome of the decision taken outside the SWV (as decided today)."""
    from portal import clock

    return client.post(f"/aanvragen/{application.id}/uitkomst",
                       data={"outcome": "granted", "outcome_on": clock.today().isoformat(), **decision})


def _submitted(client, application, **decision):
    response = _submit(client, application, **decision)
    assert response.status_code == 303, (form_errors(response.get_data(as_text=True)),
                                         Application.get_by_id(application.id).data)


def _swv_step(client, application, action, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/swv/aanvragen/{application.id}/stap", data=data)


OTV_VALUES = {"reason": "medisch", "reason_text": TEXT, "hours_less": "8", "starts_on": "2027-01-04",
              "ends_on": "2027-04-02", "aid_answer": "nodig", "isd_requested_on": "2026-11-25",
              "first_evaluation_on": "2027-02-15", "second_evaluation_on": "2027-03-22"}
OPP_OTV = {"support": "Begeleiding bij plannen; tijdelijk een kortere lesweek.", "otv_hours": "8",
           "otv_from": "2027-01-04", "otv_until": "2027-04-02", "otv_reason": "medisch"}


def _opp_with_otv(client, world, agreed=True, **changes):
    """The student's OPP with the OTV in its handelingsdeel, over the OPP's own pages (and instemming)."""
    from portal.opp.models import Opp

    student = world["student"]
    base = f"/leerlingen/{student.id}/opp"
    assert client.post(base, data={"support_start": "2026-10-01"}).status_code == 303
    version = Opp.get(Opp.student == student.id).version
    assert client.post(f"{base}/handelingsdeel", data={**OPP_OTV, **changes, "version": version}).status_code == 303
    if agreed:
        parent = student.guardians.where(Guardian.has_authority).first()
        assert client.post(f"{base}/instemming", data={"who": str(parent.id), "given_on": "2026-11-20",
                                                       "agrees": "ja"}).status_code == 303


def test_otv_is_drawn_up_with_the_parents_consent_and_registered_by_the_swv(client, world):
    """R-DRE-B3: an OTV records hours per week, period, reason, the parents' consent (signature) and the decision
    aid's answer; it starts from the OTV in the OPP's handelingsdeel; the SWV records it with its
    period."""
    factories.login(client, world["zorg"])
    page = client.get(f"/leerlingen/{world['student'].id}/aanvragen").get_data(as_text=True)
    assert "Aanvraag onderwijstijdverkorting (OTV)" in page
    _opp_with_otv(client, world)
    application = _new(client, world, placements.OTV)
    prefilled = Application.get_by_id(application.id).data  # the OTV of the OPP's handelingsdeel
    assert all(f'"{value}"' in prefilled for value in ("8", "2027-01-04", "2027-04-02", "medisch"))
    assert _save(client, application, OTV_VALUES).status_code == 303
    _sign_and_share(client, world, application, need="opp")
    _submitted(client, application, start="2027-01-04", end="2027-04-02")
    page = client.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "Medische aandoening" in page and "medisch" not in re.sub(r"<[^>]+>", " ", page).split()
    assert "Instemming van de inspectie is nodig" in page
    application = Application.get_by_id(application.id)
    assert application.status == "granted" and application.ends_on == dt.date(2027, 4, 2)


def test_otv_submit_names_every_missing_part(client, world):
    """R-DRE-B3: without the reason, the hours, the period, the decision aid's answer and an OPP that holds it the
    OTV is refused with every reason at once; nothing typed is lost."""
    factories.login(client, world["zorg"])
    application = _new(client, world, placements.OTV)
    _save(client, application, {"reason_text": TEXT})
    _sign_and_share(client, world, application, need="opp")
    response = _submit(client, application)
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    for reason in ("Vul in: de reden.", "Vul in: de lesuren per week minder.", "Vul in: de einddatum.",
                   "Vul in: de uitkomst van de keuzehulp van de inspectie.",
                   "Een OTV maakt deel uit van het OPP: neem haar op in het handelingsdeel (uren, periode en reden)."):
        assert reason in errors
    assert TEXT in client.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert Application.get_by_id(application.id).status == "concept"


def test_otv_needs_the_isd_request_when_the_decision_aid_says_so(client, world):
    """R-DRE-B3: the decision aid says the inspectorate must agree: the request via ISD is recorded first; an
    evaluation outside the period and an end before the start are refused."""
    factories.login(client, world["zorg"])
    _opp_with_otv(client, world)
    application = _new(client, world, placements.OTV)
    _save(client, application, {**OTV_VALUES, "isd_requested_on": "", "first_evaluation_on": "2027-06-01"})
    _sign_and_share(client, world, application, need="opp")
    errors = form_errors(_submit(client, application).get_data(as_text=True))
    assert any("via het Internet Schooldossier" in e for e in errors)
    assert "Plan de eerste evaluatie binnen de periode van de OTV." in errors
    _save(client, application, {**OTV_VALUES, "ends_on": "2026-12-20"})
    assert "De einddatum van de OTV ligt niet na de begindatum." in form_errors(
        _submit(client, application).get_data(as_text=True))


def test_otv_bad_input_gets_dutch_messages_next_to_the_field(client, world):
    """Bad input: a Dutch message beside the field, never a 500."""
    factories.login(client, world["zorg"])
    application = _new(client, world, placements.OTV)
    response = _save(client, application, {**OTV_VALUES, "hours_less": "veel", "starts_on": "31-02-2027"})
    assert response.status_code == 422
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul een heel getal in." in errors
    assert "Vul een geldige datum in (dag-maand-jaar)." in errors
    response = _save(client, application, {**OTV_VALUES, "hours_less": "60"})
    assert "Vul een aantal uren in van 1 tot en met 40." in form_errors(response.get_data(as_text=True))


def test_otv_evaluations_are_reminders_for_the_care_coordinator(client, world):
    """R-DRE-B3: each evaluation date of an OTV is a task of the school's care coordinators."""
    factories.login(client, world["zorg"])
    _opp_with_otv(client, world)
    application = _new(client, world, placements.OTV)
    _save(client, application, OTV_VALUES)
    _sign_and_share(client, world, application, need="opp")
    _submitted(client, application, start="2027-01-04", end="2027-04-02")
    items = list(placements._otv_evaluations(install_scope()))
    assert [(i.object_id, i.due_date) for i in items] == [(f"{application.id}-1", dt.date(2027, 2, 15)),
                                                         (f"{application.id}-2", dt.date(2027, 3, 22))]
    assert all(i.roles == ("zorg",) and i.link == f"/aanvragen/{application.id}" for i in items)
    page = client.get("/mijn-acties").get_data(as_text=True)
    assert "Evaluatie van de OTV van Daan Bakker" in page


VRIJSTELLING_VALUES = {"parents_requested_on": "2026-11-10", "attendance_officer": "J. Mulder, gemeente Assen",
                       "school_advice": TEXT, "place_outside": "Zorgboerderij De Hoeve, vier dagen per week.",
                       "return_prospects": TEXT, "first_evaluation_on": "2027-06-01"}


def test_vrijstelling_records_the_advice_the_place_and_yearly_evaluations(client, world):
    """R-DRE-3.2: the school's advice, the place outside education and the follow-up evaluations about a return
    to education (vrijstelling)."""
    factories.login(client, world["zorg"])
    application = _new(client, world, placements.VRIJSTELLING)
    response = _submit(client, application)
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul in: het advies van de school." in errors and "Vul in: de plek buiten het onderwijs." in errors
    _save(client, application, VRIJSTELLING_VALUES)
    _sign_and_share(client, world, application, need="onderbouwing")
    _submitted(client, application, start="2027-01-01")
    item = next(iter(placements._vrijstelling_evaluations(install_scope())))
    assert item.due_date == dt.date(2027, 6, 1) and "terugkeer naar het onderwijs" in item.title
    assert placements.next_yearly(dt.date(2027, 6, 1), dt.date(2028, 5, 1)) == dt.date(2028, 6, 1)
    assert placements.next_yearly(dt.date(2027, 6, 1), dt.date(2027, 6, 10)) == dt.date(2027, 6, 1)
    assert placements.next_yearly(dt.date(2028, 2, 29), dt.date(2028, 3, 20)) == dt.date(2029, 2, 28)


def test_mbo_hbo_transfer_is_evaluated_in_the_first_months(client, world):
    """R-DRE-3.1-b: the receiving institution, the agreed support and an evaluation in the first months after
    placement (eight weeks when no date is given; later than half a year is refused)."""
    factories.login(client, world["zorg"])
    application = _new(client, world, placements.MBO_HBO)
    values = {"institution": "Drenthe College", "programme": "Entree, niveau 1", "placed_on": "2027-02-01",
              "support_agreed": TEXT, "evaluation_on": "2027-12-01"}
    _save(client, application, values)
    _sign_and_share(client, world, application)
    assert ("Plan de evaluatie in de eerste maanden na de plaatsing (binnen een half jaar na de start)."
            in form_errors(_submit(client, application).get_data(as_text=True)))
    _save(client, application, {**values, "evaluation_on": ""})
    _submitted(client, application, start="2027-02-01")
    item = next(iter(placements._mbo_hbo_evaluations(install_scope())))
    assert item.due_date == dt.date(2027, 3, 29)
    assert "Drenthe College" in client.get(f"/aanvragen/{application.id}").get_data(as_text=True)


def test_the_po_route_offers_none_of_them(client, app):
    """The types belong to the Drenthe VO route: a PO school is not offered them."""
    s = factories.po_school()
    factories.login(client, s["zorg"])
    page = client.get(f"/leerlingen/{s['student'].id}/aanvragen").get_data(as_text=True)
    assert "onderwijstijdverkorting" not in page and "Overdracht naar MBO of HBO" not in page
    response = client.post(f"/leerlingen/{s['student'].id}/aanvragen", data={"type_key": placements.OTV},
                           follow_redirects=True)
    assert "Kies een soort aanvraag uit de lijst." in response.get_data(as_text=True)
    assert not Application.select().where(Application.student == s["student"].id).exists()


def test_otv_must_match_the_agreed_opp(client, world):
    """R-DRE-B3, R-LAW-OPP-2: the OTV is the one in the OPP's handelingsdeel, with its instemming: other hours or
    another period, or a handelingsdeel nobody agreed to, are refused with the reason."""
    factories.login(client, world["zorg"])
    _opp_with_otv(client, world, agreed=False)
    application = _new(client, world, placements.OTV)
    _save(client, application, {**OTV_VALUES, "hours_less": "12"})
    _sign_and_share(client, world, application, need="opp")
    errors = form_errors(_submit(client, application).get_data(as_text=True))
    assert ("De aanvraag wijkt af van de OTV in het OPP (8 uur per week minder, van 04-01-2027 tot en met "
            "02-04-2027): pas de aanvraag of het OPP aan.") in errors
    assert any("nog geen instemming met het handelingsdeel" in e for e in errors)
    _save(client, application, OTV_VALUES)
    errors = form_errors(_submit(client, application).get_data(as_text=True))
    assert not any("wijkt af" in e for e in errors) and any("nog geen instemming" in e for e in errors)


def test_the_swv_takes_none_of_these_decisions(client, world):
    """R-DRE-OTV-1, R-DRE-3.2, R-DRE-3.1-b, R-DRE-B3: the school decides an OTV, the leerplicht officer a
    vrijstelling, the receiving institution an admission; the school records each outcome with its date. The SWV
    reads an OTV and a vrijstelling for information, with no "Toekennen" and no objection; the transfer to MBO/HBO
    is not shared with it; the school cannot submit any of them to the SWV."""
    factories.login(client, world["zorg"])
    _opp_with_otv(client, world)
    otv = _new(client, world, placements.OTV)
    _save(client, otv, OTV_VALUES)
    _sign_and_share(client, world, otv, need="opp")
    page = client.get(f"/aanvragen/{otv.id}").get_data(as_text=True)
    assert "de school (het bevoegd gezag)" in page and 'value="submit"' not in page
    assert client.post(f"/aanvragen/{otv.id}/stap", data={"action": "submit"}).status_code == 422
    _submitted(client, otv, start="2027-01-04", end="2027-04-02")
    page = client.get(f"/aanvragen/{otv.id}").get_data(as_text=True)
    assert "Bezwaar vastleggen" not in page and "Besluitbrief" not in page
    mbo = _new(client, world, placements.MBO_HBO)
    _save(client, mbo, {"institution": "Drenthe College", "programme": "Entree, niveau 1", "placed_on": "2027-02-01",
                        "support_agreed": TEXT})
    _sign_and_share(client, world, mbo)
    _submitted(client, mbo, start="2027-02-01")

    factories.login(client, world["swv"])
    desk = client.get(f"/swv/aanvragen/{otv.id}")
    assert desk.status_code == 200
    html = desk.get_data(as_text=True)
    assert "de school (het bevoegd gezag)" in html
    assert "Toekennen" not in html and "Bezwaar vastleggen" not in html
    assert _swv_step(client, otv, "grant", start="2027-01-04", end="2027-04-02").status_code == 422
    assert client.post(f"/swv/aanvragen/{otv.id}/bezwaar", data={"filer": "board", "board_name": "Bestuur",
                                                                 "received_on": "2026-12-01",
                                                                 "grounds": TEXT}).status_code == 422
    assert client.get(f"/swv/aanvragen/{mbo.id}").status_code == 404
