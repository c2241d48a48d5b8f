"""Consent forms: who gave it, for what and whom, when, until when, and the signed form."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal import bounds, clock
from portal.bounds import DutchDateField
from portal.consent import services
from portal.idempotency import IdempotentForm

STUDENT = "student"


class ConsentForm(IdempotentForm, FlaskForm):
    given_by = SelectField(_l("Gegeven door"), validate_choice=False,
                           validators=[InputRequired(_l("Kies wie de toestemming gaf."))])
    purpose = SelectField(_l("Doel"), validate_choice=False, validators=[InputRequired(_l("Kies een doel."))])
    known_recipient = SelectField(_l("Ontvanger uit een overleg van de leerling"), validate_choice=False,
                                  validators=[Optional()])
    recipient = StringField(_l("Of een andere ontvanger (organisatie)"), validators=[
        Length(max=200, message=_l("Hooguit 200 tekens."))])
    given_on = DutchDateField(_l("Gegeven op"), validators=[
        InputRequired(_l("Vul een geldige datum in.")),
        bounds.DateWithin(bounds.RECORDED, too_late=_l("De datum mag niet in de toekomst liggen."))])
    valid_until = DutchDateField(_l("Geldig tot en met (optioneel)"), validators=[
        Optional(), bounds.DateWithin(bounds.VALIDITY)])
    scan = FileField(_l("Ondertekend formulier (optioneel)"))

    def __init__(self, student, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student
        self.guardians = {str(g.id): g for g in services.authorised_guardians(student)}
        # Issue 8 item 8: gettext, not lazy_gettext: a lazy string counts as safe markup (``__html__``), so a
        # guardian's name inside it would reach the page unescaped.
        self.given_by.choices = [(f"guardian:{gid}", _("%(name)s (ouder/verzorger met gezag)", name=g.name))
                                 for gid, g in self.guardians.items()]
        self.given_by.choices.append((STUDENT, _l("De leerling zelf (16 jaar of ouder)")))
        self.purpose.choices = services.purposes(student)
        self.known_recipient.choices = [("", _l("— andere ontvanger, hieronder in te vullen —"))] + \
            services.recipients(student)
        if not self.is_submitted():  # a link from a refused share link names purpose and recipient
            from flask import request

            if request.args.get("doel") in dict(self.purpose.choices):
                self.purpose.data = request.args["doel"]
            if request.args.get("ontvanger") in dict(self.known_recipient.choices):
                self.known_recipient.data = request.args["ontvanger"]
        if self.given_on.data is None and not self.is_submitted():
            self.given_on.data = clock.today()

    def validate_given_by(self, field):
        if field.data not in dict(self.given_by.choices):
            raise ValidationError(_("Kies een ouder of verzorger met gezag, of de leerling zelf."))
        if field.data == STUDENT:
            day = self.given_on.data or clock.today()
            if self.student.age_on(day) < services.MIN_AGE_OWN_CONSENT:
                raise ValidationError(_("De leerling is op die datum jonger dan 16 jaar: een ouder of verzorger met "
                                    "gezag moet toestemming geven."))

    def validate_purpose(self, field):
        if field.data not in dict(self.purpose.choices):
            raise ValidationError(_("Kies een doel uit de lijst."))

    def validate_known_recipient(self, field):
        if field.data and field.data not in dict(field.choices):
            raise ValidationError(_("Kies een ontvanger uit de lijst, of vul hieronder een andere in."))

    def validate_recipient(self, field):
        if not self.known_recipient.data and not " ".join((field.data or "").split()):
            raise ValidationError(_("Kies de organisatie die de gegevens mag ontvangen, of vul er een in."))
        if self.known_recipient.data and (field.data or "").strip() and \
                " ".join(field.data.split()).casefold() != self.known_recipient.data.casefold():
            raise ValidationError(_("Kies één ontvanger: uit de lijst of een andere, niet allebei."))

    def validate_given_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(_("De datum mag niet in de toekomst liggen."))

    def validate_valid_until(self, field):
        if field.data and self.given_on.data and field.data < self.given_on.data:
            raise ValidationError(_("Deze datum ligt vóór de datum waarop de toestemming is gegeven."))

    def values(self) -> dict:
        by_student = self.given_by.data == STUDENT
        guardian = None if by_student else self.guardians[self.given_by.data.split(":", 1)[1]]
        return {"given_by": "student" if by_student else "guardian", "guardian": guardian,
                "purpose": self.purpose.data,
                "recipient": self.known_recipient.data or " ".join((self.recipient.data or "").split()),
                "given_on": self.given_on.data, "valid_until": self.valid_until.data}


class WithdrawConsentForm(FlaskForm):
    """Only the CSRF token: withdrawal needs no further input."""
