"""Forms for students and their guardians; every message is Dutch and sits beside its field."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField
from wtforms.validators import DataRequired, Email, InputRequired, Optional, ValidationError

from portal.inputs import StringField, at_most
from portal import bounds, clock
from portal.bounds import DutchDateField
from portal.idempotency import IdempotentForm
from portal.students import services

MIN_AGE, MAX_AGE = 2, 30  # a plausible birth date for a pupil in PO or VO (incl. VSO up to 20+)


def _id_choices(rows, label, empty) -> list[tuple[int, str]]:
    return [(0, empty)] + [(row.id, label(row)) for row in rows]


class StudentForm(IdempotentForm, FlaskForm):
    version = HiddenField()  # the version the edit form was loaded at (portal.versioning)
    student_number = StringField(_l("Leerlingnummer"), validators=[
        DataRequired(_l("Vul een leerlingnummer in.")), at_most(20)])
    first_name = StringField(_l("Voornaam"), validators=[
        DataRequired(_l("Vul een voornaam in.")), at_most(100)])
    last_name = StringField(_l("Achternaam"), validators=[
        DataRequired(_l("Vul een achternaam in.")), at_most(150)])
    birth_date = DutchDateField(_l("Geboortedatum"), validators=[
        InputRequired(_l("Vul de geboortedatum in."))])
    gender = SelectField(_l("Geslacht"), choices=[("", _l("Niet opgegeven")), ("m", _l("Jongen")),
                                                   ("v", _l("Meisje")), ("x", _l("Anders"))],
                         validators=[Optional()])
    bsn = StringField(_l("BSN"), validators=[Optional()])
    group = SelectField(_l("Groep / klas"), coerce=int)
    mentor = SelectField(_l("Mentor / leerkracht"), coerce=int)
    enrolled_on = DutchDateField(_l("Ingeschreven op"), validators=[
        InputRequired(_l("Vul de inschrijfdatum in.")), bounds.DateWithin(bounds.ENROLMENT)])

    def __init__(self, school_id: int, student_id: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.school_id = school_id
        self.student_id = student_id
        if not current_app.config.get("BSN_ENABLED"):
            del self.bsn
        self.group.choices = _id_choices(services.groups_of(school_id), lambda g: g.name, _l("Geen groep"))
        self.mentor.choices = _id_choices(services.mentors_of(school_id), lambda u: u.name, _l("Geen mentor"))
        if self.enrolled_on.data is None and not self.is_submitted():
            self.enrolled_on.data = clock.today()

    def validate_student_number(self, field):
        field.data = field.data.strip()
        if services.number_taken(self.school_id, field.data, self.student_id):
            raise ValidationError(_l("Dit leerlingnummer is op deze school al in gebruik."))

    def validate_birth_date(self, field):
        if field.data is None:
            return  # the parse error is already beside the field
        today = clock.today()
        if field.data > today:
            raise ValidationError(_l("De geboortedatum ligt in de toekomst."))
        age = today.year - field.data.year - ((today.month, today.day) < (field.data.month, field.data.day))
        if not MIN_AGE <= age <= MAX_AGE:
            raise ValidationError(_l("Deze geboortedatum is niet aannemelijk voor een leerling "
                                     "(leeftijd %(lo)s tot %(hi)s jaar).", lo=MIN_AGE, hi=MAX_AGE))

    def validate_enrolled_on(self, field):
        born = self.birth_date.data
        if field.data and born and not self.birth_date.errors and field.data <= born:
            raise ValidationError(_l("De inschrijfdatum ligt vóór de geboortedatum."))

    def validate_bsn(self, field):
        value = (field.data or "").replace(" ", "").replace(".", "")
        field.data = value or None
        if value and not services.elfproef(value):
            raise ValidationError(_l("Een BSN heeft 9 cijfers en moet de elfproef doorstaan."))

    def values(self) -> dict:
        """The model values of this form (nullable foreign keys for 'none')."""
        values = {
            "student_number": self.student_number.data,
            "first_name": self.first_name.data.strip(),
            "last_name": self.last_name.data.strip(),
            "birth_date": self.birth_date.data,
            "gender": self.gender.data or None,
            "group": self.group.data or None,
            "mentor": self.mentor.data or None,
            "enrolled_on": self.enrolled_on.data,
        }
        if "bsn" in self:
            values["bsn"] = self.bsn.data
        return values


def student_form_data(student) -> dict:
    """Initial form data from a stored student."""
    return {"student_number": student.student_number, "first_name": student.first_name,
            "last_name": student.last_name, "birth_date": student.birth_date, "gender": student.gender or "",
            "bsn": student.bsn, "group": student.group_id or 0, "mentor": student.mentor_id or 0,
            "enrolled_on": student.enrolled_on}


class GuardianForm(IdempotentForm, FlaskForm):
    version = HiddenField()
    name = StringField(_l("Naam"), validators=[
        DataRequired(_l("Vul een naam in.")), at_most(200)])
    relation = StringField(_l("Relatie"), default="ouder", validators=[
        DataRequired(_l("Vul de relatie in (bijvoorbeeld moeder, vader, voogd).")),
        at_most(50)])
    email = EmailField(_l("E-mailadres"), validators=[Optional(), Email(_l("Dit is geen geldig e-mailadres.")),
                                                      at_most(254)])
    phone = StringField(_l("Telefoon"), validators=[Optional(), at_most(30)])
    address = StringField(_l("Adres"), validators=[Optional(),
                                                   at_most(300)])
    has_authority = BooleanField(_l("Heeft ouderlijk gezag"), default=True)

    def values(self) -> dict:
        return {"name": self.name.data.strip(), "relation": self.relation.data.strip(),
                "email": self.email.data or None, "phone": self.phone.data or None,
                "address": self.address.data or None, "has_authority": bool(self.has_authority.data)}

