"""Forms of the traject page: a transition and the plan and evaluation of a phase."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from portal.inputs import LONG_TEXT, at_most
from portal import bounds
from portal.idempotency import IdempotentForm
from portal.route import engine
from portal.bounds import DutchDateField

TEXT_LIMIT = LONG_TEXT


class TransitionForm(IdempotentForm, FlaskForm):
    action = SelectField(_l("Wat wil je doen?"), validators=[InputRequired(_l("Kies wat je wilt doen."))])
    target = SelectField(_l("Naar fase (bij een vervolgoptie, overslaan of acute nood)"), validators=[Optional()])
    signal = TextAreaField(_l("Signaal (bij de start)"), validators=[at_most(TEXT_LIMIT)])
    entry = SelectField(_l("Ingang (bij de start)"), validators=[Optional()])
    reason = SelectField(_l("Reden om te stoppen"), validators=[Optional()],
                         choices=[("", "—")] + [(k, _l(v)) for k, v in engine.STOP_REASONS.items()])
    justification = TextAreaField(_l("Onderbouwing of toelichting"), validators=[at_most(TEXT_LIMIT)])

    # Which fields belong to which action: the page groups them so (and hides the others with JavaScript).
    FIELD_ACTIONS = {
        "signal": ("start",), "entry": ("start",), "target": ("advance", "skip", "escalate"), "reason": ("stop",),
        "justification": ("skip", "escalate", "stop"),
    }
    # Engine data keys and the form field each is asked in.
    _FIELD_OF = {engine.SIGNAL: "signal", engine.ENTRY: "entry", engine.TARGET: "target", engine.REASON: "reason",
                 engine.JUSTIFICATION: "justification", engine.EXPLANATION: "justification",
                 engine.ACTION: "action"}

    def place_reasons(self, reasons) -> list[str]:
        """Put each veto reason next to the field it concerns; return those about no field (guards' reasons)."""
        general = []
        for reason in reasons:
            name = self._FIELD_OF.get(getattr(reason, "field", None))
            if name:
                field = self[name]
                field.errors = [*field.errors, str(reason)]
            else:
                general.append(reason)
        return general

    def engine_data(self) -> dict:
        """The form as the engine reads it; one explanation serves skip, acute nood and stop."""
        text = (self.justification.data or "").strip()
        return {engine.SIGNAL: (self.signal.data or "").strip(), engine.JUSTIFICATION: text,
                engine.EXPLANATION: text, engine.REASON: self.reason.data or None,
                engine.ENTRY: self.entry.data or None}


class RealText:
    """A filled-in text says something (the rule of the route engine, ``plan_text_reasons``): "x" gets a Dutch
    message next to the field. A text stored before (the field's ``object_data``, see ``bounds.keep_stored``) may
    stay unchanged."""

    def __call__(self, form, field):
        if engine.plan_text_reasons({field.name: field.data}, {field.name: field.object_data}):
            raise ValidationError(_("Schrijf hier in eigen woorden wat je bedoelt: minstens twee woorden en "
                                    "%(minimum)s letters of cijfers.", minimum=engine.PLAN_TEXT_MIN_CHARS))


class PlanForm(FlaskForm):
    version = HiddenField()
    goals = TextAreaField(_l("Doelen"), validators=[at_most(TEXT_LIMIT), RealText()])
    interventions = TextAreaField(_l("Interventies en afspraken"), validators=[at_most(TEXT_LIMIT), RealText()])
    evaluation_date = DutchDateField(_l("Evaluatiedatum"), validators=[Optional(), bounds.DateWithin(bounds.PLANNING)],
                                     render_kw={"type": "date"})
    worked = TextAreaField(_l("Wat werkte"), validators=[at_most(TEXT_LIMIT), RealText()])
    not_worked = TextAreaField(_l("Wat werkte niet"), validators=[at_most(TEXT_LIMIT), RealText()])
    parent_view = TextAreaField(_l("Visie van ouders"), validators=[at_most(TEXT_LIMIT)])
    student_view = TextAreaField(_l("Visie van de leerling"), validators=[at_most(TEXT_LIMIT)])
    next_steps = TextAreaField(_l("Vervolgstappen"), validators=[at_most(TEXT_LIMIT), RealText()])

    FIELDS = ("goals", "interventions", "evaluation_date", "worked", "not_worked", "parent_view", "student_view",
              "next_steps")

    def changes(self) -> dict:
        changes = {name: (getattr(self, name).data or "").strip() for name in self.FIELDS if name != "evaluation_date"}
        return {**changes, "evaluation_date": self.evaluation_date.data}

    def evaluation_text(self) -> str:
        return "\n".join(t for t in ((self.worked.data or "").strip(), (self.not_worked.data or "").strip()) if t)
