"""The read model of an application, for every viewer: the school, SWV staff, a deskundige.

One place builds what a page shows of an application; the templates format it (``_summary.html``) and do not
query. The SWV's side sees only what the school shared (``shared``): it never gets the dossier itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from portal import clock
from portal.applications import services
from portal.applications.fields import Row, data_rows, decision_rows
from portal.applications.models import Application, SharedItem
from portal.applications.types import PROFESSIONS, ApplicationType
from portal.students.models import Guardian
from portal.applications.workflow import ACTION_LABELS, STATUS_LABELS, Action, Status
from portal.consent import rules as consent
from portal.dossier.models import Attachment, Entry
from portal.notifications.reminders import student_scope
from portal.schools.models import School


@dataclass(frozen=True)
class SharedRow:
    id: int
    title: str
    what: str  # "entry" | "attachment"
    object_id: int
    need_label: str
    shared_at: dt.datetime


@dataclass(frozen=True)
class AdviceRow:
    id: int
    need: str
    need_label: str
    advisor: str
    profession: str
    due_on: dt.date
    given: bool
    conclusion: str
    text: str
    signed_name: str
    signed_at: dt.datetime | None
    advisor_user_id: int


@dataclass(frozen=True)
class StepRow:
    at: dt.datetime
    who: str
    what: str
    status: str
    reason: str


WAITING = (Status.CONCEPT, Status.SUBMITTED, Status.IN_REVIEW, Status.ADDITION_REQUESTED, Status.OBJECTION)


@dataclass(frozen=True)
class ConsentState:
    """The consent register's answer for this application (purpose: its type key, any recipient)."""

    valid: Any  # the consent that counts today, or None
    withdrawn: Any  # the latest withdrawn one when none counts, or None
    waiting: bool  # the application is still under way (a withdrawal then matters)


def consent_state(application: Application) -> ConsentState:
    consents = consent.of_student(application.student)
    valid = consent.valid_consent(application.student, application.type_key, None, consents=consents)
    withdrawn = None if valid else consent.withdrawn_consent(application.student, application.type_key, consents)
    return ConsentState(valid=valid, withdrawn=withdrawn, waiting=Status(application.status) in WAITING)


@dataclass
class ApplicationView:
    application: Application
    kind: ApplicationType
    status: str
    student_name: str
    birth_date: dt.date
    student_age: int
    school: str
    guardians: list[Guardian]
    rows: list[Row]
    shared: list[SharedRow]
    document_needs: list[tuple[str, str, bool]]  # (key, label, shared)
    advices: list[AdviceRow]
    advice_needs: list[tuple[Any, AdviceRow | None]]
    signatures: list
    history: list[StepRow]
    decision_rows: list[Row]
    assessment: Any = None
    consent: ConsentState | None = None
    extra: dict = field(default_factory=dict)
    follow_ups: list = field(default_factory=list)  # open DueItems of the type's ``follow_ups`` reminder kinds

    @property
    def id(self) -> int:
        return self.application.id

    @property
    def decided(self) -> bool:
        return self.application.decision is not None


def _shared(items: list[SharedItem], kind: ApplicationType) -> list[SharedRow]:
    entry_ids = [i.entry_id for i in items if i.entry_id]
    attachment_ids = [i.attachment_id for i in items if i.attachment_id]
    entries = {e.id: e for e in Entry.select(Entry.id, Entry.title).where(Entry.id.in_(entry_ids))} if entry_ids \
        else {}
    files = {a.id: a for a in Attachment.select(Attachment.id, Attachment.filename)
             .where(Attachment.id.in_(attachment_ids))} if attachment_ids else {}
    needs = {n.key: n.label for n in kind.documents}
    rows = []
    for item in items:
        if item.entry_id:
            rows.append(SharedRow(item.id, entries[item.entry_id].title, "entry", item.entry_id,
                                  needs.get(item.need, ""), item.shared_at))
        else:
            rows.append(SharedRow(item.id, files[item.attachment_id].filename, "attachment", item.attachment_id,
                                  needs.get(item.need, ""), item.shared_at))
    return rows


def _advices(application: Application, kind: ApplicationType) -> list[AdviceRow]:
    needs = {n.key: n.label for n in kind.advices}
    return [AdviceRow(a.id, a.need, needs.get(a.need, a.need), a.advisor.user.name,
                      PROFESSIONS.get(a.advisor.profession, a.advisor.profession), a.due_on, a.signed_at is not None,
                      services.CONCLUSIONS.get(a.conclusion, ""), a.text, a.signed_name, a.signed_at,
                      a.advisor.user_id) for a in services.advices_of(application)]


def _history(application: Application) -> list[StepRow]:
    rows = []
    for step in services.steps_of(application):
        action = Action(step.action) if step.action in Action.__members__.values() else None
        what = _(ACTION_LABELS[action]) if action else _("Aanvraag begonnen")
        who = step.by.name if step.by_id else _("het portaal")
        rows.append(StepRow(step.at, who, what, _(STATUS_LABELS[Status(step.to_status)]), step.reason))
    return rows


def _decision_rows(application: Application, kind: ApplicationType) -> list[Row]:
    values = services.decision_of(application)
    rows = decision_rows(kind, values)
    if values.get("motivation"):
        rows.append(Row(_("Motivering"), values["motivation"]))
    return rows


def view_of(application: Application) -> ApplicationView:
    """Everything a page shows of one application, in a fixed number of queries."""
    kind = services.type_of(application)
    student = application.student
    values = services.data_of(application)
    items = services.shared_of(application)
    shared = _shared(items, kind)
    advices = _advices(application, kind)
    by_need = {a.need: a for a in advices}
    shared_needs = {i.need for i in items}
    assessment = None
    if kind.assessment is not None:
        assessment = kind.assessment.compute(values, kind.assessment.criteria) if values else None
    return ApplicationView(
        application=application, kind=kind, status=_(STATUS_LABELS[Status(application.status)]),
        student_name=student.full_name, birth_date=student.birth_date,
        student_age=student.age_on(clock.today()),
        school=School.get_by_id(application.school_id).name,
        guardians=list(Guardian.select().where(Guardian.student == student.id).order_by(Guardian.id)),
        rows=data_rows(kind, values), shared=shared,
        document_needs=[(n.key, n.label, n.key in shared_needs) for n in kind.documents],
        advices=advices, advice_needs=[(n, by_need.get(n.key)) for n in kind.advices],
        signatures=services.signatures_of(application), history=_history(application),
        decision_rows=_decision_rows(application, kind), assessment=assessment,
        consent=consent_state(application), follow_ups=follow_ups(application, kind))


def follow_ups(application: Application, kind) -> list:
    """The open items of the type's reminder kinds for this student (e.g. the DOA VO evaluation), by due date."""
    from flask import current_app

    kinds = current_app.extensions["registry"].reminder_kinds
    scope = student_scope(application.student_id)
    items = [item for key in kind.follow_ups if key in kinds for item in kinds[key].items(scope)]
    return sorted(items, key=lambda item: item.due_date)


def shared_item_or_none(application: Application, item_id: int) -> SharedItem | None:
    return SharedItem.get_or_none((SharedItem.id == item_id) & (SharedItem.application == application.id))
