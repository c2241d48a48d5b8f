"""The kind of an outside participant of a meeting (jeugdhulp under the Jeugdwet, JGZ, leerplicht, police)."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import migrate

from portal.migrations.ddl import migrator


def up(db):
    migrate(migrator(db).add_column("participant", "outside_kind", pw.CharField(max_length=30, default="")))
