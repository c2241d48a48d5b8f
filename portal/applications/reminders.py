"""Reminders and tasks of applications: a late advice, an addition the school owes, the objection term, a TLV
that ends within three months; and the daily job that lets an ended period expire.

Each kind lists open items from the data (``portal.notifications.reminders`` claims and sends them); each lands in
"mijn acties" of whoever must act: the deskundige for an advice, the school's care coordinators otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import peewee as pw
from flask_babel import gettext as _

from portal import clock, policy
from portal.applications import services
from portal.applications.models import Advice, Advisor, Application, ApplicationStep, Objection
from portal.applications.services import data_of, decision_of, type_label, type_of, types
from portal.applications.types import SWV
from portal.applications.types import ENDING_NOTICE_DAYS
from portal.applications import objection_rules
from portal.applications.workflow import OBJECTION_DAYS, Action, Status
from portal.notifications.reminders import FALLBACK_ROLE, DueItem, ReminderKind, Scope
from portal.auth.models import Membership
from portal.students.models import Student

ADDITION_DAYS = 14  # the school's term for an addition the SWV asked for
SWV_ROLE = "swv"
TAKE_UP_DAYS = 7  # the portal's default: a submitted application is taken up within a week


def _label(application: Application) -> str:
    return type_label(application.type_key)


def school_link(application_id: int) -> str:
    return f"/aanvragen/{application_id}"


def _late_advices(scope: Scope) -> Iterable[DueItem]:
    query = (Advice.select(Advice, Advisor, Application, Student).join(Advisor)
             .join_from(Advice, Application).join(Student, on=(Application.student == Student.id))
             .where(Advice.signed_at.is_null() & Application.status.in_([Status.IN_REVIEW, Status.OBJECTION])))
    if not scope.whole_install:
        query = query.where(Advisor.user == scope.user_id)  # only the deskundige's own advices in a task list
    for advice in query:
        application = advice.application
        yield DueItem(object_id=advice.id, due_date=advice.due_on, school_id=None, student_id=None,
                      title=_("Advies over %(kind)s voor %(name)s", kind=_label(application),
                              name=application.student.full_name),
                      link=f"/advies/{advice.id}", user_ids=(advice.advisor.user_id,))


def _last_steps(rows: list[Application], actions) -> dict[int, dt.date]:
    """The local day of each application's latest step among ``actions`` (one query for all rows)."""
    latest: dict[int, dt.datetime] = {}
    if rows:
        for step in (ApplicationStep.select(ApplicationStep.application, ApplicationStep.at)
                     .where(ApplicationStep.application.in_([a.id for a in rows])
                            & ApplicationStep.action.in_(list(actions)))):
            latest[step.application_id] = max(step.at, latest.get(step.application_id, step.at))
    return {application_id: clock.local_date(at) for application_id, at in latest.items()}


def _waiting_additions(scope: Scope) -> Iterable[DueItem]:
    query = scope.limit(Application.select(Application, Student).join(Student, on=(Application.student == Student.id))
                        .where(Application.status == Status.ADDITION_REQUESTED), Application.student)
    rows = list(query)
    asked = _last_steps(rows, [Action.REQUEST_ADDITION])
    for application in rows:
        asked_on = asked.get(application.id) or clock.local_date(application.updated_at)
        yield DueItem(object_id=application.id, due_date=asked_on + dt.timedelta(days=ADDITION_DAYS),
                      school_id=application.school_id, student_id=application.student_id,
                      title=_("Aanvulling op %(kind)s voor %(name)s", kind=_label(application),
                              name=application.student.full_name),
                      link=school_link(application.id), user_ids=(application.created_by_id,),
                      roles=(FALLBACK_ROLE,))


def _swv_decided_keys() -> list[str]:
    """The types whose decision the SWV takes (only these have an objection term with the SWV)."""
    return [key for key, kind in types().items() if kind.decider == SWV and not kind.advice_only]


def _objection_terms(scope: Scope) -> Iterable[DueItem]:
    today = clock.today()
    query = scope.limit(Application.select(Application, Student).join(Student, on=(Application.student == Student.id))
                        .where(Application.status.in_([Status.GRANTED, Status.REFUSED])
                               & Application.type_key.in_(_swv_decided_keys())
                               & (Application.decided_on >= today - dt.timedelta(days=OBJECTION_DAYS + 7))),
                        Application.student)
    for application in query:  # a term that ends on a weekend or holiday runs on (Atw): a few days more
        if objection_rules.objection_deadline(application.decided_on) < today:
            continue
        yield DueItem(object_id=application.id,
                      due_date=objection_rules.objection_deadline(application.decided_on),
                      school_id=application.school_id, student_id=application.student_id,
                      title=_("Bezwaartermijn van het besluit over %(kind)s voor %(name)s", kind=_label(application),
                              name=application.student.full_name),
                      link=school_link(application.id), roles=(FALLBACK_ROLE,))


def _ending(scope: Scope) -> Iterable[DueItem]:
    """A granted period that ends within the type's notice (``ending_notice_days``) and has no extension yet."""
    today = clock.today()
    notice = {key: kind.ending_notice_days for key, kind in types().items() if kind.ending_notice_days}
    if not notice:
        return
    # Correlated, so each candidate probes the index on previous_id (an IN list would scan the install's rows).
    follower = Application.alias()
    followed = pw.fn.EXISTS(follower.select(follower.id).where((follower.previous == Application.id)
                                                               & (follower.status != Status.WITHDRAWN)))
    query = scope.limit(Application.select(Application, Student).join(Student, on=(Application.student == Student.id))
                        .where((Application.status == Status.GRANTED) & (Application.ends_on >= today)
                               & (Application.ends_on <= today + dt.timedelta(days=max(notice.values())))
                               & Application.type_key.in_(list(notice)) & ~followed),
                        Application.student)
    for application in query:
        if application.ends_on > today + dt.timedelta(days=notice[application.type_key]):
            continue
        yield DueItem(object_id=application.id, due_date=application.ends_on, school_id=application.school_id,
                      student_id=application.student_id,
                      title=_("%(kind)s van %(name)s loopt af: vraag op tijd een verlenging aan",
                              kind=_label(application), name=application.student.full_name),
                      link=school_link(application.id), roles=(FALLBACK_ROLE,))


def _not_swv_staff(scope: Scope) -> bool:
    return not scope.whole_install and not Membership.select().where(
        (Membership.user == scope.user_id) & (Membership.role == SWV_ROLE) & Membership.active).exists()


def _for_the_swv(scope: Scope) -> Iterable[DueItem]:
    """What waits for the SWV: a submitted application to take up (an objection: ``_objection_steps``)."""
    if _not_swv_staff(scope):
        return
    waiting = (Application.select(Application, Student).join(Student, on=(Application.student == Student.id))
               .where(Application.status == Status.SUBMITTED))
    if scope.most is not None:  # a task list: the longest waiting first (index status, submitted_at)
        waiting = waiting.order_by(Application.submitted_at, Application.id).limit(scope.most)
    rows = list(waiting)
    since = _last_steps(rows, [Action.SUBMIT])
    for application in rows:
        start = since.get(application.id) or clock.local_date(application.submitted_at)
        due = start + dt.timedelta(days=TAKE_UP_DAYS)
        names = {"kind": _label(application), "name": application.student.full_name}
        title = _("%(kind)s van %(name)s in behandeling nemen", **names)
        yield DueItem(object_id=application.id, due_date=due, school_id=application.school_id,
                      student_id=application.student_id, title=title,
                      link=f"/swv/aanvragen/{application.id}",
                      user_ids=(application.handler_id,) if application.handler_id else (), roles=(SWV_ROLE,))


def _objection_steps(scope: Scope) -> Iterable[DueItem]:
    """Each step the SWV owes on an open objection, by its term: a late one judged (within two weeks), the
    LBT's advice asked (within two weeks of receipt, where the type needs it), the decision (Awb 7:10)."""
    if _not_swv_staff(scope):
        return
    rows = (Objection.select(Objection, Application, Student).join(Application)
            .join(Student, on=(Application.student == Student.id))
            .where((Objection.outcome == "") & (Application.status == Status.OBJECTION)))
    for objection in rows:
        application = objection.application
        committee = type_of(application).objection_committee
        names = {"kind": _label(application), "name": application.student.full_name}
        soon = objection_rules.committee_request_due(objection.received_on)
        steps = []
        if objection.late and objection.excusable is None:
            steps.append(("late", soon, _("Te laat bezwaar over %(kind)s van %(name)s beoordelen", **names)))
        if committee and objection.committee_requested_on is None:
            steps.append(("lbt", soon, _("Advies van de LBT vragen over het bezwaar over %(kind)s van %(name)s",
                                         **names)))
        due = objection_rules.decision_due(objection.decision_on, objection.received_on, committee=committee,
                                           extended=objection.extended_on is not None)
        steps.append(("decision", due, _("Besluit op het bezwaar over %(kind)s van %(name)s", **names)))
        for key, day, title in steps:
            yield DueItem(object_id=f"{objection.id}-{key}", due_date=day, school_id=application.school_id,
                          student_id=application.student_id, title=title, link=f"/swv/aanvragen/{application.id}",
                          user_ids=(application.handler_id,) if application.handler_id else (), roles=(SWV_ROLE,))


@dataclass(frozen=True)
class ApplicationInfo:
    """An application as a plugin's reminder kind reads it (plain data; ``data`` and ``decision`` as stored)."""

    id: int
    type_key: str
    status: str
    student_id: int
    school_id: int
    student_name: str
    data: dict
    decision: dict
    decided_on: dt.date | None
    link: str


def applications_of(scope: Scope, type_keys: Iterable[str], statuses: Iterable[str]) -> list[ApplicationInfo]:
    """The applications of these types in these statuses that the scope covers (for a plugin's reminders)."""
    query = scope.limit(Application.select(Application, Student).join(Student, on=(Application.student == Student.id))
                        .where(Application.type_key.in_(list(type_keys)) & Application.status.in_(list(statuses))),
                        Application.student)
    return [ApplicationInfo(id=a.id, type_key=a.type_key, status=a.status, student_id=a.student_id,
                            school_id=a.school_id, student_name=a.student.full_name, data=data_of(a),
                            decision=decision_of(a), decided_on=a.decided_on, link=school_link(a.id))
            for a in query]


ADVICE_LATE = ReminderKind(
    key="core.application_advice", label="Advies van een deskundige", items=_late_advices, offsets=(-3, 1),
    recipients_label="De deskundige die om het advies is gevraagd")
ADDITION = ReminderKind(
    key="core.application_addition", label="Aanvulling op een aanvraag", items=_waiting_additions, offsets=(-4, 1),
    recipients_label="Wie de aanvraag begon, en de zorgcoördinator(en) van de school")
OBJECTION_TERM = ReminderKind(
    key="core.application_objection", label="Bezwaartermijn van een besluit", items=_objection_terms, offsets=(-7,),
    recipients_label="De zorgcoördinator(en) van de school, één keer, een week voor het einde van de termijn")
ENDING = ReminderKind(
    key="core.application_ending", label="Toegekende periode loopt af (TLV, OTV)", items=_ending,
    offsets=(-ENDING_NOTICE_DAYS, -14),
    recipients_label="De zorgcoördinator(en) van de school: drie maanden voor de einddatum (een OTV: twee weken)")
FOR_THE_SWV = ReminderKind(
    key="core.application_swv", label="Aanvraag of bezwaar voor het samenwerkingsverband", items=_for_the_swv,
    offsets=(1,), recipients_label="De SWV-medewerkers (en wie de aanvraag behandelt), als een ingediende aanvraag "
                                   "na een week niet in behandeling is",
    overview="desk.queue_page")
OBJECTION_STEPS = ReminderKind(
    key="core.application_objection_steps", label="Stappen op een bezwaar", items=_objection_steps, offsets=(-3, 1),
    recipients_label="De SWV-medewerkers (en wie de aanvraag behandelt): drie dagen voor en een dag na de termijn "
                     "om een te laat bezwaar te beoordelen, het advies van de LBT te vragen en op het bezwaar te "
                     "beslissen")
KINDS = [ADVICE_LATE, ADDITION, OBJECTION_TERM, ENDING, FOR_THE_SWV, OBJECTION_STEPS]


def expire_ended(today: dt.date | None = None) -> int:
    """Let every granted period that has ended expire (the portal's own step, audited as the system)."""
    today = today or clock.today()
    expired = 0
    for application in Application.select().where((Application.status == Status.GRANTED)
                                                   & (Application.ends_on < today)):
        try:
            services.act(application, Action.EXPIRE, {}, actor=policy.SYSTEM)
        except services.Refused:
            continue  # one application that cannot expire never stops the others
        expired += 1
    return expired
