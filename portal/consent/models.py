"""Recorded consent to share a student's data with a named recipient for a named purpose."""

from __future__ import annotations

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, utcnow
from portal.dossier.models import Attachment
from portal.students.models import Guardian, Student

GIVEN_BY = ("guardian", "student")  # a parent with gezag, or the student (portal.students.deciders)


class Consent(BaseModel):
    student = pw.ForeignKeyField(Student, backref="consents", on_delete="CASCADE")
    given_by = pw.CharField(max_length=10, choices=[(k, k) for k in GIVEN_BY])
    guardian = pw.ForeignKeyField(Guardian, null=True, backref="+", on_delete="SET NULL")
    purpose = pw.CharField(max_length=200)  # e.g. "mdo", "aanvraag DOA VO"
    recipient = pw.CharField(max_length=200)  # organisation or person the data may go to
    given_on = pw.DateField()
    valid_until = pw.DateField(null=True)
    withdrawn_at = pw.DateTimeField(null=True)
    withdrawn_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    scan = pw.ForeignKeyField(Attachment, null=True, backref="+", on_delete="SET NULL")  # the signed form
    recorded_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("student", "purpose"), False),)
