"""The OPP records that its handelingsdeel sets no individual support (then no instemming is needed)."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import migrate

from portal.migrations.ddl import migrator


def up(db):
    migrate(migrator(db).add_column("opp", "no_individual_support", pw.BooleanField(default=False)))
