"""The plugin API: the one module a plugin imports from the portal.

It re-exports every type a hook returns or receives (see ``portal/hookspecs.py`` and ``docs/plugins.md``) and
the helpers a plugin may use. The read helpers return plain data or these documented types, never an ORM model,
so a plugin keeps working when the core changes its tables. Anything not in ``__all__`` is the core's own
business and may change without notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Callable, Protocol

from portal import policy
from portal.applications.reminders import ApplicationInfo, applications_of
from portal.applications.types import (ADVICE_TEXT, ADVISED_STEP, PROFESSIONS, AdviceNeed, ApplicationForm,
                                       ApplicationType, Assessment, DecisionField, DocumentNeed)
from portal.clock import today
from portal.bounds import PLANNING, RECORDED, DateWithin, DutchDateField, WholeNumberField
from portal.db import BaseModel
from portal.dossier.sections import Section
from portal.hookspecs import hookimpl
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

# --- what some hooks receive: core records, read-only; a plugin relies on these attributes only ----------------


class SchoolRecord(Protocol):
    """A school as ``route_for_student`` receives it."""

    id: int
    name: str
    sector: str  # "PO" or "VO"


class StudentRecord(Protocol):
    """A student as ``route_for_student`` receives it."""

    id: int
    school_id: int
    first_name: str
    last_name: str
    full_name: str
    group_id: int | None
    mentor_id: int | None


class TrajectRecord(Protocol):
    """A traject as ``after_transition`` receives it (after the transition)."""

    id: int
    student_id: int
    status: str  # a ``Status`` value
    current_phase: str | None
    cycle: int


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
    from portal.students.models import Student

    return Student.get_or_none(Student.id == student_id)


def _student_info(student) -> StudentInfo:
    return StudentInfo(id=student.id, school_id=student.school_id, full_name=student.full_name,
                       group_id=student.group_id, mentor_id=student.mentor_id, has_left=student.has_left)


def student_info(student_id: int) -> StudentInfo | None:
    """A student by id, or None. No permission check: for hooks and jobs; views use ``student_or_404``."""
    student = _student(student_id)
    return _student_info(student) if student is not None else None


def guardians(student_id: int) -> list[GuardianInfo]:
    """A student's parents and carers, by name."""
    from portal.students import services

    student = _student(student_id)
    if student is None:
        return []
    return [GuardianInfo(id=g.id, name=g.name, relation=g.relation, email=g.email, phone=g.phone,
                         has_authority=g.has_authority) for g in services.guardians_of(student)]


def traject_state(student_id: int) -> TrajectState | None:
    """The state of the student's open or latest traject (a new one on the student's route when there is none);
    None for an unknown student or when no enabled route applies."""
    from portal.route import services

    student = _student(student_id)
    return services.state_for(student)[1] if student is not None else None


def application_link(student_id: int, type_key: str) -> str | None:
    """The page of the student's latest application of this type (not withdrawn), or None."""
    from portal.applications import services

    student = _student(student_id)
    latest = services.latest_of_type(student, type_key) if student is not None else None
    return f"/aanvragen/{latest.id}" if latest is not None else None


# --- views: the policy and the audit log ------------------------------------------------------------------------


def current_actor() -> Actor:
    """Who makes the current request (``Actor.kind`` "anonymous" outside one)."""
    return policy.current()


def require(resource: str, action: str) -> str:
    """403 unless the current actor holds the feature ``(resource, action)``; returns its scope."""
    return policy.require(resource, action)


def student_or_404(student_id: int, feature: tuple[str, str] = ("student", "view")) -> StudentInfo:
    """The student if the current actor may see it for ``feature``; 403 without the feature, else 404."""
    return _student_info(policy.student_or_404(student_id, feature))


def public(view: Callable) -> Callable:
    """Mark a view as reachable without logging in (every other view is behind the login)."""
    from portal.auth.session import public as mark_public

    return mark_public(view)


def audit(action: str, object_type: str, object_id: int | None, *, kind: str, student_id: int | None = None,
          actor: Actor | None = None) -> None:
    """Record a read (``kind="read"``) or change (``"write"``) of dossier data, by the current or given actor."""
    from portal.audit import services

    services.record(action, object_type, object_id, kind=kind, student_id=student_id,
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
    "today", "DutchDateField", "DateWithin", "PLANNING", "RECORDED", "WholeNumberField", "AdviceNeed", "DocumentNeed", "DecisionField", "Assessment", "PROFESSIONS",
    "ADVISED_STEP", "ADVICE_TEXT",
    # what the hooks (and a guard's check, a kind's items) receive
    "Action", "TrajectState", "PhaseRecord", "PhaseStatus", "Status", "Scope", "Actor", "SchoolRecord",
    "StudentRecord", "TrajectRecord",
    # read helpers
    "OpenPhaseVisit", "open_phase_visits", "traject_link", "StudentInfo", "student_info", "GuardianInfo",
    "guardians", "traject_state", "application_link", "has_text", "is_real_text", "JUSTIFICATION_MIN_CHARS", "FALLBACK_ROLE", "ROLES",
    # views, models and migrations of the plugin's own
    "current_actor", "require", "student_or_404", "public", "audit", "BaseModel", "migrator", "run_ddl",
]
