"""A school's type (regular PO, SBO, SO, regular VO, VSO, PrO): the rules about the OPP and its registration in
the ROD follow it. Existing schools become the regular school of their sector."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import migrate

from portal.migrations.ddl import migrator


def up(db):
    migrate(migrator(db).add_column("school", "school_type", pw.CharField(max_length=20, default="")))
    db.execute_sql("UPDATE school SET school_type = 'regulier_po' WHERE sector = 'PO'")
    db.execute_sql("UPDATE school SET school_type = 'regulier_vo' WHERE sector = 'VO'")
