"""Forms of the school's side of an application: the type's own fields, sharing, signatures and the steps."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.inputs import StringField
from portal import bounds, clock
from portal.applications.types import ApplicationForm, ApplicationType
from portal.bounds import DutchDateField
from portal.meetings.forms import CheckboxesField

TEXT_LIMIT = 10_000


def page_form(kind: ApplicationType, **kwargs) -> FlaskForm:
    """The type's own fields, plus the version the form was loaded at and (if the type asks) the receiving
    school."""
    extra = {"version": HiddenField()}
    if kind.receiving_school:
        extra["receiving_school"] = StringField(_l("Ontvangende school (als die bekend is)"), validators=[
            Length(max=200, message=_l("Hooguit 200 tekens."))])
    form_class = type("ApplicationPageForm", (kind.form or ApplicationForm,), extra)
    return form_class(**kwargs)


class NewApplicationForm(FlaskForm):
    type_key = SelectField(_l("Soort aanvraag"), validators=[InputRequired(_l("Kies een soort aanvraag."))])

    def __init__(self, kinds, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_key.choices = [(k.key, k.label) for k in kinds]


class ShareForm(FlaskForm):
    items = CheckboxesField(_l("Stukken uit het dossier"), validators=[
        InputRequired(_l("Kies een of meer stukken uit het dossier."))])
    need = SelectField(_l("Hoort bij"), validators=[Optional()])

    def __init__(self, entries, attachments, kind: ApplicationType, kinds: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items.choices = ([(f"entry:{e.id}", f"{e.title} ({kinds.get(e.source_type or e.kind, '')}, "
                                                 f"{clock.show(e.created_at, 'date')})") for e in entries]
                              + [(f"attachment:{a.id}", a.filename) for a in attachments])
        self.need.choices = [("", _l("(geen bepaald stuk)"))] + [(n.key, n.label) for n in kind.documents]


class SignatureForm(FlaskForm):
    who = SelectField(_l("Wie ondertekent"), validate_choice=False,
                      validators=[InputRequired(_l("Kies wie ondertekent."))])
    signed_on = DutchDateField(_l("Datum van ondertekening"), validators=[
        InputRequired(_l("Vul de datum van ondertekening in.")), bounds.DateWithin(bounds.RECORDED)],
        render_kw={"type": "date"})
    agrees = RadioField(_l("Eens met de aanvraag?"), choices=[("ja", _l("Ja, eens")), ("nee", _l("Nee, niet eens"))],
                        default="ja", validators=[InputRequired(_l("Kies of de ondertekenaar het eens is."))])
    view = TextAreaField(_l("Mening in eigen woorden"), validators=[
        Length(max=TEXT_LIMIT, message=_l("Hooguit 10.000 tekens."))])
    scan = FileField(_l("Ondertekend formulier (optioneel)"))

    def __init__(self, guardians, student_adult: bool, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(g.id), g.name if g.has_authority else gettext("%(name)s (geen gezag)", name=g.name))
                   for g in guardians]
        if student_adult:
            choices.append(("student", _l("De leerling zelf (18 jaar of ouder)")))
        self.who.choices = choices

    def validate_who(self, field):
        # "student" for a minor is not offered; posted anyway, the service refuses it with the reason
        if field.data != "student" and field.data not in dict(field.choices):
            raise ValidationError(gettext("Kies wie ondertekent."))


class StepForm(FlaskForm):
    """One workflow step; ``reason`` is the explanation the table asks for (a question, a motivation)."""

    action = HiddenField()
    reason = TextAreaField(_l("Toelichting"), validators=[Length(max=TEXT_LIMIT, message=_l("Hooguit 10.000 tekens."))])


class PlainForm(FlaskForm):
    """A POST with nothing but its CSRF token (unsharing, starting an extension)."""
