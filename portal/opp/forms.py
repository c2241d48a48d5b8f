"""Forms of the OPP: starting one, each part (with the version it was loaded at), an answer to the handelingsdeel,
an evaluation."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.inputs import StringField
from portal import bounds, clock
from portal.bounds import DutchDateField, WholeNumberField
from portal.opp import services

TEXT_MAX = 10_000
TEXT_MESSAGE = _l("Hooguit 10.000 tekens.")


def _text(label, description=""):
    return TextAreaField(label, description=description, validators=[Length(max=TEXT_MAX, message=TEXT_MESSAGE)])


def _date(label, required=False, window=bounds.RECORDED):
    first = InputRequired(_l("Vul een geldige datum in.")) if required else Optional()
    return DutchDateField(label, validators=[first, bounds.DateWithin(window)], render_kw={"type": "date"})


class NewOppForm(FlaskForm):
    support_start = _date(_l("Start van de extra ondersteuning"), required=True, window=bounds.ENROLMENT)


class PartForm(FlaskForm):
    """A part of the OPP; ``FIELDS`` are the Opp fields it edits (the rest of the OPP stays as it is)."""

    FIELDS: tuple[str, ...] = ()
    version = HiddenField()

    def values(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}


class PerspectiveForm(PartForm):
    FIELDS = ("perspective_level", "perspective_direction", "rationale", "promoting_factors", "hindering_factors",
              "consultation_on", "consultation_with")
    perspective_level = StringField(_l("Verwacht uitstroomniveau"), description=_l(
        "Bijvoorbeeld vmbo basis, havo, praktijkonderwijs, of een uitstroomprofiel van het VSO."),
        validators=[Length(max=200, message=_l("Hooguit 200 tekens."))])
    perspective_direction = SelectField(_l("Richting"), choices=[("", _l("Kies een richting"))] + list(
        services.DIRECTIONS.items()), validate_choice=False)
    rationale = _text(_l("Onderbouwing van het uitstroomperspectief"))
    promoting_factors = _text(_l("Bevorderende factoren"), _l("Wat helpt de leerling zich te ontwikkelen?"))
    hindering_factors = _text(_l("Belemmerende factoren"), _l("Wat staat de ontwikkeling in de weg?"))
    consultation_on = _date(_l("Datum van het op overeenstemming gericht overleg met ouders"))
    consultation_with = StringField(_l("Met wie is overlegd"), description=_l(
        "Bijvoorbeeld: moeder en vader, de leerling, mentor en zorgcoördinator."),
        validators=[Length(max=300, message=_l("Hooguit 300 tekens."))])

    def validate_perspective_direction(self, field):
        if field.data and field.data not in services.DIRECTIONS:
            raise ValidationError(gettext("Kies een richting uit de lijst."))

    def validate_consultation_with(self, field):
        if self.consultation_on.data and not (field.data or "").strip():
            raise ValidationError(gettext("Vul in met wie het overleg was."))
        if (field.data or "").strip() and not self.consultation_on.data and not self.consultation_on.errors:
            raise ValidationError(gettext("Vul ook de datum van het overleg in."))


def goals_form(data=None, **kwargs):
    """One text per domain of development (services.DOMAINS)."""
    fields = {key: _text(label) for key, label in services.DOMAINS.items()}
    form_class = type("GoalsForm", (PartForm,), {**fields, "FIELDS": ("goals",),
                                                 "values": lambda self: {"goals": {k: self[k].data or ""
                                                                                   for k in services.DOMAINS}}})
    return form_class(data=data, **kwargs)


class HandelingsdeelForm(PartForm):
    FIELDS = ("no_individual_support", "support", "deviation", "otv_hours", "otv_from", "otv_until", "otv_reason")
    no_individual_support = BooleanField(_l("Het OPP zet geen individuele ondersteuning in"), description=_l(
        "Alleen als de leerling geen ondersteuning, afwijking van het programma of OTV krijgt die alleen voor hem "
        "of haar geldt; dan blijft het handelingsdeel leeg en is er geen instemming nodig."))
    support = _text(_l("Ondersteuning en begeleiding die de leerling krijgt"))
    deviation = _text(_l("Afwijking van het onderwijsprogramma (als die er is)"))
    otv_hours = WholeNumberField(_l("Onderwijstijdverkorting: uren per week minder (als die er is)"), validators=[
        Optional(), NumberRange(1, 40, message=_l("Vul een aantal uren van 1 tot en met 40 in."))],
        render_kw={"min": 1, "max": 40, "inputmode": "numeric"})
    otv_from = _date(_l("OTV van"), window=bounds.PLANNING)
    otv_until = _date(_l("OTV tot en met"), window=bounds.PLANNING)
    otv_reason = SelectField(_l("Reden van de OTV"), choices=[("", _l("Kies een reden"))] + list(
        services.OTV_REASONS.items()), validate_choice=False)

    def validate_otv_reason(self, field):
        if field.data and field.data not in services.OTV_REASONS:
            raise ValidationError(gettext("Kies een reden uit de lijst."))
        if self.otv_hours.data and not field.data:
            raise ValidationError(gettext("Kies de reden van de onderwijstijdverkorting."))

    def validate_otv_until(self, field):
        if self.otv_hours.data and (not self.otv_from.data or not field.data):
            raise ValidationError(gettext("Vul de periode van de onderwijstijdverkorting in (van en tot en met)."))
        if field.data and self.otv_from.data and field.data < self.otv_from.data:
            raise ValidationError(gettext("Deze datum ligt vóór het begin van de onderwijstijdverkorting."))


class RegistrationForm(PartForm):
    FIELDS = ("support_start", "ends_on", "rod_registered_on", "rod_deregistered_on")
    support_start = _date(_l("Start van de extra ondersteuning"), required=True, window=bounds.ENROLMENT)
    ends_on = _date(_l("Einde van het OPP (als het afloopt)"), window=bounds.ENROLMENT)
    rod_registered_on = _date(_l("Aangemeld in het ROD op"))
    rod_deregistered_on = _date(_l("Afgemeld in het ROD op"))

    def validate_ends_on(self, field):
        if field.data and self.support_start.data and field.data < self.support_start.data:
            raise ValidationError(gettext("Het einde ligt vóór de start van de extra ondersteuning."))

    def validate_rod_deregistered_on(self, field):
        if field.data and not self.rod_registered_on.data:
            raise ValidationError(gettext("Een OPP wordt pas afgemeld in het ROD als het is aangemeld."))
        if field.data and self.rod_registered_on.data and field.data < self.rod_registered_on.data:
            raise ValidationError(gettext("De afmelding ligt vóór de aanmelding."))


STUDENT = "student"


class ResponseForm(FlaskForm):
    who = SelectField(_l("Wie"), validate_choice=False, validators=[InputRequired(_l("Kies wie het is."))])
    given_on = _date(_l("Datum"), required=True)
    agrees = RadioField(_l("Stemt in met het handelingsdeel?"), choices=[
        ("ja", _l("Ja, stemt in")), ("nee", _l("Nee, is het niet eens"))], default="ja",
        validators=[InputRequired(_l("Kies of er instemming is."))])
    view = _text(_l("Mening in eigen woorden"), _l("Verplicht als de ouder of de leerling het niet eens is."))
    scan = FileField(_l("Ondertekend formulier (optioneel)"))

    def __init__(self, guardians, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # gettext, not lazy: a guardian's name inside a lazy string would count as safe markup
        self.who.choices = [(str(g.id), g.name if g.has_authority else gettext("%(name)s (geen gezag)", name=g.name))
                            for g in guardians] + [(STUDENT, gettext("De leerling zelf"))]
        if self.given_on.data is None and not self.is_submitted():
            self.given_on.data = clock.today()

    def validate_who(self, field):
        if field.data not in dict(self.who.choices):
            raise ValidationError(gettext("Kies een ouder of verzorger, of de leerling zelf."))

    def guardian_id(self) -> int | None:
        return None if self.who.data == STUDENT else int(self.who.data)


class EvaluationForm(FlaskForm):
    held_on = _date(_l("Datum van de evaluatie"), required=True)
    with_whom = StringField(_l("Met wie"), validators=[InputRequired(_l("Vul in met wie is geëvalueerd.")),
                                                       Length(max=300, message=_l("Hooguit 300 tekens."))])
    with_parents = BooleanField(_l("Met de ouders geëvalueerd"))
    outcome = TextAreaField(_l("Uitkomst"), validators=[InputRequired(_l("Schrijf de uitkomst van de evaluatie op.")),
                                                       Length(max=TEXT_MAX, message=TEXT_MESSAGE)])

    def validate_held_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(gettext("Een evaluatie legt u vast als die geweest is; de datum ligt in de "
                                          "toekomst."))
