"""Forms of an objection and of the steps the SWV takes on it, and of the outcome the school records for a
decision the SWV does not take. Every message is Dutch; the services name what the rules refuse."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Optional

from portal import bounds
from portal.inputs import LONG_TEXT, StringField, at_most
from portal.applications import objection_rules as rules
from portal.applications.types import ApplicationType

TEXT = at_most(LONG_TEXT)
LINE = at_most(200)


def _day(label, message):
    return bounds.DutchDateField(label, validators=[InputRequired(message), bounds.DateWithin(bounds.RECORDED)],
                                 render_kw={"type": "date"})


class ObjectionForm(FlaskForm):
    """An objection as it was received: who filed it, when, its grounds and, when late, why."""

    filer = SelectField(_l("Wie maakt bezwaar"), validators=[InputRequired(_l("Kies wie bezwaar maakt."))])
    board_name = StringField(_l("Naam van het schoolbestuur (als het bevoegd gezag bezwaar maakt)"),
                             validators=[Optional(), LINE])
    received_on = _day(_l("Bezwaarschrift ontvangen op"), _l("Vul in op welke dag het bezwaarschrift binnenkwam."))
    grounds = TextAreaField(_l("De gronden van het bezwaar"), validators=[TEXT])
    late_reason = TextAreaField(_l("Als het bezwaar na zes weken binnenkwam: waarom is het te laat?"),
                                validators=[TEXT])

    def __init__(self, guardians, student_of_age: bool, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if student_of_age:
            choices = [("student", gettext("De leerling zelf (18 jaar of ouder op de dag van het besluit)"))]
        else:
            choices = [(f"parent:{g.id}", g.name) for g in guardians if g.has_authority]
        self.filer.choices = [("", gettext("Kies..."))] + choices + [("board", gettext("Het bevoegd gezag van de "
                                                                                       "school"))]

    def filed_by(self) -> tuple[str, int | None]:
        value = self.filer.data or ""
        if value.startswith("parent:") and value[7:].isdigit():
            return rules.PARENT, int(value[7:])
        return (value if value in (rules.STUDENT, rules.BOARD) else ""), None

    def values(self) -> dict:
        """What ``objections.record`` takes from the form."""
        filed_by, guardian_id = self.filed_by()
        return {"filed_by": filed_by, "guardian_id": guardian_id, "board_name": self.board_name.data or "",
                "received_on": self.received_on.data, "grounds": self.grounds.data or "",
                "late_reason": self.late_reason.data or ""}


class CommitteeRequestForm(FlaskForm):
    requested_on = _day(_l("Advies gevraagd op"), _l("Vul in op welke dag het advies is gevraagd."))
    reference = StringField(_l("Kenmerk van de commissie (optioneel)"), validators=[Optional(), LINE])


class CommitteeAdviceForm(FlaskForm):
    advice_on = _day(_l("Advies ontvangen op"), _l("Vul in op welke dag het advies binnenkwam."))
    advice = TextAreaField(_l("Het advies van de commissie"), validators=[TEXT])


class LatenessForm(FlaskForm):
    excusable = RadioField(_l("Is de termijn verschoonbaar overschreden?"),
                           choices=[("ja", _l("Ja, verschoonbaar: het bezwaar wordt behandeld")),
                                    ("nee", _l("Nee, niet verschoonbaar"))],
                           validators=[InputRequired(_l("Kies of de overschrijding verschoonbaar is."))])
    reason = TextAreaField(_l("Motivering van het oordeel"), validators=[TEXT])


class PostponeForm(FlaskForm):
    reason = TextAreaField(_l("Waarom de beslissing zes weken later komt"), validators=[TEXT])


OUTCOME_CHOICES = [(rules.UPHELD, _l("Gegrond (volledig): opnieuw besluiten")),
                   (rules.PARTLY_UPHELD, _l("Deels gegrond: opnieuw besluiten")),
                   (rules.UNFOUNDED, _l("Ongegrond: het besluit blijft")),
                   (rules.INADMISSIBLE, _l("Niet-ontvankelijk: het besluit blijft"))]
OUTCOME_LABELS = dict(OUTCOME_CHOICES)


class ObjectionDecisionForm(FlaskForm):
    outcome = RadioField(_l("Beslissing op het bezwaar"), choices=OUTCOME_CHOICES,
                         validators=[InputRequired(_l("Kies de beslissing op het bezwaar.")),
                                     AnyOf([k for k, _ in OUTCOME_CHOICES], message=_l("Kies uit de lijst."))])
    motivation = TextAreaField(_l("Motivering"), validators=[TEXT])


OBJECTION_STEPS = {"lbt-verzoek": CommitteeRequestForm, "lbt-advies": CommitteeAdviceForm,
                   "termijnoverschrijding": LatenessForm, "verdagen": PostponeForm,
                   "beslissing": ObjectionDecisionForm}


class OutcomeForm(FlaskForm):
    """The outcome of a decision taken outside the SWV, as the school records it; the type's decision fields are
    added by ``outcome_form``."""

    outcome = RadioField(_l("Uitkomst"), choices=[("granted", _l("Toegestaan")), ("refused", _l("Niet toegestaan"))],
                         validators=[InputRequired(_l("Kies de uitkomst.")),
                                     AnyOf(["granted", "refused"], message=_l("Kies uit de lijst."))])
    outcome_on = _day(_l("Datum van het besluit"), _l("Vul de datum van het besluit in."))
    motivation = TextAreaField(_l("Toelichting (bij niet toegestaan: waarom niet)"), validators=[TEXT])


def outcome_form(kind: ApplicationType, **kwargs) -> OutcomeForm:
    """The outcome form with the type's decision fields of a granted decision (optional here: the services name
    what is missing)."""
    extra = {}
    for item in kind.decision_fields:
        if item.kind == "date":
            extra[item.key] = bounds.DutchDateField(item.label, validators=[Optional(), bounds.DateWithin(
                bounds.DECISION)], render_kw={"type": "date"})
        elif item.kind == "choice":
            extra[item.key] = SelectField(item.label, choices=[("", _l("Kies..."))] + list(item.choices),
                                          validators=[Optional()])
        else:
            extra[item.key] = TextAreaField(item.label, validators=[Optional(), TEXT])
    form_class = type("OutcomeForm_" + kind.key.replace(".", "_"), (OutcomeForm,), extra) if extra else OutcomeForm
    form = form_class(**kwargs)
    form.decision_keys = list(extra)
    return form
