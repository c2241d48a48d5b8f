"""Forms of the meetings: planning, changing, contributions, sharing, attendance and the report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, EmailField, FieldList, Form, FormField, HiddenField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, TimeField)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, URL, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.meetings.models import OPP_CHOICES
from portal.students.forms import DutchDateField

TEXT_LIMIT = 20_000
EXTERNAL_ROWS = 3
ACTION_ROWS = 3
OPP_LABELS = dict(zip(OPP_CHOICES, (_l("Geen OPP nodig"), _l("OPP opstellen"), _l("OPP bijstellen"))))


class DutchTimeField(TimeField):
    """A time field whose parse error is Dutch."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Vul een geldige tijd in (uu:mm).")) from exc


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        valid = {str(value) for value, _label in self.choices}
        if any(str(value) not in valid for value in self.data or ()):
            raise ValidationError(_l("Maak een keuze uit de lijst."))


class LogisticsForm(FlaskForm):
    """When and where: shared by planning and changing a meeting."""

    date = DutchDateField(_l("Datum"), validators=[InputRequired(_l("Vul een datum in."))],
                          render_kw={"type": "date"})
    start = DutchTimeField(_l("Begintijd"), validators=[InputRequired(_l("Vul een begintijd in."))],
                           render_kw={"type": "time"})
    duration = IntegerField(_l("Duur (minuten)"), default=60, validators=[
        InputRequired(_l("Vul de duur in minuten in.")),
        NumberRange(5, 600, message=_l("De duur ligt tussen 5 en 600 minuten."))])
    location = StringField(_l("Plaats"), validators=[Length(max=200, message=_l("Hooguit 200 tekens."))])
    video_url = StringField(_l("Videolink"), validators=[
        Optional(), URL(message=_l("Vul een volledige link in, beginnend met https://.")),
        Length(max=500, message=_l("Hooguit 500 tekens."))])

    def validate_location(self, field):
        if not (field.data or "").strip() and not (self.video_url.data or "").strip():
            raise ValidationError(_l("Vul een plaats of een videolink in."))

    def logistics(self) -> dict:
        return {"date": self.date.data, "start": self.start.data, "duration": self.duration.data,
                "location": (self.location.data or "").strip(), "video_url": (self.video_url.data or "").strip()}


class ExternalForm(Form):
    """An outside professional, by name, organisation, role and e-mail address."""

    name = StringField(_l("Naam"), validators=[Length(max=200, message=_l("Hooguit 200 tekens."))])
    organisation = StringField(_l("Organisatie"), validators=[Length(max=200, message=_l("Hooguit 200 tekens."))])
    role = StringField(_l("Rol"), validators=[Length(max=100, message=_l("Hooguit 100 tekens."))])
    email = EmailField(_l("E-mailadres"), validators=[
        Optional(), Email(_l("Dit is geen geldig e-mailadres.")), Length(max=254)])

    def validate_name(self, field):
        filled = any((f.data or "").strip() for f in (self.organisation, self.role, self.email))
        if filled and not (field.data or "").strip():
            raise ValidationError(_l("Vul de naam van deze deelnemer in."))

    def validate_email(self, field):
        if (self.name.data or "").strip() and not (field.data or "").strip():
            raise ValidationError(_l("Vul een e-mailadres in voor de uitnodiging."))

    def values(self) -> dict | None:
        name = (self.name.data or "").strip()
        return {"name": name, "organisation": (self.organisation.data or "").strip(),
                "role": (self.role.data or "").strip(), "email": (self.email.data or "").strip()} if name else None


class PlanForm(LogisticsForm):
    type_key = SelectField(_l("Soort overleg"), validators=[InputRequired(_l("Kies een soort overleg."))])
    chair = SelectField(_l("Voorzitter"), coerce=int, validators=[InputRequired(_l("Kies een voorzitter."))])
    minute_taker = SelectField(_l("Notulist"), coerce=int, validators=[Optional()])
    staff = CheckboxesField(_l("Medewerkers"), coerce=int)
    guardians = CheckboxesField(_l("Ouders / verzorgers"), coerce=int)
    with_student = BooleanField(_l("De leerling neemt deel"))
    externals = FieldList(FormField(ExternalForm), label=_l("Externe deelnemers"), min_entries=EXTERNAL_ROWS,
                          max_entries=20)
    agenda = TextAreaField(_l("Agenda (één punt per regel)"), validators=[
        Length(max=TEXT_LIMIT, message=_l("De agenda is te lang."))])
    session = SelectField(_l("Onderdeel van een overlegmiddag"), coerce=int, validators=[Optional()])
    new_session = StringField(_l("Of begin een nieuwe overlegmiddag met de titel"), validators=[
        Length(max=200, message=_l("Hooguit 200 tekens."))])

    def validate_chair(self, field):
        if not field.data:
            raise ValidationError(_l("Kies een voorzitter."))

    def agenda_items(self) -> list[str]:
        return [line.strip()[:300] for line in (self.agenda.data or "").splitlines() if line.strip()]

    def externals_values(self) -> list[dict]:
        return [v for v in (row.form.values() for row in self.externals) if v]


class ChangeForm(LogisticsForm):
    pass


class CancelForm(FlaskForm):
    pass


class ContributionForm(FlaskForm):
    participant = SelectField(_l("Namens"), coerce=int, validators=[InputRequired(_l("Kies een deelnemer."))])
    agenda_item = SelectField(_l("Bij agendapunt"), coerce=int, validators=[Optional()])
    text = TextAreaField(_l("Inbreng"), validators=[Length(max=TEXT_LIMIT, message=_l("De tekst is te lang."))])
    file = FileField(_l("Bestand (optioneel)"))

    def validate_text(self, field):
        if not (field.data or "").strip() and not self.file.data:
            raise ValidationError(_l("Schrijf je inbreng of kies een bestand."))


class ShareForm(FlaskForm):
    attachments = CheckboxesField(_l("Documenten uit het dossier"), coerce=int)


class AttendanceForm(FlaskForm):
    present = CheckboxesField(_l("Aanwezig"), coerce=int)


class ActionForm(Form):
    action_id = HiddenField()
    description = StringField(_l("Actie"), validators=[Length(max=2000, message=_l("Hooguit 2000 tekens."))])
    owner = SelectField(_l("Wie"), coerce=int, validators=[Optional()])
    due_date = DutchDateField(_l("Uiterlijk"), validators=[Optional()], render_kw={"type": "date"})

    def validate_owner(self, field):
        if (self.description.data or "").strip() and not field.data:
            raise ValidationError(_l("Kies wie deze actie uitvoert."))

    def validate_due_date(self, field):
        if (self.description.data or "").strip() and not field.data:
            raise ValidationError(_l("Vul een datum in."))


class ReportForm(FlaskForm):
    version = HiddenField()
    summary = TextAreaField(_l("Samenvatting"), validators=[Length(max=TEXT_LIMIT, message=_l("Te lang."))])
    parent_view = TextAreaField(_l("Visie van ouders"), validators=[Length(max=TEXT_LIMIT, message=_l("Te lang."))])
    student_view = TextAreaField(_l("Visie van de leerling"),
                                 validators=[Length(max=TEXT_LIMIT, message=_l("Te lang."))])
    decisions = TextAreaField(_l("Besluiten"), validators=[Length(max=TEXT_LIMIT, message=_l("Te lang."))])
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

    def finalise_check(self) -> bool:
        if not (self.summary.data or "").strip():
            self.summary.errors = list(self.summary.errors) + [_l("Een definitief verslag heeft een samenvatting.")]
            return False
        return True


class ShareReportForm(FlaskForm):
    pass
