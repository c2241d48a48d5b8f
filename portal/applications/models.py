"""Applications to the SWV, their steps, what the school shared, advices, signatures, and the SWV's own details."""

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, utcnow
from portal.dossier.models import Attachment, Entry
from portal.schools.models import School
from portal.students.models import Guardian, Student


class Application(BaseModel):
    student = pw.ForeignKeyField(Student, backref="applications", on_delete="CASCADE")
    school = pw.ForeignKeyField(School, backref="applications", on_delete="RESTRICT")  # the applying school
    type_key = pw.CharField(max_length=80)  # an ApplicationType key of a plugin
    status = pw.CharField(max_length=30, default="concept")  # workflow.Status
    decision = pw.CharField(max_length=20, null=True)  # the last decision, kept through an objection
    decided_on = pw.DateField(null=True)  # the day the decision was sent: the objection term runs from here
    data = pw.TextField(default="{}")  # the type's form values, JSON
    decision_data = pw.TextField(default="{}")  # what the decision records (category, start, end), JSON
    ends_on = pw.DateField(null=True, index=True)  # a granted period's end ("end" of the decision): reminders, expiry
    receiving_school = pw.CharField(max_length=200, default="")
    previous = pw.ForeignKeyField("self", null=True, backref="followers", on_delete="SET NULL")  # extension
    handler = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")  # SWV staff handling it
    created_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=utcnow)
    submitted_at = pw.DateTimeField(null=True)  # first submission: the age in the SWV's queue counts from here
    updated_at = pw.DateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)  # portal.versioning: the school's edits of a concept

    VERSIONED_FIELDS = ("data", "receiving_school")

    class Meta:
        indexes = ((("status", "submitted_at"), False), (("school", "status"), False),
                   (("submitted_at", "id"), False), (("school", "submitted_at"), False))


class ApplicationStep(BaseModel):
    """One step of the workflow: who, when, what and why (the history)."""

    application = pw.ForeignKeyField(Application, backref="steps", on_delete="CASCADE")
    action = pw.CharField(max_length=30)
    from_status = pw.CharField(max_length=30)
    to_status = pw.CharField(max_length=30)
    by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")  # None: the portal itself
    at = pw.DateTimeField(default=utcnow)
    reason = pw.TextField(default="")


class SharedItem(BaseModel):
    """A dossier entry or attachment the school shares with the SWV for this application (nothing else is
    visible to the SWV: data minimisation)."""

    application = pw.ForeignKeyField(Application, backref="shared", on_delete="CASCADE")
    entry = pw.ForeignKeyField(Entry, null=True, backref="+", on_delete="CASCADE")
    attachment = pw.ForeignKeyField(Attachment, null=True, backref="+", on_delete="CASCADE")
    need = pw.CharField(max_length=60, default="")  # the DocumentNeed it answers, if any
    shared_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    shared_at = pw.DateTimeField(default=utcnow)


class Advisor(BaseModel):
    """A deskundige of the SWV: an account with the deskundige role, with profession and organisation."""

    user = pw.ForeignKeyField(User, unique=True, backref="advisor", on_delete="CASCADE")
    profession = pw.CharField(max_length=40)  # types.PROFESSIONS
    organisation = pw.CharField(max_length=200, default="")
    active = pw.BooleanField(default=True)


class Advice(BaseModel):
    """One separate, written, signed advice of one deskundige on one application (never a collective one)."""

    application = pw.ForeignKeyField(Application, backref="advices", on_delete="CASCADE")
    need = pw.CharField(max_length=60)  # the AdviceNeed key
    advisor = pw.ForeignKeyField(Advisor, backref="advices", on_delete="RESTRICT")
    assigned_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    assigned_at = pw.DateTimeField(default=utcnow)
    due_on = pw.DateField()
    conclusion = pw.CharField(max_length=20, default="")  # "toelaatbaar" | "niet_toelaatbaar"
    text = pw.TextField(default="")
    signed_name = pw.CharField(max_length=200, default="")
    signed_at = pw.DateTimeField(null=True)  # None: not given yet

    class Meta:
        indexes = ((("application", "need"), True),)


class Signature(BaseModel):
    """A parent's (with gezag) or the student's view and signature, or their uploaded signed form."""

    application = pw.ForeignKeyField(Application, backref="signatures", on_delete="CASCADE")
    guardian = pw.ForeignKeyField(Guardian, null=True, backref="+", on_delete="SET NULL")  # None: the student
    name = pw.CharField(max_length=200)
    signed_on = pw.DateField()
    agrees = pw.BooleanField(default=True)
    view = pw.TextField(default="")  # their own view, in their words
    attachment = pw.ForeignKeyField(Attachment, null=True, backref="+", on_delete="SET NULL")
    recorded_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    recorded_at = pw.DateTimeField(default=utcnow)


class Objection(BaseModel):
    """An objection against the SWV's decision, filed by the parents with gezag (the student from 18) or the school
    board, as the school or the SWV received it; the LBT's advice, the term and the SWV's decision on it."""

    application = pw.ForeignKeyField(Application, backref="objections", on_delete="CASCADE")
    decision_on = pw.DateField()  # the day the decision objected to was sent
    filed_by = pw.CharField(max_length=20)  # objection_rules: parent | student | board
    guardian = pw.ForeignKeyField(Guardian, null=True, backref="+", on_delete="SET NULL")
    filer_name = pw.CharField(max_length=200)
    received_on = pw.DateField()
    grounds = pw.TextField()
    late = pw.BooleanField(default=False)  # received after the six weeks
    late_reason = pw.TextField(default="")  # why, in the objector's words
    excusable = pw.BooleanField(null=True)  # the SWV's judgement of a late one (Awb 6:11); None: not judged yet
    excusable_reason = pw.TextField(default="")
    committee_requested_on = pw.DateField(null=True)  # the LBT's advice asked on
    committee_reference = pw.CharField(max_length=200, default="")
    committee_advice_on = pw.DateField(null=True)
    committee_advice = pw.TextField(default="")
    extended_on = pw.DateField(null=True)  # the decision term postponed by six weeks (Awb 7:10 lid 3)
    extension_reason = pw.TextField(default="")
    outcome = pw.CharField(max_length=30, default="")  # objection_rules.OUTCOMES; "": not decided yet
    outcome_motivation = pw.TextField(default="")
    decided_on = pw.DateField(null=True)
    recorded_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    recorded_at = pw.DateTimeField(default=utcnow)


class SwvSettings(BaseModel):
    """The SWV's details for decision letters (one row per install)."""

    name = pw.CharField(max_length=200, default="")
    address = pw.CharField(max_length=300, default="")
    objection_address = pw.CharField(max_length=300, default="")  # where an objection is sent
    signatory = pw.CharField(max_length=200, default="")
    signatory_role = pw.CharField(max_length=200, default="")
    email = pw.CharField(max_length=254, default="")
    updated_at = pw.DateTimeField(default=utcnow)


MODELS = [Application, ApplicationStep, SharedItem, Advisor, Advice, Signature, Objection, SwvSettings]
