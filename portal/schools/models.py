"""Schools of the SWV install."""

import peewee as pw

from portal.db import BaseModel, utcnow

SECTORS = ("PO", "VO")


class School(BaseModel):
    name = pw.CharField(max_length=200)
    brin = pw.CharField(max_length=6, unique=True)
    sector = pw.CharField(max_length=2, choices=[(s, s) for s in SECTORS])
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return self.name
