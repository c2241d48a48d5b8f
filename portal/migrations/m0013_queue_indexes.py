"""Indexes for the SWV's queue at SWV volume: its order (submitted_at, id), so a page reads its 25 rows in order
instead of sorting every application, and the count per school (school_id, submitted_at) from the index alone."""

from __future__ import annotations

from portal.migrations.ddl import run

STATEMENTS = [
    'CREATE INDEX "application_submitted_at_id" ON "application" ("submitted_at", "id")',
    'CREATE INDEX "application_school_id_submitted_at" ON "application" ("school_id", "submitted_at")',
]


def up(db):
    run(db, sqlite=STATEMENTS, postgres=STATEMENTS)
