"""Share links: one outside participant's access to one meeting, stored as a hash, optionally with a mailed code."""

from __future__ import annotations

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, utcnow
from portal.meetings.models import Meeting, Participant


class ShareLink(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, backref="share_links", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant, backref="share_links", on_delete="CASCADE")
    token_hash = pw.CharField(max_length=64, unique=True)  # sha256 of a random token of 256 bits
    expires_at = pw.DateTimeField(null=True)  # null: derived (7 days after the meeting or the shared report)
    revoked_at = pw.DateTimeField(null=True)
    code_required = pw.BooleanField(default=False)
    created_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=utcnow)
    last_used_at = pw.DateTimeField(null=True)


class ShareCode(BaseModel):
    """A six-digit code mailed to the participant; required before the first view when the link asks for it."""

    link = pw.ForeignKeyField(ShareLink, backref="codes", on_delete="CASCADE")
    code_hash = pw.CharField(max_length=64)
    expires_at = pw.DateTimeField()
    attempts = pw.IntegerField(default=0)
    verified_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
