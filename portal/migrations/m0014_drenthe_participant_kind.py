"""The kind of an outside participant of a meeting (jeugdhulp under the Jeugdwet, JGZ, leerplicht, police).

Plain ALTER TABLE with a default (both dialects add the column in place): playhouse's SQLite add_not_null rebuilds
the table, which the contributions' foreign keys to it refuse."""

from __future__ import annotations

from portal.migrations.ddl import run

STATEMENTS = ["ALTER TABLE participant ADD COLUMN outside_kind VARCHAR(30) NOT NULL DEFAULT ''"]


def up(db):
    run(db, sqlite=STATEMENTS, postgres=STATEMENTS)
