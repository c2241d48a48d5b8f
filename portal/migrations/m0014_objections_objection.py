"""Objections against the SWV's decisions: who filed one and when, a late one's reason and the SWV's judgement of
it, the LBT's advice, a postponed term and the decision on the objection. Frozen: its own DDL, never a live model."""

from portal.migrations.ddl import run

SQLITE = [
    'CREATE TABLE "objection" ("id" INTEGER NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "decision_on" DATE NOT NULL, "filed_by" VARCHAR(20) NOT NULL, "guardian_id" INTEGER, "filer_name" VARCHAR(200) NOT NULL, "received_on" DATE NOT NULL, "grounds" TEXT NOT NULL, "late" INTEGER NOT NULL, "late_reason" TEXT NOT NULL, "excusable" INTEGER, "excusable_reason" TEXT NOT NULL, "committee_requested_on" DATE, "committee_reference" VARCHAR(200) NOT NULL, "committee_advice_on" DATE, "committee_advice" TEXT NOT NULL, "extended_on" DATE, "extension_reason" TEXT NOT NULL, "outcome" VARCHAR(30) NOT NULL, "outcome_motivation" TEXT NOT NULL, "decided_on" DATE, "recorded_by_id" INTEGER NOT NULL, "recorded_at" DATETIME NOT NULL, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("guardian_id") REFERENCES "guardian" ("id") ON DELETE SET NULL, FOREIGN KEY ("recorded_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "objection_application_id" ON "objection" ("application_id")',
    'CREATE INDEX "objection_guardian_id" ON "objection" ("guardian_id")',
    'CREATE INDEX "objection_recorded_by_id" ON "objection" ("recorded_by_id")',
]

POSTGRES = [
    'CREATE TABLE "objection" ("id" SERIAL NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "decision_on" DATE NOT NULL, "filed_by" VARCHAR(20) NOT NULL, "guardian_id" INTEGER, "filer_name" VARCHAR(200) NOT NULL, "received_on" DATE NOT NULL, "grounds" TEXT NOT NULL, "late" BOOLEAN NOT NULL, "late_reason" TEXT NOT NULL, "excusable" BOOLEAN, "excusable_reason" TEXT NOT NULL, "committee_requested_on" DATE, "committee_reference" VARCHAR(200) NOT NULL, "committee_advice_on" DATE, "committee_advice" TEXT NOT NULL, "extended_on" DATE, "extension_reason" TEXT NOT NULL, "outcome" VARCHAR(30) NOT NULL, "outcome_motivation" TEXT NOT NULL, "decided_on" DATE, "recorded_by_id" INTEGER NOT NULL, "recorded_at" TIMESTAMP NOT NULL, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("guardian_id") REFERENCES "guardian" ("id") ON DELETE SET NULL, FOREIGN KEY ("recorded_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "objection_application_id" ON "objection" ("application_id")',
    'CREATE INDEX "objection_guardian_id" ON "objection" ("guardian_id")',
    'CREATE INDEX "objection_recorded_by_id" ON "objection" ("recorded_by_id")',
]


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
