"""Meeting safety: a version for the logistics (edit conflicts), and the reason and moment of a cancellation."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import migrate

from portal.migrations.ddl import migrator


def up(db):
    m = migrator(db)
    migrate(
        m.add_column("meeting", "version", pw.IntegerField(default=1)),
        m.add_column("meeting", "cancel_reason", pw.CharField(max_length=500, default="")),
        m.add_column("meeting", "cancelled_at", pw.DateTimeField(null=True)),
    )
