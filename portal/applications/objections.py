"""Objections against the SWV's decisions: recording one (by the school or the SWV, for the parents, the student
of age or the school board), a late one's judgement (Awb 6:11), the LBT's advice, a postponed term and the SWV's
decision on the objection. Every service takes the actor and audits; the rules are in ``objection_rules.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal import clock, policy
from portal.applications import objection_rules as rules
from portal.applications import services
from portal.applications.models import Application, Objection
from portal.applications.workflow import Action, Side, Status
from portal.audit import services as audit
from portal.db import database
from portal.route.engine import is_real_text
from portal.students import deciders
from portal.students.models import Guardian

REAL_TEXT = "minstens 20 tekens en drie woorden"
FILERS = {rules.PARENT: "ouder of verzorger met gezag", rules.STUDENT: "de leerling (18 jaar of ouder)",
          rules.BOARD: "het bevoegd gezag van de school"}


def objections_of(application: Application) -> list[Objection]:
    return list(Objection.select().where(Objection.application == application.id).order_by(Objection.id))


def open_objection(application: Application) -> Objection | None:
    return (Objection.select().where((Objection.application == application.id) & (Objection.outcome == ""))
            .order_by(Objection.id.desc()).first())


@dataclass(frozen=True)
class Terms:
    """An objection's dates as the pages show them: the objection term, the LBT's request, the decision term."""

    objection_deadline: dt.date
    committee_request_due: dt.date | None
    decision_due: dt.date


def terms_of(objection: Objection, committee: bool) -> Terms:
    return Terms(objection_deadline=rules.objection_deadline(objection.decision_on),
                 committee_request_due=rules.committee_request_due(objection.received_on) if committee else None,
                 decision_due=rules.decision_due(objection.decision_on, objection.received_on, committee=committee,
                                                 extended=objection.extended_on is not None))


def committee(application: Application) -> bool:
    return services.type_of(application).objection_committee


def objects_alone(application: Application) -> bool:
    """The student was of age on the day of the decision: they object, not their parents."""
    return deciders.decides_under_education_law(application.student, application.decided_on)


def _refuse(reasons: list[str]) -> None:
    if reasons:
        raise services.Refused(reasons)


def record(application: Application, *, filed_by: str, guardian_id: int | None, board_name: str,
           received_on: dt.date | None, grounds: str, late_reason: str, actor: policy.Actor) -> Objection:
    """Record an objection the school or the SWV received; a late one is recorded with its reason, never refused
    for being late (the SWV judges it, Awb 6:11)."""
    guardian = Guardian.get_or_none((Guardian.id == guardian_id) & (Guardian.student == application.student_id)) \
        if guardian_id else None
    of_age = application.decided_on is not None and objects_alone(application)
    reasons = rules.filer_reasons(filed_by, student_of_age=of_age,
                                  guardian_has_gezag=guardian.has_authority if guardian else None)
    if filed_by == rules.BOARD and not board_name.strip():
        reasons.append("Vul in namens welk bevoegd gezag bezwaar is gemaakt (naam van het schoolbestuur).")
    if received_on is None:
        reasons.append("Vul in op welke dag het bezwaarschrift binnenkwam.")
    elif application.decided_on and received_on < application.decided_on:
        reasons.append("Het bezwaarschrift kan niet binnenkomen voordat het besluit verstuurd is.")
    elif received_on > clock.today():
        reasons.append("De dag van ontvangst ligt in de toekomst.")
    late = bool(received_on and application.decided_on and rules.is_late(application.decided_on, received_on))
    if late and not is_real_text(late_reason):
        reasons.append("Het bezwaar kwam na de termijn van zes weken binnen: leg vast waarom het te laat is "
                       f"({REAL_TEXT}); het samenwerkingsverband beoordeelt of dat verschoonbaar is.")
    if application.decided_on and Objection.select().where(
            (Objection.application == application.id) & (Objection.decision_on == application.decided_on)
            & (Objection.outcome != "")).exists():
        reasons.append("Op een bezwaar tegen dit besluit is al beslist; wie het daar niet mee eens is, kan in "
                       "beroep gaan bij de rechtbank.")
    if not services.swv_decides(application):
        reasons.append("Dit besluit neemt het samenwerkingsverband niet; bezwaar gaat naar wie het besluit nam.")
    elif services.type_of(application).advice_only:
        reasons.append("Het samenwerkingsverband gaf hier een advies, geen besluit: tegen een advies staat geen "
                       "bezwaar open (Awb 1:3).")
    side = policy.application_rights(application, actor).side
    action = Action.RECORD_OBJECTION if side == Side.SWV else Action.OBJECT
    if side is None:
        reasons.append("U kunt bij deze aanvraag geen bezwaar vastleggen.")
    else:
        reasons += services.check_step(application, action, Side(side), {"grounds": grounds})
    _refuse(list(dict.fromkeys(reasons)))
    name = {rules.PARENT: guardian.name if guardian else "", rules.STUDENT: application.student.full_name,
            rules.BOARD: board_name.strip()[:200]}[filed_by]
    with database.atomic():
        objection = Objection.create(application=application.id, decision_on=application.decided_on,
                                     filed_by=filed_by, guardian=guardian.id if guardian else None, filer_name=name,
                                     received_on=received_on, grounds=grounds, late=late,
                                     late_reason=late_reason if late else "", recorded_by=actor.id)
        services.act(application, action, {"grounds": grounds}, actor=actor)
    return objection


def _open(application: Application) -> Objection:
    objection = open_objection(application)
    if objection is None or application.status != Status.OBJECTION:
        raise services.Refused(["Er ligt geen bezwaar open bij deze aanvraag."])
    return objection


def _day_reasons(day: dt.date | None, after: dt.date, what: str) -> list[str]:
    if day is None:
        return [f"Vul in op welke dag {what}."]
    if day < after or day > clock.today():
        return [f"De dag waarop {what}, ligt tussen {after:%d-%m-%Y} en vandaag."]
    return []


def _update(objection: Objection, application: Application, event: str, actor: policy.Actor, **values) -> Objection:
    with database.atomic():
        Objection.update(**values).where(Objection.id == objection.id).execute()
        audit.write(f"application.objection_{event}", "application", application.id,
                    student_id=application.student_id, actor=actor)
    return Objection.get_by_id(objection.id)


def request_committee_advice(application: Application, *, requested_on: dt.date | None, reference: str,
                             actor: policy.Actor) -> Objection:
    """The SWV asked the LBT for its advice (within two weeks of receiving the objection)."""
    objection = _open(application)
    reasons = [] if committee(application) else ["Bij deze soort besluit adviseert de landelijke commissie niet."]
    reasons += _day_reasons(requested_on, objection.received_on, "het advies is gevraagd")
    _refuse(reasons)
    return _update(objection, application, "committee_request", actor, committee_requested_on=requested_on,
                   committee_reference=reference.strip()[:200])


def record_committee_advice(application: Application, *, advice_on: dt.date | None, advice: str,
                            actor: policy.Actor) -> Objection:
    objection = _open(application)
    reasons = [] if objection.committee_requested_on else ["Leg eerst vast wanneer het advies is gevraagd."]
    if objection.committee_requested_on:
        reasons += _day_reasons(advice_on, objection.committee_requested_on, "het advies binnenkwam")
    if not is_real_text(advice):
        reasons.append(f"Neem het advies van de commissie over ({REAL_TEXT}).")
    _refuse(reasons)
    return _update(objection, application, "committee_advice", actor, committee_advice_on=advice_on,
                   committee_advice=advice)


def judge_lateness(application: Application, *, excusable: bool, reason: str, actor: policy.Actor) -> Objection:
    """The SWV's judgement whether a late objection's lateness is excusable (Awb 6:11), with its reason."""
    objection = _open(application)
    reasons = [] if objection.late else ["Dit bezwaar kwam op tijd binnen."]
    if not is_real_text(reason):
        reasons.append(f"Motiveer het oordeel ({REAL_TEXT}).")
    _refuse(reasons)
    return _update(objection, application, "lateness", actor, excusable=excusable, excusable_reason=reason)


def postpone(application: Application, *, reason: str, actor: policy.Actor) -> Objection:
    """Postpone the decision on the objection once by six weeks (Awb 7:10 lid 3), with the reason."""
    objection = _open(application)
    reasons = ["De beslistermijn is al eens verdaagd."] if objection.extended_on else []
    if not is_real_text(reason):
        reasons.append(f"Schrijf waarom de beslissing later komt ({REAL_TEXT}); de indiener krijgt dat bericht.")
    _refuse(reasons)
    return _update(objection, application, "postpone", actor, extended_on=clock.today(), extension_reason=reason)


def decide(application: Application, *, outcome: str, motivation: str, actor: policy.Actor) -> Objection:
    """The SWV's decision on the objection: (partly) upheld sends the application back to be decided again;
    unfounded or inadmissible leaves the decision standing."""
    objection = _open(application)
    reasons = rules.outcome_reasons(outcome, committee=committee(application),
                                    advice_recorded=objection.committee_advice_on is not None, late=objection.late,
                                    excusable=objection.excusable)
    action = Action.UPHOLD_OBJECTION if outcome in rules.UPHOLDING else Action.DISMISS_OBJECTION
    reasons += services.check_step(application, action, Side.SWV, {"motivation": motivation})
    _refuse(list(dict.fromkeys(reasons)))
    with database.atomic():
        Objection.update(outcome=outcome, outcome_motivation=motivation, decided_on=clock.today()).where(
            Objection.id == objection.id).execute()
        services.act(application, action, {"motivation": motivation}, actor=actor)
    return Objection.get_by_id(objection.id)
