"""The consent register: the organisation of an account (an outside professional's, as a consent names it)."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import migrate

from portal.migrations.ddl import migrator


def up(db):
    migrate(migrator(db).add_column("users", "organisation", pw.CharField(max_length=200, default="")))
