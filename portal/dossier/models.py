"""The student file (leerlingdossier): entries and attachments."""

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, utcnow
from portal.students.models import Student


class Entry(BaseModel):
    student = pw.ForeignKeyField(Student, backref="entries", on_delete="CASCADE")
    section = pw.CharField(max_length=60)
    kind = pw.CharField(max_length=60, default="note")
    title = pw.CharField(max_length=200)
    body = pw.TextField(default="")
    confidential = pw.BooleanField(default=False)  # visible to care roles only
    author = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)
    updated_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    version = pw.IntegerField(default=1)
    withdrawn_at = pw.DateTimeField(null=True)
    withdrawn_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    withdrawn_reason = pw.TextField(null=True)
    # Set when an entry is written by another module (route transition, meeting report).
    source_type = pw.CharField(max_length=40, null=True)
    source_id = pw.IntegerField(null=True)

    class Meta:
        indexes = ((("student", "created_at"), False), (("source_type", "source_id"), False))

    VERSIONED_FIELDS = ("section", "kind", "title", "body", "confidential")


class Attachment(BaseModel):
    student = pw.ForeignKeyField(Student, backref="attachments", on_delete="CASCADE")
    entry = pw.ForeignKeyField(Entry, null=True, backref="attachments", on_delete="SET NULL")
    filename = pw.CharField(max_length=255)
    content_type = pw.CharField(max_length=100)
    size = pw.IntegerField()
    sha256 = pw.CharField(max_length=64)
    storage_name = pw.CharField(max_length=80, unique=True)
    uploaded_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=utcnow)
