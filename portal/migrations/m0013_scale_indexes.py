"""Indexes for SWV volume: the queue's order (submitted_at, id), so a page reads its 25 rows in order instead of
sorting every application, and the count per school (school_id, submitted_at) from the index alone; the open
phase visits with an evaluation date (status, evaluation_date), which PostgreSQL otherwise finds for a task list
by scanning every school's visits."""

from __future__ import annotations

from portal.migrations.ddl import run

STATEMENTS = [
    'CREATE INDEX "application_submitted_at_id" ON "application" ("submitted_at", "id")',
    'CREATE INDEX "application_school_id_submitted_at" ON "application" ("school_id", "submitted_at")',
    'CREATE INDEX "phase_visit_status_evaluation_date" ON "phase_visit" ("status", "evaluation_date")',
]


def up(db):
    run(db, sqlite=STATEMENTS, postgres=STATEMENTS)
