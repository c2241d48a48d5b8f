"""Append-only audit log: IDs and action names only, never content."""

import peewee as pw

from portal.db import BaseModel, utcnow


class AuditEvent(BaseModel):
    at = pw.DateTimeField(default=utcnow, index=True)
    actor_type = pw.CharField(max_length=20)  # user | guest | system | cli | anonymous
    actor_id = pw.IntegerField(null=True)
    school_id = pw.IntegerField(null=True)
    action = pw.CharField(max_length=60)  # e.g. dossier.read, entry.update
    kind = pw.CharField(max_length=5)  # read | write
    object_type = pw.CharField(max_length=40)
    object_id = pw.IntegerField(null=True)
    student_id = pw.IntegerField(null=True, index=True)
    ip = pw.CharField(max_length=45, null=True)
