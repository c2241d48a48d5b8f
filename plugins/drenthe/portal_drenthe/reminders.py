"""The DOA VO evaluation 6 to 12 weeks after the traject entered the DOA VO phase (R-DRE-2.4-f, seed 004 §2.4)."""

from __future__ import annotations

import datetime as dt

from portal.plugin import FALLBACK_ROLE, DueItem, ReminderKind, Scope, application_link, open_phase_visits

from portal_drenthe.route import DOA_VO

EARLIEST, LATEST = 6, 12  # weeks
REQUEST = "drenthe.aanvraag_doa_vo"  # the request the evaluation follows from: its page is the item's link


def _doa_evaluations(scope: Scope):
    for visit in open_phase_visits(scope, phase_key=DOA_VO):
        due = visit.entered_on + dt.timedelta(weeks=LATEST)
        if visit.evaluation_date and visit.evaluation_date <= due:
            continue  # a planned date within the term: the core's phase evaluation reminder covers it
        yield DueItem(object_id=visit.id, due_date=due, school_id=visit.school_id, student_id=visit.student_id,
                      title=f"Evaluatie DOA VO (binnen {EARLIEST} tot {LATEST} weken) voor {visit.student_name}",
                      link=application_link(visit.student_id, REQUEST) or visit.link, roles=(FALLBACK_ROLE,))


DOA_VO_EVALUATION = ReminderKind(
    key="drenthe.doa_vo_evaluation", label="Evaluatie DOA VO na 6 tot 12 weken", items=_doa_evaluations,
    offsets=(-(LATEST - EARLIEST) * 7, -7, 1),
    recipients_label="De zorgcoördinator(en) van de school die het DOA VO aanvroeg")
