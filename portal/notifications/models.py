"""Outgoing mail: every message is stored; without SMTP settings it stays in the outbox for an administrator."""

import peewee as pw

from portal.db import BaseModel, utcnow


class OutboxMail(BaseModel):
    recipient = pw.CharField(max_length=254)
    subject = pw.CharField(max_length=250)
    body = pw.TextField()
    created_at = pw.DateTimeField(default=utcnow)
    sent_at = pw.DateTimeField(null=True)
    error = pw.TextField(null=True)
