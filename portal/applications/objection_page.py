"""What the school's and the SWV's pages show of objections and of a decision taken outside the SWV, with the
forms each side may use now (templates/applications/_objections.html); the views only pass it on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _

from portal.applications import objection_forms as forms
from portal.applications import objection_rules as rules
from portal.applications import objections, services
from portal.applications.models import Application, Objection
from portal.applications.types import DECIDERS
from portal.applications.workflow import Action, Side, Status
from portal.students.models import Guardian


@dataclass(frozen=True)
class ObjectionRow:
    objection: Objection
    filer: str  # who, in words
    terms: objections.Terms
    outcome: str  # the outcome in words, "" while open
    committee: bool


@dataclass
class ObjectionSection:
    rows: list[ObjectionRow] = field(default_factory=list)
    new_form: forms.ObjectionForm | None = None  # recording a new objection (this side may, now)
    step_forms: dict = field(default_factory=dict)  # step slug -> form, for the SWV on the open objection
    committee: bool = False
    deadline: dt.date | None = None  # the objection term of the current decision
    decider: str = ""  # who decides, when not the SWV (a record of the school)
    outcome_form: forms.OutcomeForm | None = None  # the school records the real decider's outcome

    @property
    def shown(self) -> bool:
        return bool(self.rows or self.new_form or self.outcome_form or self.decider)


def _filer(objection: Objection) -> str:
    what = {"parent": _("ouder of verzorger met gezag"), "student": _("de leerling zelf"),
            "board": _("het bevoegd gezag van de school")}.get(objection.filed_by, "")
    return f"{objection.filer_name} ({what})"


def section(application: Application, side: Side | None, *, posted_new=None, posted_step: tuple | None = None,
            posted_outcome=None) -> ObjectionSection:
    """The objections section of one application for one side; ``posted_*`` keep a refused form's input."""
    committee = objections.committee(application)
    labels = dict(forms.OUTCOME_LABELS)
    rows = [ObjectionRow(o, _filer(o), objections.terms_of(o, committee), str(labels.get(o.outcome, "")), committee)
            for o in objections.objections_of(application)]
    result = ObjectionSection(rows=rows, committee=committee)
    if not services.swv_decides(application):
        result.decider = str(DECIDERS[services.type_of(application).decider])
        if side == Side.SCHOOL and application.status == Status.CONCEPT:
            result.outcome_form = posted_outcome or forms.outcome_form(services.type_of(application), formdata=None)
        return result
    if services.type_of(application).advice_only:
        return result  # an advice, not a besluit: no objection (Awb 1:3)
    if application.decided_on:
        result.deadline = rules.objection_deadline(application.decided_on)
    offered = services.offered_actions(application, side)
    if Action.OBJECT in offered or Action.RECORD_OBJECTION in offered:
        guardians = list(Guardian.select().where(Guardian.student == application.student_id).order_by(Guardian.id))
        result.new_form = posted_new or forms.ObjectionForm(guardians, objections.objects_alone(application),
                                                            formdata=None)
    if side == Side.SWV and application.status == Status.OBJECTION and rows and not rows[-1].objection.outcome:
        result.step_forms = _step_forms(rows[-1].objection, committee, posted_step)
    return result


def _step_forms(objection: Objection, committee: bool, posted: tuple | None) -> dict:
    slugs = []
    if objection.late and objection.excusable is None:
        slugs.append("termijnoverschrijding")
    if committee and objection.committee_requested_on is None:
        slugs.append("lbt-verzoek")
    elif committee and objection.committee_advice_on is None:
        slugs.append("lbt-advies")
    if objection.extended_on is None:
        slugs.append("verdagen")
    slugs.append("beslissing")
    if posted and posted[0] not in slugs:
        slugs.insert(0, posted[0])
    return {slug: posted[1] if posted and posted[0] == slug else forms.OBJECTION_STEPS[slug](formdata=None,
                                                                                           prefix=slug)
            for slug in slugs}
