"""Forms of the administration pages; every message is Dutch and shown beside its field."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField
from wtforms.validators import AnyOf, DataRequired, Email, Optional, Regexp, ValidationError

from portal.inputs import StringField, at_most
from portal import clock, policy
from portal.schools.models import SCHOOL_TYPES, SECTORS

BRIN_PATTERN = re.compile(r"^[0-9]{2}[A-Z]{2}$")
SCHOOL_YEARS_BACK = 5  # groups of earlier school years may still be entered


class SchoolForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul de naam van de school in.")),
                                               at_most(200)])
    brin = StringField(_l("BRIN-nummer"), filters=[lambda v: v.strip().upper() if v else v],
                       validators=[DataRequired(_l("Vul het BRIN-nummer in.")),
                                   Regexp(BRIN_PATTERN, message=_l("Een BRIN-nummer is 2 cijfers en 2 letters, "
                                                                   "bijvoorbeeld 12AB."))])
    sector = SelectField(_l("Sector"), choices=[(s, s) for s in SECTORS], validate_choice=False,
                         validators=[DataRequired(_l("Kies een sector.")),
                                     AnyOf(SECTORS, message=_l("Kies PO of VO."))])
    school_type = SelectField(_l("Soort school"), validate_choice=False,
                              choices=[(key, label) for key, (_sector, label) in SCHOOL_TYPES.items()],
                              description=_l("De regels voor het OPP en de registratie in het ROD volgen de soort "
                                             "school."),
                              validators=[Optional(),  # not chosen: the regular school of the sector
                                          AnyOf(list(SCHOOL_TYPES), message=_l("Kies een soort school uit de lijst."))])

    def validate_school_type(self, field):
        sector = SCHOOL_TYPES.get(field.data, (None,))[0]
        if sector and self.sector.data in SECTORS and sector != self.sector.data:
            raise ValidationError(_("Deze soort school hoort niet bij sector %(sector)s.", sector=self.sector.data))


class PersonForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul een naam in.")),
                                               at_most(200)])
    email = EmailField(_l("E-mailadres"), filters=[lambda v: v.strip().lower() if v else v],
                       validators=[DataRequired(_l("Vul een e-mailadres in.")),
                                   Email(_l("Dit is geen geldig e-mailadres."))])


def _role_choices():
    return [("", _l("Kies een rol"))] + list(policy.ROLES.items())


def _role_field():
    return SelectField(_l("Rol"), validate_choice=False,
                       validators=[DataRequired(_l("Kies een rol.")), AnyOf(policy.ROLES, message=_l("Kies een rol."))])


def _organisation_field():
    return StringField(_l("Organisatie (optioneel)"), validators=[
        at_most(200)])


class OrganisationForm(FlaskForm):
    """The organisation of an outside professional, as a consent names it."""

    organisation = _organisation_field()


class StaffInviteForm(PersonForm):
    role = _role_field()
    organisation = _organisation_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()


class RoleForm(FlaskForm):
    role = _role_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()


class GroupForm(FlaskForm):
    name = StringField(_l("Naam van de groep of klas"),
                       validators=[DataRequired(_l("Vul een naam in.")),
                                   at_most(50)])
    school_year = StringField(_l("Schooljaar"), default="2026-2027", filters=[lambda v: v.strip() if v else v],
                              validators=[DataRequired(_l("Vul het schooljaar in."))])
    teachers = SelectMultipleField(_l("Leerkrachten / mentoren"), coerce=int, validate_choice=False)

    def validate_teachers(self, field):
        allowed = {value for value, _label in field.choices}
        if any(value not in allowed for value in field.data or ()):
            raise ValidationError(_l("Kies leerkrachten van deze school."))

    def validate_school_year(self, field):
        # Exactly YYYY-YYYY (fullmatch: "$" would let a trailing line break through to a
        # VARCHAR(9)), checked here so a malformed year never reaches the split below.
        match = re.fullmatch(r"([0-9]{4})-([0-9]{4})", field.data or "")
        if match is None:
            raise ValidationError(_l("Schrijf het schooljaar als 2026-2027."))
        first, second = int(match[1]), int(match[2])
        if second != first + 1:
            raise ValidationError(_l("Het tweede jaar volgt direct op het eerste, bijvoorbeeld 2026-2027."))
        this_year = clock.today().year
        if not this_year - SCHOOL_YEARS_BACK <= first <= this_year + 1:
            raise ValidationError(_("Kies een schooljaar dat begint tussen %(low)s en %(high)s.",
                                    low=this_year - SCHOOL_YEARS_BACK, high=this_year + 1))
