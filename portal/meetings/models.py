"""Meetings about one student: participants, agenda, contributions, the report and its actions."""

from __future__ import annotations

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, utcnow
from portal.dossier.models import Attachment, Entry
from portal.route.models import Traject
from portal.schools.models import School
from portal.students.models import Guardian, Student

PARTICIPANT_KINDS = ("staff", "guardian", "student", "external")
MEETING_STATUSES = ("planned", "cancelled")
REPORT_STATUSES = ("draft", "final")
OPP_CHOICES = ("none", "draw_up", "adjust")


class MeetingSession(BaseModel):
    """Several student meetings in one sitting (an afternoon of ondersteuningsteam)."""

    school = pw.ForeignKeyField(School, backref="+", on_delete="CASCADE")
    title = pw.CharField(max_length=200)
    starts_at = pw.DateTimeField()
    location = pw.CharField(max_length=200, default="")
    created_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")


class Meeting(BaseModel):
    school = pw.ForeignKeyField(School, backref="+", on_delete="CASCADE")
    student = pw.ForeignKeyField(Student, backref="meetings", on_delete="CASCADE")
    traject = pw.ForeignKeyField(Traject, null=True, backref="meetings", on_delete="SET NULL")
    phase_key = pw.CharField(max_length=80, null=True)
    type_key = pw.CharField(max_length=80)  # a MeetingType key from the registry
    session = pw.ForeignKeyField(MeetingSession, null=True, backref="meetings", on_delete="SET NULL")
    starts_at = pw.DateTimeField()  # local time, Europe/Amsterdam (naive)
    duration_minutes = pw.IntegerField(default=60)
    location = pw.CharField(max_length=200, default="")
    video_url = pw.CharField(max_length=500, default="")
    status = pw.CharField(max_length=10, default="planned")
    chair = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    ical_uid = pw.CharField(max_length=100, unique=True)
    ical_sequence = pw.IntegerField(default=0)
    report_shared_at = pw.DateTimeField(null=True)  # when the chair shared the final report with guests
    created_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)  # of the logistics (portal.versioning): concurrent changes conflict
    cancel_reason = pw.CharField(max_length=500, default="")
    cancelled_at = pw.DateTimeField(null=True)

    VERSIONED_FIELDS = ("starts_at", "duration_minutes", "location", "video_url")

    class Meta:
        indexes = ((("school", "starts_at"), False), (("student", "starts_at"), False))


class Participant(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, backref="participants", on_delete="CASCADE")
    kind = pw.CharField(max_length=10, choices=[(k, k) for k in PARTICIPANT_KINDS])
    user = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    guardian = pw.ForeignKeyField(Guardian, null=True, backref="+", on_delete="SET NULL")
    name = pw.CharField(max_length=200)
    organisation = pw.CharField(max_length=200, default="")
    role = pw.CharField(max_length=100, default="")  # e.g. "wijkteam", "leerplichtambtenaar", "minute-taker"
    outside_kind = pw.CharField(max_length=30, default="")  # an outsider's kind: a key of labels.JEUGDHULP_KINDS
    email = pw.CharField(max_length=254, default="")
    attended = pw.BooleanField(null=True)


class AgendaItem(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, backref="agenda", on_delete="CASCADE")
    position = pw.IntegerField()
    title = pw.CharField(max_length=300)


class Contribution(BaseModel):
    """A participant's inbreng before the meeting, optionally on one agenda item, with one file."""

    meeting = pw.ForeignKeyField(Meeting, backref="contributions", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant, backref="contributions", on_delete="CASCADE")
    agenda_item = pw.ForeignKeyField(AgendaItem, null=True, backref="contributions", on_delete="SET NULL")
    text = pw.TextField(default="")
    attachment = pw.ForeignKeyField(Attachment, null=True, backref="+", on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    entered_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")  # the staff member who typed it

    @property
    def on_behalf(self) -> bool:
        """Entered by a staff member for another participant ("namens")."""
        return self.entered_by_id is not None and self.entered_by_id != self.participant.user_id


class SharedDocument(BaseModel):
    """A dossier attachment the chair explicitly shares with the participants of this meeting."""

    meeting = pw.ForeignKeyField(Meeting, backref="documents", on_delete="CASCADE")
    attachment = pw.ForeignKeyField(Attachment, backref="+", on_delete="CASCADE")
    shared_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    shared_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("meeting", "attachment"), True),)


class Report(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, backref="+", unique=True, on_delete="CASCADE")
    status = pw.CharField(max_length=10, default="draft")
    summary = pw.TextField(default="")
    parent_view = pw.TextField(default="")
    student_view = pw.TextField(default="")
    decisions = pw.TextField(default="")
    next_evaluation_date = pw.DateField(null=True)
    opp = pw.CharField(max_length=10, default="none", choices=[(k, k) for k in OPP_CHOICES])
    version = pw.IntegerField(default=1)
    entry = pw.ForeignKeyField(Entry, null=True, backref="+", on_delete="SET NULL")  # the dossier entry once final
    author = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    updated_at = pw.DateTimeField(default=utcnow)
    finalised_at = pw.DateTimeField(null=True)

    VERSIONED_FIELDS = ("status", "summary", "parent_view", "student_view", "decisions", "next_evaluation_date",
                        "opp")


class Action(BaseModel):
    """An agreed action from the report; its owner may be an outside participant."""

    meeting = pw.ForeignKeyField(Meeting, backref="actions", on_delete="CASCADE")
    description = pw.TextField()
    owner = pw.ForeignKeyField(Participant, backref="actions", on_delete="CASCADE")
    due_date = pw.DateField()
    done_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
