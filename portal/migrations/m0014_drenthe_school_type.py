"""A school's type (regular PO, SBO, SO, regular VO, VSO, PrO): the rules about the OPP and its registration in
the ROD follow it. Existing schools become the regular school of their sector.

Plain ALTER TABLE with a default (both dialects add the column in place): playhouse's SQLite add_not_null rebuilds
the table, which the students' foreign keys to it refuse."""

from __future__ import annotations

from portal.migrations.ddl import run

STATEMENTS = [
    "ALTER TABLE school ADD COLUMN school_type VARCHAR(20) NOT NULL DEFAULT ''",
    "UPDATE school SET school_type = 'regulier_po' WHERE sector = 'PO'",
    "UPDATE school SET school_type = 'regulier_vo' WHERE sector = 'VO'",
]


def up(db):
    run(db, sqlite=STATEMENTS, postgres=STATEMENTS)
