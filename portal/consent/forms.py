"""Consent forms: who gave it, for what and whom, when, until when, and the signed form."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from portal.inputs import StringField, at_most
from portal import bounds, clock
from portal.bounds import DutchDateField
from portal.consent import services
from portal.idempotency import IdempotentForm
from portal.students import deciders

STUDENT = "student"


class ConsentForm(IdempotentForm, FlaskForm):
    given_by = SelectField(_l("Gegeven door"), validate_choice=False,
                           validators=[InputRequired(_l("Kies wie de toestemming gaf."))])
    purpose = SelectField(_l("Doel"), validate_choice=False, validators=[InputRequired(_l("Kies een doel."))])
    known_recipient = SelectField(_l("Bekende ontvanger"), validate_choice=False,
                                  validators=[Optional()])
    recipient = StringField(_l("Of een andere ontvanger (organisatie of persoon)"), validators=[
        at_most(200)])
    given_on = DutchDateField(_l("Gegeven op"), validators=[
        InputRequired(_l("Vul een geldige datum in.")),
        bounds.DateWithin(bounds.RECORDED, too_late=_l("De datum mag niet in de toekomst liggen."))])
    valid_until = DutchDateField(_l("Geldig tot en met (optioneel)"), validators=[
        Optional(), bounds.DateWithin(bounds.VALIDITY)])
    scan = FileField(_l("Ondertekend formulier (optioneel)"))

    def __init__(self, student, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student
        self.all_guardians = {str(g.id): g for g in services.guardians_of(student)}
        self.purpose_list = {p.key: p for p in services.purpose_list(student)}
        of_age = deciders.decides_under_education_law(student, clock.today())
        # gettext, not lazy_gettext: a lazy string counts as safe markup (``__html__``), so a
        # guardian's name inside it would reach the page unescaped. A parent with gezag is offered until the
        # student is 18 (the OPP's handelingsdeel is theirs until then); to share data from 16 only the student
        # consents (a parent posted for that is refused with the reason).
        self.given_by.choices = [] if of_age else [
            (f"guardian:{gid}", _("%(name)s (ouder/verzorger met gezag)", name=g.name))
            for gid, g in self.all_guardians.items() if g.has_authority]
        self.given_by.choices.append((STUDENT, _l("De leerling zelf")))
        self.purpose.choices = services.grouped_purposes(student)
        self.known_recipient.choices = [("", _l("— andere ontvanger, hieronder in te vullen —"))] + \
            services.recipients(student)
        if not self.is_submitted():  # a link from a refused share link names purpose and recipient
            from flask import request

            if request.args.get("doel") in self.purpose_list:
                self.purpose.data = request.args["doel"]
            if request.args.get("ontvanger") in dict(self.known_recipient.choices):
                self.known_recipient.data = request.args["ontvanger"]
        if self.given_on.data is None and not self.is_submitted():
            self.given_on.data = clock.today()

    def giver(self):
        """The chosen guardian (None: the student); KeyError for an unknown choice."""
        if self.given_by.data == STUDENT:
            return None
        kind, _sep, key = (self.given_by.data or "").partition(":")
        if kind != "guardian" or key not in self.all_guardians:
            raise KeyError(self.given_by.data)
        return self.all_guardians[key]

    def validate_given_by(self, field):
        try:
            giver = self.giver()
        except KeyError:
            raise ValidationError(_("Kies een ouder of verzorger met gezag, of de leerling zelf.")) from None
        reasons = services.giver_reasons(self.student, giver, self.given_on.data or clock.today(),
                                         self.purpose.data)
        if reasons:
            raise ValidationError(reasons[0])

    def validate_purpose(self, field):
        if field.data not in self.purpose_list:
            raise ValidationError(_("Kies een doel uit de lijst."))

    def default_recipient(self) -> str:
        purpose = self.purpose_list.get(self.purpose.data)
        return purpose.default_recipient if purpose else ""

    def validate_known_recipient(self, field):
        if field.data and field.data not in dict(field.choices):
            raise ValidationError(_("Kies een ontvanger uit de lijst, of vul hieronder een andere in."))

    def validate_recipient(self, field):
        if not self.known_recipient.data and not " ".join((field.data or "").split()) \
                and not self.default_recipient():
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
        guardian = self.giver()
        return {"given_by": "student" if guardian is None else "guardian", "guardian": guardian,
                "purpose": self.purpose.data,
                "recipient": self.known_recipient.data or " ".join((self.recipient.data or "").split())
                or self.default_recipient(),
                "given_on": self.given_on.data, "valid_until": self.valid_until.data}


class WithdrawConsentForm(FlaskForm):
    """Only the CSRF token: withdrawal needs no further input."""
