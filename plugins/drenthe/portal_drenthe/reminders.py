"""The DOA VO evaluation 6 to 12 weeks after the traject entered the DOA VO phase (R-DRE-2.4-f, seed 004 §2.4)."""

from __future__ import annotations

import datetime as dt

from portal.notifications.reminders import (FALLBACK_ROLE, DueItem, ReminderKind, Scope, open_phase_visits,
                                            traject_link)

from portal_drenthe.route import DOA_VO

EARLIEST, LATEST = 6, 12  # weeks


def _doa_evaluations(scope: Scope):
    from portal.route.models import PhaseVisit

    for visit in open_phase_visits(scope).where(PhaseVisit.phase_key == DOA_VO):
        due = visit.entered_at.date() + dt.timedelta(weeks=LATEST)
        if visit.evaluation_date and visit.evaluation_date <= due:
            continue  # a planned date within the term: the core's phase evaluation reminder covers it
        student = visit.traject.student
        yield DueItem(object_id=visit.id, due_date=due, school_id=student.school_id, student_id=student.id,
                      title=f"Evaluatie DOA VO (binnen {EARLIEST} tot {LATEST} weken) voor {student.full_name}",
                      link=traject_link(student.id), roles=(FALLBACK_ROLE,))


DOA_VO_EVALUATION = ReminderKind(
    key="drenthe.doa_vo_evaluation", label="Evaluatie DOA VO na 6 tot 12 weken", items=_doa_evaluations,
    offsets=(-(LATEST - EARLIEST) * 7, -7, 1),
    recipients_label="De zorgcoördinator(en) van de school die het DOA VO aanvroeg")
