"""Reminders about the support route: the planned evaluation date of a traject's current phase.

The generic machinery (claiming, sending, the task list) is ``portal.notifications.reminders``; this module holds
what the route knows: which phase visits are open, who leads them, and the core's reminder kind built on that.
``open_phase_visits`` hands the same reads to plugins as plain records (through ``portal.plugin``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from portal import clock
from portal.notifications.reminders import FALLBACK_ROLE, DueItem, ReminderKind, Scope
from portal.route.definition import Phase
from portal.route.models import PhaseVisit, RouteVersion, Traject
from portal.students.models import Student


def traject_link(student_id: int) -> str:
    return f"/leerlingen/{student_id}/traject"


def _open_visits(scope: Scope):
    """The current phase of every active traject, with its traject, student and route version (one query)."""
    query = (PhaseVisit.select(PhaseVisit, Traject, Student, RouteVersion)
             .join(Traject, on=(PhaseVisit.traject == Traject.id))
             .join(Student, on=(Traject.student == Student.id))
             .join_from(Traject, RouteVersion, on=(Traject.route_version == RouteVersion.id))
             .where((PhaseVisit.status == "visited") & (Traject.status == "active")
                    & (PhaseVisit.phase_key == Traject.current_phase) & (PhaseVisit.cycle == Traject.cycle)))
    return scope.limit(query, Traject.student)


def _phase_of(visit: PhaseVisit) -> Phase | None:
    """The phase definition of a visit from the registered routes, or None when its route is not enabled."""
    route = current_app.extensions["registry"].routes.get(visit.traject.route_version.route_key)
    if route is None or visit.phase_key not in route.keys:
        return None
    return route.phase(visit.phase_key)


@dataclass(frozen=True)
class OpenPhaseVisit:
    """The current phase of an active traject, as plain data (what a plugin's reminder kind reads)."""

    id: int  # the phase visit: a stable object id for a reminder
    traject_id: int
    route_key: str
    phase_key: str
    phase: Phase | None  # its definition, None when the route is no longer enabled
    cycle: int
    entered_on: dt.date  # the Europe/Amsterdam date the traject entered this phase
    evaluation_date: dt.date | None  # the planned evaluation, if any
    student_id: int
    student_name: str
    school_id: int
    mentor_id: int | None
    group_id: int | None
    link: str  # the traject page


def open_phase_visits(scope: Scope, phase_key: str | None = None) -> Iterator[OpenPhaseVisit]:
    """The open phase visits in scope (optionally of one phase), one by one: a broken row stops only the rest."""
    query = _open_visits(scope)
    if phase_key is not None:
        query = query.where(PhaseVisit.phase_key == phase_key)
    for visit in query:
        student = visit.traject.student
        yield OpenPhaseVisit(
            id=visit.id, traject_id=visit.traject_id, route_key=visit.traject.route_version.route_key,
            phase_key=visit.phase_key, phase=_phase_of(visit), cycle=visit.cycle,
            entered_on=clock.local_date(visit.entered_at),
            evaluation_date=visit.evaluation_date, student_id=student.id, student_name=student.full_name,
            school_id=student.school_id, mentor_id=student.mentor_id, group_id=student.group_id,
            link=traject_link(student.id))


def _phase_evaluations(scope: Scope) -> Iterable[DueItem]:
    for visit in _open_visits(scope).where(PhaseVisit.evaluation_date.is_null(False)):
        student = visit.traject.student
        phase = _phase_of(visit)
        mentor_leads = phase is None or "mentor" in phase.lead_roles
        yield DueItem(
            object_id=visit.id, due_date=visit.evaluation_date, school_id=student.school_id, student_id=student.id,
            title=_("Evaluatie van %(phase)s voor %(name)s", phase=phase.label if phase else visit.phase_key,
                    name=student.full_name),
            link=traject_link(student.id),
            user_ids=(student.mentor_id,) if mentor_leads and student.mentor_id else (),
            group_id=student.group_id if mentor_leads and not student.mentor_id else None,
            roles=() if mentor_leads else (FALLBACK_ROLE,))


PHASE_EVALUATION = ReminderKind(
    key="core.phase_evaluation", label="Evaluatiedatum van een fase", items=_phase_evaluations, offsets=(-7, 1),
    recipients_label="Leidt de mentor de fase: de mentor van de leerling (zonder mentor: de leerkrachten van "
                     "de groep); anders de zorgcoördinator(en) van de school. Is niemand van hen nog actief op de "
                     "school: de zorgcoördinator")
