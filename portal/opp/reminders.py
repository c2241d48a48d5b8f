"""Reminders and tasks of the OPP: drawn up (vastgesteld) within six weeks after the additional support started,
and evaluated with the parents at least once a school year (a year after the last such evaluation).

Both land in "mijn acties" of the school's care coordinators (the regie over the OPP) and of the student's mentor.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from portal import clock
from portal.notifications.reminders import FALLBACK_ROLE, DueItem, ReminderKind, Scope
from portal.opp import services
from portal.opp.models import Opp, OppEvaluation
from portal.students.models import Student


def link(student_id: int) -> str:
    return f"/leerlingen/{student_id}/opp"


def _running(scope: Scope) -> list[Opp]:
    today = clock.today()
    query = (Opp.select(Opp, Student).join(Student, on=(Opp.student == Student.id))
             .where((Opp.ends_on.is_null() | (Opp.ends_on >= today)) & Student.left_on.is_null()))
    return list(scope.limit(query, Opp.student))


def _item(opp: Opp, due, title: str) -> DueItem:
    student = opp.student
    return DueItem(object_id=opp.id, due_date=due, title=title, link=link(student.id), school_id=opp.school_id,
                   student_id=student.id, user_ids=(student.mentor_id,) if student.mentor_id else (),
                   roles=(FALLBACK_ROLE,))


def _to_draw_up(scope: Scope) -> Iterable[DueItem]:
    rows = _running(scope)
    answers = services.responses_by_opp([o.id for o in rows])
    for opp in rows:
        if services.status_of(opp, responses=answers.get(opp.id, [])).key == services.CONCEPT:
            yield _item(opp, services.draw_up_due(opp),
                        _("OPP van %(name)s vaststellen (zes weken na de start van de extra ondersteuning)",
                          name=opp.student.full_name))


def _to_evaluate(scope: Scope) -> Iterable[DueItem]:
    rows = _running(scope)
    evaluations: dict[int, list] = {}
    if rows:
        for e in OppEvaluation.select().where(OppEvaluation.opp.in_([o.id for o in rows])):
            evaluations.setdefault(e.opp_id, []).append(e)
    for opp in rows:
        yield _item(opp, services.evaluation_due(opp, evaluations.get(opp.id, [])),
                    _("OPP van %(name)s evalueren met de ouders (minstens eens per schooljaar)",
                      name=opp.student.full_name))


DRAW_UP = ReminderKind(
    key="core.opp_draw_up", label="OPP vaststellen", items=_to_draw_up, offsets=(-7, 1),
    recipients_label="De zorgcoördinator(en) van de school en de mentor, zolang het OPP een concept is")
EVALUATION = ReminderKind(
    key="core.opp_evaluation", label="OPP evalueren met de ouders", items=_to_evaluate, offsets=(-14, 1),
    recipients_label="De zorgcoördinator(en) van de school en de mentor, een jaar na de laatste evaluatie met de "
                     "ouders")
KINDS = [DRAW_UP, EVALUATION]
