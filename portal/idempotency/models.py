"""Used idempotency keys: which create form (by its one-time key) created what, for whom."""

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, utcnow


class IdempotencyKey(BaseModel):
    """One create form submitted once: a resubmit with the same key by the same user goes to ``url``."""

    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    key = pw.CharField(max_length=64)
    url = pw.CharField(max_length=500, default="")  # where the created object is shown
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "key"), True),)
