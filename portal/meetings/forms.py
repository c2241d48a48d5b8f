"""Forms of the meetings: planning, changing, contributions, sharing, attendance and the report."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, EmailField, FieldList, Form, FormField, HiddenField, IntegerField, SelectField,
                     SelectMultipleField, TextAreaField)
from wtforms.validators import (Email, InputRequired, NumberRange, Optional, StopValidation, URL,
                                ValidationError)
from wtforms.widgets import CheckboxInput, ListWidget

from portal.inputs import StringField, at_most
from portal import bounds, clock, labels
from portal.bounds import DutchDateField, DutchTimeField
from portal.idempotency import IdempotentForm
from portal.meetings.rules import record_refusal
from portal.meetings.services import OPP_LABELS

TEXT_LIMIT = 20_000
EXTERNAL_ROWS = 3
ACTION_ROWS = 3
MAX_DAYS_AHEAD, MAX_DAYS_BACK = bounds.MEETING_DAYS_AHEAD, bounds.MEETING_DAYS_BACK
MIN_DURATION, MAX_DURATION = bounds.MEETING_MINUTES


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        valid = {str(value) for value, _label in self.choices}
        if any(str(value) not in valid for value in self.data or ()):
            raise ValidationError(_l("Maak een keuze uit de lijst."))


class LogisticsForm(FlaskForm):
    """When and where: shared by planning and changing a meeting.

    Bounded: an upcoming meeting is not in the past and at most about two years ahead; a meeting that was held
    (``held``, set by the view) is only corrected, so its new time is not in the future.
    """

    held = False

    date = DutchDateField(_l("Datum"), validators=[InputRequired(_l("Vul een datum in."))],
                          render_kw={"type": "date"})
    start = DutchTimeField(_l("Begintijd"), validators=[InputRequired(_l("Vul een begintijd in."))],
                           render_kw={"type": "time"})
    duration = IntegerField(_l("Duur (minuten)"), default=60, validators=[
        InputRequired(_l("Vul de duur in minuten in.")),
        NumberRange(MIN_DURATION, MAX_DURATION, message=_l("De duur ligt tussen 15 minuten en 8 uur (480 minuten)."))],
        render_kw={"min": MIN_DURATION, "max": MAX_DURATION})
    location = StringField(_l("Plaats"), validators=[at_most(200)])
    video_url = StringField(_l("Videolink"), validators=[
        Optional(), URL(message=_l("Vul een volledige link in, beginnend met https://.")),
        at_most(500)])

    def validate_location(self, field):
        if not (field.data or "").strip() and not (self.video_url.data or "").strip():
            raise ValidationError(_l("Vul een plaats of een videolink in."))

    def validate_date(self, field):
        if field.data is None:
            return
        today = clock.today()
        if self.held:
            if field.data > today:
                raise ValidationError(_l("Dit overleg is al gehouden: kies een datum die niet in de toekomst ligt."))
            if field.data < today - dt.timedelta(days=MAX_DAYS_BACK):
                raise ValidationError(_l("Deze datum ligt meer dan twee jaar terug."))
        else:
            if field.data < today:
                raise ValidationError(_l("Een overleg plan je niet in het verleden."))
            if field.data > today + dt.timedelta(days=MAX_DAYS_AHEAD):
                raise ValidationError(_l("Plan een overleg hooguit twee jaar vooruit."))

    def validate_start(self, field):
        if field.data is None or self.date.data is None:
            return
        now = clock.local_now()
        moment = dt.datetime.combine(self.date.data, field.data)
        if not self.held and self.date.data == clock.today() and moment < now:
            raise ValidationError(_l("Dit tijdstip is vandaag al voorbij."))
        if self.held and self.date.data == clock.today() and moment > now:
            raise ValidationError(_l("Dit overleg is al gehouden: kies een tijdstip dat niet in de toekomst ligt."))

    def logistics(self) -> dict:
        return {"date": self.date.data, "start": self.start.data, "duration": self.duration.data,
                "location": (self.location.data or "").strip(), "video_url": (self.video_url.data or "").strip()}


def _check_email(field, required: bool) -> None:
    """An address when one is needed for the invitation, and a valid one whenever given."""
    value = (field.data or "").strip()
    if not value:
        if required:
            raise ValidationError(_l("Vul een e-mailadres in voor de uitnodiging."))
        return
    Email(_l("Dit is geen geldig e-mailadres."))(None, field)


def _outside_kind_field():
    return SelectField(_l("Soort organisatie"), choices=[("", _l("— kies —"))] + list(labels.JEUGDHULP_KINDS.items()),
                       validators=[Optional()])


class ExternalForm(Form):
    """An outside professional, by name, organisation, role and e-mail address."""

    name = StringField(_l("Naam"), validators=[at_most(200)])
    organisation = StringField(_l("Organisatie"), validators=[at_most(200)])
    role = StringField(_l("Rol"), validators=[at_most(100)])
    outside_kind = _outside_kind_field()
    # Not Optional(): it stopped the chain before validate_email, so a required address was never asked for.
    email = EmailField(_l("E-mailadres"), validators=[at_most(254)])

    def validate_name(self, field):
        filled = any((f.data or "").strip() for f in (self.organisation, self.role, self.email))
        if filled and not (field.data or "").strip():
            raise ValidationError(_l("Vul de naam van deze deelnemer in."))

    def validate_email(self, field):
        _check_email(field, required=bool((self.name.data or "").strip()))

    def values(self) -> dict | None:
        name = (self.name.data or "").strip()
        return {"name": name, "organisation": (self.organisation.data or "").strip(),
                "role": (self.role.data or "").strip(), "email": (self.email.data or "").strip(),
                "outside_kind": self.outside_kind.data or ""} if name else None


class PlanForm(IdempotentForm, LogisticsForm):
    already_held = BooleanField(_l("Dit overleg is al gehouden: ik leg het achteraf vast (er gaan geen "
                                   "uitnodigingen uit)"))
    type_key = SelectField(_l("Soort overleg"), validators=[InputRequired(_l("Kies een soort overleg."))])
    chair = SelectField(_l("Voorzitter"), coerce=int, validators=[InputRequired(_l("Kies een voorzitter."))])
    minute_taker = SelectField(_l("Notulist"), coerce=int, validators=[Optional()])
    staff = CheckboxesField(_l("Medewerkers"), coerce=int)
    guardians = CheckboxesField(_l("Ouders / verzorgers"), coerce=int)
    with_student = BooleanField(_l("De leerling neemt deel"))
    externals = FieldList(FormField(ExternalForm), label=_l("Externe deelnemers"), min_entries=EXTERNAL_ROWS,
                          max_entries=20)
    agenda = TextAreaField(_l("Agenda (één punt per regel)"), validators=[
        at_most(TEXT_LIMIT)])
    session = SelectField(_l("Onderdeel van een overlegmiddag"), coerce=int, validators=[Optional()])
    new_session = StringField(_l("Of begin een nieuwe overlegmiddag met de titel"), validators=[
        at_most(200)])

    @property
    def held(self) -> bool:
        """Recording a meeting that was held: its time lies in the past, at most a few weeks back."""
        return bool(self.already_held.data)

    def validate_date(self, field):
        super().validate_date(field)
        refusal = self.held and field.data is not None and record_refusal(field.data)
        if refusal:
            raise ValidationError(refusal)

    def validate_chair(self, field):
        if not field.data:
            raise ValidationError(_l("Kies een voorzitter."))

    def agenda_items(self) -> list[str]:
        return [line.strip()[:300] for line in (self.agenda.data or "").splitlines() if line.strip()]

    def externals_values(self) -> list[dict]:
        return [v for v in (row.form.values() for row in self.externals) if v]


class ChangeForm(LogisticsForm):
    version = HiddenField()  # the meeting's version the form was opened on (portal.versioning)


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reden van de annulering"), validators=[
        InputRequired(_l("Schrijf waarom het overleg niet doorgaat.")),
        at_most(500)])
    confirm = BooleanField(_l("Ja, annuleer dit overleg en bericht alle deelnemers"), validators=[
        InputRequired(_l("Bevestig dat je het overleg wilt annuleren."))])

    def validate_reason(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Schrijf waarom het overleg niet doorgaat."))


class PlainForm(FlaskForm):
    """A button that changes something: only the CSRF token (closing an action, removing a participant)."""


class AddParticipantForm(FlaskForm):
    """One more participant after planning: someone of the school, a parent, the student or an outsider."""

    who = SelectField(_l("Wie"), validators=[InputRequired(_l("Kies wie er bij komt."))])
    name = StringField(_l("Naam"), validators=[at_most(200)])
    organisation = StringField(_l("Organisatie"), validators=[at_most(200)])
    role = StringField(_l("Rol"), validators=[at_most(100)])
    outside_kind = _outside_kind_field()
    email = EmailField(_l("E-mailadres"), validators=[at_most(254)])

    EXTERNAL = "external"

    def validate_name(self, field):
        if self.who.data == self.EXTERNAL and not (field.data or "").strip():
            raise ValidationError(_l("Vul de naam van deze deelnemer in."))

    def validate_email(self, field):
        _check_email(field, required=self.who.data == self.EXTERNAL)

    def external_values(self) -> dict:
        return {"name": (self.name.data or "").strip(), "organisation": (self.organisation.data or "").strip(),
                "role": (self.role.data or "").strip(), "email": (self.email.data or "").strip(),
                "outside_kind": self.outside_kind.data or ""}


class ContributionForm(IdempotentForm, FlaskForm):
    participant = SelectField(_l("Namens"), coerce=int, validators=[InputRequired(_l("Kies een deelnemer."))])
    agenda_item = SelectField(_l("Bij agendapunt"), coerce=int, validators=[Optional()])
    text = TextAreaField(_l("Inbreng"), validators=[at_most(TEXT_LIMIT)])
    file = FileField(_l("Bestand (optioneel)"))

    def validate_text(self, field):
        if not (field.data or "").strip() and not self.file.data:
            raise ValidationError(_l("Schrijf je inbreng of kies een bestand."))


class ShareForm(FlaskForm):
    attachments = CheckboxesField(_l("Documenten uit het dossier"), coerce=int)
    confirm_confidential = BooleanField(_l("Ik deel bewust vertrouwelijke documenten met alle deelnemers, ook met "
                                           "gasten via hun link"))


class AttendanceForm(FlaskForm):
    present = CheckboxesField(_l("Aanwezig"), coerce=int)


def _date_if_described(form, field):
    """An empty date is fine on an empty row; an action with a description needs one (like its owner)."""
    if field.raw_data and (field.raw_data[0] or "").strip():
        return
    field.errors[:] = []
    if (form.description.data or "").strip():
        raise StopValidation(_l("Vul een datum in waarop deze actie klaar is."))
    raise StopValidation()


class ActionForm(Form):
    action_id = HiddenField()
    description = StringField(_l("Actie"), validators=[at_most(2000)])
    owner = SelectField(_l("Wie"), coerce=int, validators=[Optional()])
    # Not Optional(): it stopped the chain before any check, so an action without a date was dropped silently.
    due_date = DutchDateField(_l("Uiterlijk"), validators=[_date_if_described], render_kw={"type": "date"})

    def validate_owner(self, field):
        if (self.description.data or "").strip() and not field.data:
            raise ValidationError(_l("Kies wie deze actie uitvoert."))


class ReportForm(FlaskForm):
    version = HiddenField()
    summary = TextAreaField(_l("Samenvatting"), validators=[at_most(TEXT_LIMIT)])
    parent_view = TextAreaField(_l("Visie van ouders"), validators=[at_most(TEXT_LIMIT)])
    student_view = TextAreaField(_l("Visie van de leerling"),
                                 validators=[at_most(TEXT_LIMIT)])
    decisions = TextAreaField(_l("Besluiten"), validators=[at_most(TEXT_LIMIT)])
    next_evaluation_date = DutchDateField(_l("Volgende evaluatie"), validators=[Optional()],
                                          render_kw={"type": "date"})
    opp = SelectField(_l("Ontwikkelingsperspectief (OPP)"), choices=list(OPP_LABELS.items()), default="none")
    actions = FieldList(FormField(ActionForm), label=_l("Acties"), max_entries=50)

    TEXTS = ("summary", "parent_view", "student_view", "decisions")

    def values(self) -> dict:
        values = {name: (getattr(self, name).data or "").strip() for name in self.TEXTS}
        return {**values, "next_evaluation_date": self.next_evaluation_date.data, "opp": self.opp.data}

    def action_rows(self) -> list[dict]:
        rows = []
        for row in self.actions:
            f = row.form
            rows.append({"id": int(f.action_id.data) if (f.action_id.data or "").isdigit() else None,
                         "description": (f.description.data or "").strip(), "owner": f.owner.data,
                         "due_date": f.due_date.data})
        return rows

    def validate_opp(self, field):
        if field.data not in OPP_LABELS:
            raise ValidationError(_l("Maak een keuze uit de lijst."))

    def check_dates(self, earliest: dt.date, latest: dt.date) -> bool:
        """Action due dates and the next evaluation lie between the meeting and about two years ahead."""
        ok = True
        message = _("Kies een datum tussen %(start)s en %(end)s.", start=earliest.strftime("%d-%m-%Y"),
                    end=latest.strftime("%d-%m-%Y"))
        fields = [row.form.due_date for row in self.actions if (row.form.description.data or "").strip()]
        for field in [*fields, self.next_evaluation_date]:
            if field.data is not None and not earliest <= field.data <= latest:
                field.errors = list(field.errors) + [message]
                ok = False
        return ok

    def finalise_check(self) -> bool:
        if not (self.summary.data or "").strip():
            self.summary.errors = list(self.summary.errors) + [_l("Een definitief verslag heeft een samenvatting.")]
            return False
        return True


class ShareReportForm(FlaskForm):
    pass
