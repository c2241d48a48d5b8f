"""Objections against the SWV's decision over HTTP, as the school and the SWV record and handle them: the parents
(the student of age, the school board) object; the SWV asks the LBT's advice unless it upholds the objection in
full; a late objection is recorded with its reason and judged by the SWV (Awb 6:11); the terms and reminders.

The type is the desk test plugin's TLV (an LBT advises on an objection, as for every TLV, PrO and LWOO).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from portal import clock
from portal.applications import objection_rules as rules
from portal.applications.models import Application, Objection
from portal.notifications.reminders import install_scope
from portal.students.models import Guardian
from tests.conftest import form_errors
from tests.plugin_example import desk_types
from tests.factories import desk_application as _application, desk_client as _client, desk_world as _world

KIND = dataclasses.replace(desk_types.KIND, objection_committee=True)


class CommitteeTypes:
    @staticmethod
    @desk_types.hookimpl
    def register_forms():
        return [KIND]


PLUGINS = {"PLUGINS": ["po", "vo", "drenthe"], "EXTRA_PLUGIN_MODULES": {"deskexample": CommitteeTypes}}
pytestmark = [pytest.mark.usefixtures("fast_hashing"),
              pytest.mark.parametrize("app_overrides", [PLUGINS], ids=["objections"])]
GROUNDS = "De ouders vinden dat de categorie te laag is vastgesteld voor wat hun kind nodig heeft."
WHY = "De ouders waren met hun kind opgenomen in het ziekenhuis en konden niet eerder reageren."


def _decided(w, days_ago: int) -> Application:
    application = _application(w["pupil_a"], w["care_a"])
    Application.update(status="granted", decision="granted", decided_on=clock.today() - dt.timedelta(days=days_ago),
                       handler=w["swv"]).where(Application.id == application.id).execute()
    return Application.get_by_id(application.id)


def _object(client, prefix, application, **fields):
    data = {"filer": "", "board_name": "", "received_on": clock.today().isoformat(), "grounds": GROUNDS,
            "late_reason": "", **fields}
    return client.post(f"{prefix}/aanvragen/{application.id}/bezwaar", data=data)


def _step(client, application, step, **fields):
    return client.post(f"/swv/aanvragen/{application.id}/bezwaar/stap",
                       data={"step": step, **{f"{step}-{key}": value for key, value in fields.items()}})


def test_the_parents_object_and_the_swv_asks_the_lbt_before_it_decides(app):
    """R-LAW-TLV-6, R-LAW-TLV-7: the school records the parents' objection (who, received when, grounds); the SWV
    must record the LBT's request and advice before it declares the objection unfounded; reminders follow each
    step (the LBT within two weeks of receipt, the decision within twelve weeks after the objection term)."""
    w = _world()
    application = _decided(w, days_ago=10)
    parent = Guardian.get(Guardian.student == w["pupil_a"].id)
    school = _client(app, w["care_a"])
    page = school.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    assert "Bezwaar vastleggen" in page and parent.name in page
    assert _object(school, "", application, filer=f"parent:{parent.id}").status_code == 303
    objection = Objection.get(Objection.application == application.id)
    assert (objection.filed_by, objection.guardian_id, objection.late) == ("parent", parent.id, False)
    assert Application.get_by_id(application.id).status == "objection"

    from portal.applications.reminders import _objection_steps
    due = {item.object_id: item.due_date for item in _objection_steps(install_scope())}
    assert due[f"{objection.id}-lbt"] == clock.today() + dt.timedelta(days=14)
    assert due[f"{objection.id}-decision"] == rules.decision_due(application.decided_on, clock.today(),
                                                                 committee=True)
    assert due[f"{objection.id}-decision"] >= rules.objection_deadline(application.decided_on) + dt.timedelta(weeks=12)

    swv = _client(app, w["swv"])
    refused = _step(swv, application, "beslissing", outcome="ongegrond", motivation=GROUNDS)
    assert refused.status_code == 422
    assert any("advies van de Landelijke Bezwaaradviescommissie" in e for e in form_errors(refused.get_data(as_text=True)))
    assert _step(swv, application, "lbt-verzoek", requested_on=clock.today().isoformat(),
                 reference="LBT-2027-001").status_code == 303
    assert f"{objection.id}-lbt" not in {i.object_id for i in _objection_steps(install_scope())}
    assert _step(swv, application, "lbt-advies", advice_on=clock.today().isoformat(),
                 advice="De commissie adviseert het bezwaar ongegrond te verklaren.").status_code == 303
    assert _step(swv, application, "beslissing", outcome="ongegrond", motivation=GROUNDS).status_code == 303
    assert Objection.get_by_id(objection.id).outcome == "ongegrond"
    assert Application.get_by_id(application.id).status == "granted"
    assert not list(_objection_steps(install_scope()))
    again = _object(school, "", application, filer=f"parent:{parent.id}")
    assert any("in beroep" in e for e in form_errors(again.get_data(as_text=True)))


def test_the_school_board_objects_and_a_full_grant_needs_no_lbt_advice(app):
    """R-LAW-TLV-7: the school board may object too (recorded by the SWV that received it); upholding the
    objection in full needs no LBT advice and sends the application back to be decided again."""
    w = _world()
    application = _decided(w, days_ago=3)
    swv = _client(app, w["swv"])
    assert _object(swv, "/swv", application, filer="board").status_code == 422  # the board's name is missing
    assert _object(swv, "/swv", application, filer="board", board_name="Stichting Primair Drenthe").status_code == 303
    assert Objection.get(Objection.application == application.id).filer_name == "Stichting Primair Drenthe"
    assert _step(swv, application, "beslissing", outcome="gegrond", motivation=GROUNDS).status_code == 303
    assert Application.get_by_id(application.id).status == "in_review"


def test_a_late_objection_is_recorded_with_its_reason_and_judged_by_the_swv(app):
    """R-LAW-TLV-4, R-LAW-TLV-7: after six weeks the objection is still recorded, with the objector's reason; the
    SWV judges whether the lateness is excusable (Awb 6:11) before deciding, and one that is not is
    niet-ontvankelijk."""
    w = _world()
    application = _decided(w, days_ago=60)
    parent = Guardian.get(Guardian.student == w["pupil_a"].id)
    school = _client(app, w["care_a"])
    refused = _object(school, "", application, filer=f"parent:{parent.id}")
    assert refused.status_code == 422
    assert any("waarom het te laat is" in e for e in form_errors(refused.get_data(as_text=True)))
    assert _object(school, "", application, filer=f"parent:{parent.id}", late_reason=WHY).status_code == 303
    objection = Objection.get(Objection.application == application.id)
    assert objection.late and objection.late_reason == WHY

    swv = _client(app, w["swv"])
    assert "na de termijn" in swv.get(f"/swv/aanvragen/{application.id}").get_data(as_text=True)
    first = _step(swv, application, "beslissing", outcome="niet_ontvankelijk", motivation=GROUNDS)
    assert any("verschoonbaar" in e for e in form_errors(first.get_data(as_text=True)))
    assert _step(swv, application, "termijnoverschrijding", excusable="nee",
                 reason="Een ziekenhuisopname van een week verklaart geen maand vertraging.").status_code == 303
    _step(swv, application, "lbt-verzoek", requested_on=clock.today().isoformat())
    _step(swv, application, "lbt-advies", advice_on=clock.today().isoformat(),
          advice="De commissie adviseert het bezwaar niet-ontvankelijk te verklaren.")
    merits = _step(swv, application, "beslissing", outcome="ongegrond", motivation=GROUNDS)
    assert any("niet-ontvankelijk" in e for e in form_errors(merits.get_data(as_text=True)))
    assert _step(swv, application, "beslissing", outcome="niet_ontvankelijk", motivation=GROUNDS).status_code == 303
    assert Objection.get_by_id(objection.id).outcome == "niet_ontvankelijk"


def test_from_eighteen_the_student_objects_and_not_the_parents(app):
    """R-LAW-TLV-7 (with the age rule of education law): a student of age on the day of the decision objects
    alone; the parents' objection is refused with the reason."""
    w = _world()
    application = _decided(w, days_ago=2)
    w["pupil_a"].birth_date = clock.today() - dt.timedelta(days=365 * 19)  # of age on the day of the decision
    w["pupil_a"].save()
    parent = Guardian.get(Guardian.student == w["pupil_a"].id)
    school = _client(app, w["care_a"])
    assert "De leerling zelf (18 jaar of ouder" in school.get(f"/aanvragen/{application.id}").get_data(as_text=True)
    refused = _object(school, "", application, filer=f"parent:{parent.id}")
    assert refused.status_code == 422
    assert _object(school, "", application, filer="student").status_code == 303
    assert Objection.get(Objection.application == application.id).filed_by == "student"


def test_the_objection_term_and_the_decision_term_on_amsterdam_days(app):
    """R-LAW-TLV-4: six weeks from the day after the decision was sent (Awb 6:7, 6:8), running on to the next
    working day when the last day is a weekend day or a holiday (Algemene termijnenwet); the decision term is
    twelve weeks with the LBT, six without, six more when postponed (Awb 7:10)."""
    assert rules.objection_deadline(dt.date(2027, 1, 4)) == dt.date(2027, 2, 15)
    assert rules.objection_deadline(dt.date(2026, 11, 14)) == dt.date(2026, 12, 28)  # Sat 26 Dec: 2nd Christmas
    assert rules.objection_deadline(dt.date(2027, 3, 16)) == dt.date(2027, 4, 28)  # 27 April: Koningsdag
    assert rules.is_late(dt.date(2027, 1, 4), dt.date(2027, 2, 16)) and not rules.is_late(dt.date(2027, 1, 4),
                                                                                           dt.date(2027, 2, 15))
    assert rules.decision_due(dt.date(2027, 1, 4), dt.date(2027, 1, 20), committee=False) == dt.date(2027, 3, 30)  # Easter Monday
    assert rules.decision_due(dt.date(2027, 1, 4), dt.date(2027, 1, 20), committee=True) == dt.date(2027, 5, 10)
    assert rules.decision_due(dt.date(2027, 1, 4), dt.date(2027, 1, 20), committee=True,
                              extended=True) == dt.date(2027, 6, 21)
