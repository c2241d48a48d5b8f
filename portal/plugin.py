"""The plugin API: the one module a plugin imports from the portal.

It re-exports every type a hook returns or receives (see ``portal/hookspecs.py`` and ``docs/plugins.md``) and
the helpers a plugin may use. The read helpers return plain data or these documented types, never an ORM model,
so a plugin keeps working when the core changes its tables. Anything not in ``__all__`` is the core's own
business and may change without notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Callable

from portal import policy
from portal.applications.reminders import ApplicationInfo, applications_of
from portal.applications.tlv import TLV_ADVICES, tlv_request_form, tlv_request_reasons
from portal.applications.types import (ADVICE_TEXT, ADVISED_STEP, DECIDERS, PROFESSIONS, AdviceNeed, ApplicationForm,
                                       ApplicationType, Assessment, DecisionField, DocumentNeed)
from portal.applications.workflow import FILING as _FILING
from portal.clock import today
from portal.bounds import PLANNING, RECORDED, DateWithin, DutchDateField, WholeNumberField
from portal.db import BaseModel
from portal.dossier.sections import Section
from portal.hookspecs import SchoolRecord, StudentRecord, TrajectRecord, hookimpl
from portal.inputs import LONG_TEXT, StringField, TextField, at_most
from portal.migrations import Migration
from portal.migrations.ddl import migrator
from portal.migrations.ddl import run as run_ddl
from portal.notifications.reminders import FALLBACK_ROLE, DueItem, ReminderKind, Scope
from portal.policy import ROLES, Actor
from portal.registry import NavItem
from portal.route.definition import EntryPoint, FormType, Guard, MeetingType, Phase, Route, TransitionField
from portal.route.engine import (JUSTIFICATION_MIN_CHARS, Action, PhaseRecord, PhaseStatus, Status, TrajectState,
                                 has_text, is_real_text)
from portal.route.reminders import OpenPhaseVisit, open_phase_visits, traject_link
from portal.scheduler import DAILY, INTERVAL, Job
from portal.schools.models import SCHOOL_TYPES, School

# The actions a type's guard treats as "the school completes its part": submitting to the SWV, or recording the
# outcome of a decision taken elsewhere (a type whose ``decider`` is not the SWV).
FILING_ACTIONS = frozenset(action.value for action in _FILING)

# What the helpers below read for a plugin (private names: a plugin reaches them through the helpers only).
from portal.applications import services as _applications
from portal.audit import services as _audit
from portal.auth.session import public as _mark_public
from portal.consent import rules as _consent
from portal.opp import services as _opp
from portal.route import services as _route
from portal.students import services as _students
from portal.students.models import Student as _Student

# --- read helpers: plain data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudentInfo:
    id: int
    school_id: int
    full_name: str
    group_id: int | None
    mentor_id: int | None
    has_left: bool


@dataclass(frozen=True)
class GuardianInfo:
    id: int
    name: str
    relation: str
    email: str | None
    phone: str | None
    has_authority: bool  # ouderlijk gezag


def _student(student_id: int):
    return _Student.get_or_none(_Student.id == student_id)


def _student_info(student) -> StudentInfo:
    return StudentInfo(id=student.id, school_id=student.school_id, full_name=student.full_name,
                       group_id=student.group_id, mentor_id=student.mentor_id, has_left=student.has_left)


def student_info(student_id: int) -> StudentInfo | None:
    """A student by id, or None. No permission check: for hooks and jobs; views use ``student_or_404``."""
    student = _student(student_id)
    return _student_info(student) if student is not None else None


@dataclass(frozen=True)
class SchoolInfo:
    id: int
    name: str
    sector: str  # "PO" or "VO"
    school_type: str  # a key of SCHOOL_TYPES


def school_info(school_id: int) -> SchoolInfo | None:
    """A school by id as plain data, or None (no permission check: for guards, hooks and jobs)."""
    school = School.get_or_none(School.id == school_id)
    return SchoolInfo(id=school.id, name=school.name, sector=school.sector,
                      school_type=school.type_key) if school is not None else None


def guardians(student_id: int) -> list[GuardianInfo]:
    """A student's parents and carers, by name."""
    student = _student(student_id)
    if student is None:
        return []
    return [GuardianInfo(id=g.id, name=g.name, relation=g.relation, email=g.email, phone=g.phone,
                         has_authority=g.has_authority) for g in _students.guardians_of(student)]


@dataclass(frozen=True)
class ConsentInfo:
    """A recorded consent that counts (consent register), as plain data."""

    id: int
    given_by: str  # "guardian" (a parent or carer with gezag) or "student" (from 16; the OPP's: from 18)
    guardian_name: str | None  # the parent's name; None when the student gave it
    purpose: str
    recipient: str
    given_on: dt.date
    valid_until: dt.date | None


def consent_for(student_id: int, purpose: str, recipient: str | None = None,
                on: dt.date | None = None) -> ConsentInfo | None:
    """The consent that counts for ``purpose`` (an application type's key, e.g. ``drenthe.doa_vo``; the OPP's
    ``opp.handelingsdeel``; ``overleg`` or a meeting type's key) on day ``on`` (default today), or None.

    ``recipient`` None: any recipient; otherwise the consent must name it (case and spaces aside), or be a general
    consent to share with that recipient. Only what counts is returned: not withdrawn, within its period, and given
    by someone who may consent on ``on`` (a parent with gezag while the student is under 16, the student from 16:
    a parent's consent stops counting on the 16th birthday; for ``opp.handelingsdeel``, a decision under
    education law, a parent with gezag until 18 and then the student: ``portal.students.deciders``). No
    permission check: for hooks, guards and jobs."""
    student = _student(student_id)
    if student is None:
        return None
    found = _consent.valid_consent(student, purpose, recipient, on)
    if found is None:
        return None
    guardian = _consent.giver_of(found)
    return ConsentInfo(id=found.id, given_by=found.given_by, guardian_name=guardian.name if guardian else None,
                       purpose=found.purpose, recipient=found.recipient, given_on=found.given_on,
                       valid_until=found.valid_until)


def traject_state(student_id: int) -> TrajectState | None:
    """The state of the student's open or latest traject (a new one on the student's route when there is none);
    None for an unknown student or when no enabled route applies."""
    student = _student(student_id)
    return _route.state_for(student)[1] if student is not None else None


@dataclass(frozen=True)
class PhasePlan:
    """A phase's plan of approach and its evaluation in the student's current (or latest) traject, as plain data:
    what a guard reads before it asks for something again (e.g. the parents' view, already recorded)."""

    phase_key: str
    cycle: int
    status: str  # a ``PhaseStatus`` value
    goals: str
    interventions: str
    evaluation_date: dt.date | None
    worked: str
    not_worked: str
    parent_view: str
    student_view: str
    next_steps: str


def phase_plans(student_id: int) -> list[PhasePlan]:
    """Every phase visit of the student's current or latest traject, the latest first (empty without one)."""
    student = _student(student_id)
    visits = _route.with_visits(student)[2] if student is not None else []
    return [PhasePlan(phase_key=v.phase_key, cycle=v.cycle, status=v.status, goals=v.goals,
                      interventions=v.interventions, evaluation_date=v.evaluation_date, worked=v.worked,
                      not_worked=v.not_worked, parent_view=v.parent_view, student_view=v.student_view,
                      next_steps=v.next_steps) for v in sorted(visits, key=lambda v: v.seq, reverse=True)]


@dataclass(frozen=True)
class OppFacts:
    """What a plugin may know of a student's OPP (``opp_facts``): plain data, never the OPP itself."""

    present: bool  # the student has an OPP (in any status)
    status: str  # "geen" (none), "concept" or "vastgesteld"
    handelingsdeel_agreed: bool  # valid instemming with the handelingsdeel as it reads now
    consultation_recorded: bool  # the op overeenstemming gericht overleg about the rest is recorded
    registered_in_rod: bool  # registered in the ROD and not deregistered
    support_start: dt.date | None = None
    ends_on: dt.date | None = None
    reasons: tuple[str, ...] = ()  # why it is still a concept (Dutch)
    otv_hours: int | None = None  # an onderwijstijdverkorting in the handelingsdeel: hours per week less,
    otv_from: dt.date | None = None  # its period
    otv_until: dt.date | None = None
    otv_reason: str = ""  # "medisch", "beperking" or "persoonlijk"


def opp_facts(student_id: int) -> OppFacts:
    """The OPP of a student as plain facts (no permission check: for guards, hooks and jobs)."""
    opp = _opp.opp_of(student_id)
    if opp is None:
        return OppFacts(present=False, status="geen", handelingsdeel_agreed=False, consultation_recorded=False,
                        registered_in_rod=False)
    status = _opp.status_of(opp)
    return OppFacts(present=True, status=status.key, handelingsdeel_agreed=status.handelingsdeel_agreed,
                    consultation_recorded=status.consultation_recorded,
                    registered_in_rod=opp.rod_registered_on is not None and opp.rod_deregistered_on is None,
                    support_start=opp.support_start, ends_on=opp.ends_on, reasons=status.reasons,
                    otv_hours=opp.otv_hours, otv_from=opp.otv_from, otv_until=opp.otv_until,
                    otv_reason=opp.otv_reason)


def application_link(student_id: int, type_key: str) -> str | None:
    """The page of the student's latest application of this type (not withdrawn), or None."""
    student = _student(student_id)
    latest = _applications.latest_of_type(student, type_key) if student is not None else None
    return f"/aanvragen/{latest.id}" if latest is not None else None


def latest_application(student_id: int, type_key: str) -> ApplicationInfo | None:
    """The student's latest application of this type (not withdrawn) as plain data, or None. No permission
    check: for guards and the values a transition form offers (what a request recorded is not typed again)."""
    student = _student(student_id)
    latest = _applications.latest_of_type(student, type_key) if student is not None else None
    if latest is None:
        return None
    return ApplicationInfo(id=latest.id, type_key=latest.type_key, status=latest.status, student_id=student.id,
                           school_id=latest.school_id, student_name=student.full_name,
                           data=_applications.data_of(latest), decision=_applications.decision_of(latest),
                           decided_on=latest.decided_on, link=f"/aanvragen/{latest.id}")


def as_named(forms, key: str) -> dict:
    """Key, label, description and source of the form ``key`` among a route's ``forms``, to build an application
    type from: ``ApplicationType(**as_named(route.FORMS, "vo.lwoo"), ...)``."""
    form = {f.key: f for f in forms}[key]
    return {"key": form.key, "label": form.label, "description": form.description, "source": form.source}


def day_of(value) -> dt.date | None:
    """A date as a form or stored data holds it: a date, an ISO date, or dd-mm-jjjj as a reader writes it (a date
    field of a transition form); None for anything else."""
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# --- views: the policy and the audit log ------------------------------------------------------------------------


def current_actor() -> Actor:
    """Who makes the current request (``Actor.kind`` "anonymous" outside one)."""
    return policy.current()


def scope_for(feature: tuple[str, str], actor: Actor | None = None) -> Scope:
    """The students the actor (default: the current one) may see for ``feature``, e.g. ``("route", "view")``: the
    only way a plugin's page obtains a ``Scope`` for ``open_phase_visits`` or ``applications_of``. An actor without
    the feature gets an empty scope; nothing obtainable here means "every school"."""
    return Scope.of(actor or policy.current(), feature)


def require(resource: str, action: str) -> str:
    """403 unless the current actor holds the feature ``(resource, action)``; returns its scope."""
    return policy.require(resource, action)


def student_or_404(student_id: int, feature: tuple[str, str] = ("student", "view")) -> StudentInfo:
    """The student if the current actor may see it for ``feature``; 403 without the feature, else 404."""
    return _student_info(policy.student_or_404(student_id, feature))


def public(view: Callable) -> Callable:
    """Mark a view as reachable without logging in (every other view is behind the login)."""
    return _mark_public(view)


def audit(action: str, object_type: str, object_id: int | None, *, kind: str, student_id: int | None = None,
          actor: Actor | None = None) -> None:
    """Record a read (``kind="read"``) or change (``"write"``) of dossier data, by the current or given actor."""
    _audit.record(action, object_type, object_id, kind=kind, student_id=student_id,
                  actor=actor or policy.current())


# --- fewer lines for plugins that only hand over data ----------------------------------------------------------


def provides(items: Iterable) -> Callable[[], list]:
    """A hook implementation answering fixed data: ``register_forms = provides(route.FORMS)``.

    For the list hooks without parameters (``register_routes``, ``register_forms``, ...); the name it is
    assigned to is the hook it implements, as for a ``@hookimpl`` function.
    """
    answer = tuple(items)

    def implementation() -> list:
        return list(answer)

    return hookimpl(implementation)


__all__ = [
    # hook marker and what the hooks return
    "hookimpl", "provides", "Route", "Phase", "EntryPoint", "MeetingType", "FormType", "Guard", "TransitionField",
    "Section", "NavItem", "ReminderKind", "DueItem", "Job", "INTERVAL", "DAILY", "Migration",
    # applications to the SWV (register_forms, adjust_application_type)
    "ApplicationType", "ApplicationForm", "ApplicationInfo", "applications_of",
    "today", "StringField", "TextField", "at_most", "LONG_TEXT", "DutchDateField", "DateWithin", "PLANNING",
    "RECORDED", "WholeNumberField", "AdviceNeed", "DocumentNeed", "DecisionField", "Assessment", "PROFESSIONS",
    "ADVISED_STEP", "ADVICE_TEXT", "TLV_ADVICES", "tlv_request_form", "tlv_request_reasons", "DECIDERS",
    "FILING_ACTIONS",
    # what the hooks (and a guard's check, a kind's items) receive
    "Action", "TrajectState", "PhaseRecord", "PhaseStatus", "Status", "Scope", "Actor", "SchoolRecord",
    "StudentRecord", "TrajectRecord",
    # read helpers
    "OpenPhaseVisit", "open_phase_visits", "traject_link", "StudentInfo", "student_info", "GuardianInfo",
    "guardians", "ConsentInfo", "consent_for", "traject_state", "PhasePlan", "phase_plans", "OppFacts", "opp_facts",
    "application_link",
    "latest_application", "as_named", "day_of", "SchoolInfo", "school_info", "SCHOOL_TYPES",
    "has_text", "is_real_text", "JUSTIFICATION_MIN_CHARS", "FALLBACK_ROLE", "ROLES",
    # views, models and migrations of the plugin's own
    "current_actor", "scope_for", "require", "student_or_404", "public", "audit", "BaseModel", "migrator", "run_ddl",
]
