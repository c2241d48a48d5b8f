"""Forms of the SWV's desk: workflow steps with their reasons and decision fields, assigning a deskundige, the
deskundige's own advice, and the SWV administrator's deskundigen and letter details. Every message is Dutch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional

from portal.inputs import StringField
from portal import bounds
from portal.applications.types import PROFESSIONS, ApplicationType

TEXT_MAX = 5000
LONG = Length(max=TEXT_MAX, message=_l("Gebruik hoogstens 5000 tekens."))
LINE = Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))
ADDRESS = Length(max=300, message=_l("Gebruik hoogstens 300 tekens."))


class StepForm(FlaskForm):
    """One workflow step of the SWV; the decision fields of the type are added by ``step_form``."""

    question = TextAreaField(_l("Uw vraag aan de school"), validators=[Optional(), LONG])
    motivation = TextAreaField(_l("Motivering"), validators=[Optional(), LONG])


def step_form(kind: ApplicationType | None, action: str, **kwargs) -> StepForm:
    """The step form for ``action`` with the decision fields the type asks for that decision (all optional in
    the form: the services name what is missing, every reason at once)."""
    decision = {"grant": "granted", "refuse": "refused"}.get(action)
    extra = {}
    for item in (kind.decision_fields if kind and decision else ()):
        if decision not in item.when:
            continue
        if item.kind == "date":
            extra[item.key] = bounds.DutchDateField(item.label, validators=[
                Optional(), bounds.DateWithin(bounds.DECISION)])
        elif item.kind == "choice":
            extra[item.key] = SelectField(item.label, choices=[("", _l("Kies..."))] + list(item.choices),
                                          validators=[Optional(), AnyOf([k for k, _ in item.choices],
                                                                        message=_l("Kies uit de lijst."))])
        else:
            extra[item.key] = TextAreaField(item.label, validators=[Optional(), LONG])
    form_class = type(f"StepForm_{action}", (StepForm,), extra) if extra else StepForm
    form = form_class(prefix=action, **kwargs)
    form.action = action
    form.decision_keys = list(extra)
    return form


class AssignForm(FlaskForm):
    """Asking one deskundige for one AdviceNeed; the page has one per need (prefixed with the need's key)."""

    advisor = SelectField(_l("Deskundige"), coerce=str, validate_choice=False,
                          validators=[DataRequired(_l("Kies een deskundige."))])
    due_on = bounds.DutchDateField(_l("Advies uiterlijk op"), validators=[
        Optional(), bounds.DateWithin(bounds.PLANNING)])


CONCLUSION_CHOICES = [("toelaatbaar", _l("toelaatbaar")), ("niet_toelaatbaar", _l("niet toelaatbaar"))]


class AdviceForm(FlaskForm):
    conclusion = RadioField(_l("Conclusie"), choices=CONCLUSION_CHOICES, validate_choice=False,
                            validators=[DataRequired(_l("Kies de conclusie van uw advies.")),
                                        AnyOf([k for k, _ in CONCLUSION_CHOICES],
                                              message=_l("Kies de conclusie van uw advies."))])
    text = TextAreaField(_l("Uw schriftelijke advies"), validators=[DataRequired(_l("Schrijf uw advies uit.")),
                                                                    Length(max=20000, message=_l(
                                                                        "Gebruik hoogstens 20000 tekens."))])
    signed_name = StringField(_l("Ondertekend door (uw naam)"),
                              validators=[DataRequired(_l("Onderteken met uw eigen naam.")), LINE])


class AdvisorForm(FlaskForm):
    user = SelectField(_l("Account"), coerce=str, validate_choice=False,
                       validators=[DataRequired(_l("Kies een account met de rol deskundige."))])
    profession = SelectField(_l("Beroep"), choices=[("", _l("Kies een beroep"))] + list(PROFESSIONS.items()),
                             validate_choice=False,
                             validators=[DataRequired(_l("Kies een beroep.")),
                                         AnyOf(list(PROFESSIONS), message=_l("Kies een beroep uit de lijst."))])
    organisation = StringField(_l("Organisatie"), validators=[Optional(), LINE])
    active = BooleanField(_l("Actief (kan om advies worden gevraagd)"), default=True)


class SettingsForm(FlaskForm):
    name = StringField(_l("Naam van het samenwerkingsverband"),
                       validators=[DataRequired(_l("Vul de naam van het samenwerkingsverband in.")), LINE])
    address = TextAreaField(_l("Adres"), validators=[DataRequired(_l("Vul het adres in.")), ADDRESS])
    objection_address = TextAreaField(_l("Adres voor bezwaarschriften"),
                                      validators=[DataRequired(_l("Vul in waar een bezwaar heen gaat.")), ADDRESS])
    signatory = StringField(_l("Ondertekenaar"), validators=[DataRequired(_l("Vul de naam van de ondertekenaar in.")),
                                                              LINE])
    signatory_role = StringField(_l("Functie van de ondertekenaar"), validators=[Optional(), LINE])
    email = EmailField(_l("E-mailadres"), filters=[lambda v: v.strip().lower() if v else v],
                       validators=[Optional(), Email(_l("Dit is geen geldig e-mailadres.")),
                                   Length(max=254, message=_l("Gebruik hoogstens 254 tekens."))])


class ConfirmForm(FlaskForm):
    """A POST with nothing but its CSRF token (sending the letter)."""
