"""The OPP (ontwikkelingsperspectief) of a student: the plan itself (versioned), who agreed to its handelingsdeel
or disagreed, and its evaluations."""

import peewee as pw

from portal.auth.models import User
from portal.consent.models import Consent
from portal.db import BaseModel, utcnow
from portal.schools.models import School
from portal.students.models import Guardian, Student


class Opp(BaseModel):
    """One OPP per student, versioned (portal.versioning) as a whole; parts are edited on their own forms."""

    student = pw.ForeignKeyField(Student, unique=True, backref="+", on_delete="CASCADE")
    school = pw.ForeignKeyField(School, backref="+", on_delete="RESTRICT")
    support_start = pw.DateField()  # the additional support started: the OPP is drawn up within six weeks
    # uitstroomperspectief and its onderbouwing
    perspective_level = pw.CharField(max_length=200, default="")  # expected level, e.g. "vmbo kader"
    perspective_direction = pw.CharField(max_length=30, default="")  # services.DIRECTIONS
    rationale = pw.TextField(default="")
    promoting_factors = pw.TextField(default="")  # bevorderende factoren
    hindering_factors = pw.TextField(default="")  # belemmerende factoren
    goals = pw.TextField(default="{}")  # JSON: domain key (services.DOMAINS) -> goals
    consultation_on = pw.DateField(null=True)  # op overeenstemming gericht overleg about the rest
    consultation_with = pw.CharField(max_length=300, default="")
    # handelingsdeel: needs the instemming of a parent with gezag (the student alone from 18), unless it sets no
    # individual support (no_individual_support: then it stays empty and needs no instemming)
    no_individual_support = pw.BooleanField(default=False)
    support = pw.TextField(default="")
    deviation = pw.TextField(default="")  # deviation from the programme
    otv_hours = pw.IntegerField(null=True)  # onderwijstijdverkorting: hours per week less
    otv_from = pw.DateField(null=True)
    otv_until = pw.DateField(null=True)
    otv_reason = pw.CharField(max_length=30, default="")  # services.OTV_REASONS
    # registration in the ROD (DUO)
    ends_on = pw.DateField(null=True)  # the OPP (the additional support) ends
    rod_registered_on = pw.DateField(null=True)
    rod_deregistered_on = pw.DateField(null=True)
    created_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)

    VERSIONED_FIELDS = ("support_start", "perspective_level", "perspective_direction", "rationale",
                        "promoting_factors", "hindering_factors", "goals", "consultation_on", "consultation_with",
                        "support", "deviation", "otv_hours", "otv_from", "otv_until", "otv_reason", "ends_on",
                        "rod_registered_on", "rod_deregistered_on", "no_individual_support")
    # What an instemming answers (its fingerprint); no_individual_support is not in it, so adding that field left
    # the earlier instemmingen standing.
    HANDELINGSDEEL = ("support", "deviation", "otv_hours", "otv_from", "otv_until", "otv_reason")


class OppResponse(BaseModel):
    """A parent's with gezag (or, from 18, the student's) answer to the handelingsdeel as it then read: instemming (with
    its Consent row in the register) or disagreement with their view, kept and shown."""

    opp = pw.ForeignKeyField(Opp, backref="responses", on_delete="CASCADE")
    guardian = pw.ForeignKeyField(Guardian, null=True, backref="+", on_delete="SET NULL")  # None: the student
    name = pw.CharField(max_length=200)
    given_on = pw.DateField()
    agrees = pw.BooleanField()
    view = pw.TextField(default="")
    consent = pw.ForeignKeyField(Consent, null=True, backref="+", on_delete="SET NULL")  # the instemming
    handelingsdeel = pw.CharField(max_length=64)  # versioning.fingerprint of the handelingsdeel answered
    opp_version = pw.IntegerField()
    recorded_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    recorded_at = pw.DateTimeField(default=utcnow)


class OppEvaluation(BaseModel):
    """An evaluation moment: when, with whom (with the parents or not) and its outcome."""

    opp = pw.ForeignKeyField(Opp, backref="evaluations", on_delete="CASCADE")
    held_on = pw.DateField()
    with_whom = pw.CharField(max_length=300)
    with_parents = pw.BooleanField(default=False)
    outcome = pw.TextField()
    recorded_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    recorded_at = pw.DateTimeField(default=utcnow)
