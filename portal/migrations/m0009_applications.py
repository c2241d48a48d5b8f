"""Applications to the SWV: applications, their steps, shared items, advisors, advices, signatures and
the SWV's letter details. Frozen: its own DDL, never a live model."""

from portal.migrations.ddl import run

SQLITE = [
    'CREATE TABLE "application" ("id" INTEGER NOT NULL PRIMARY KEY, "student_id" INTEGER NOT NULL, "school_id" INTEGER NOT NULL, "type_key" VARCHAR(80) NOT NULL, "status" VARCHAR(30) NOT NULL, "decision" VARCHAR(20), "decided_on" DATE, "data" TEXT NOT NULL, "decision_data" TEXT NOT NULL, "ends_on" DATE, "receiving_school" VARCHAR(200) NOT NULL, "previous_id" INTEGER, "handler_id" INTEGER, "created_by_id" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "submitted_at" DATETIME, "updated_at" DATETIME NOT NULL, "version" INTEGER NOT NULL, FOREIGN KEY ("student_id") REFERENCES "student" ("id") ON DELETE CASCADE, FOREIGN KEY ("school_id") REFERENCES "school" ("id") ON DELETE RESTRICT, FOREIGN KEY ("previous_id") REFERENCES "application" ("id") ON DELETE SET NULL, FOREIGN KEY ("handler_id") REFERENCES "users" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "application_student_id" ON "application" ("student_id")',
    'CREATE INDEX "application_school_id" ON "application" ("school_id")',
    'CREATE INDEX "application_ends_on" ON "application" ("ends_on")',
    'CREATE INDEX "application_previous_id" ON "application" ("previous_id")',
    'CREATE INDEX "application_handler_id" ON "application" ("handler_id")',
    'CREATE INDEX "application_created_by_id" ON "application" ("created_by_id")',
    'CREATE INDEX "application_status_submitted_at" ON "application" ("status", "submitted_at")',
    'CREATE INDEX "application_school_id_status" ON "application" ("school_id", "status")',
    'CREATE TABLE "application_step" ("id" INTEGER NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "action" VARCHAR(30) NOT NULL, "from_status" VARCHAR(30) NOT NULL, "to_status" VARCHAR(30) NOT NULL, "by_id" INTEGER, "at" DATETIME NOT NULL, "reason" TEXT NOT NULL, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("by_id") REFERENCES "users" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "application_step_application_id" ON "application_step" ("application_id")',
    'CREATE INDEX "application_step_by_id" ON "application_step" ("by_id")',
    'CREATE TABLE "shared_item" ("id" INTEGER NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "entry_id" INTEGER, "attachment_id" INTEGER, "need" VARCHAR(60) NOT NULL, "shared_by_id" INTEGER NOT NULL, "shared_at" DATETIME NOT NULL, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("entry_id") REFERENCES "entry" ("id") ON DELETE CASCADE, FOREIGN KEY ("attachment_id") REFERENCES "attachment" ("id") ON DELETE CASCADE, FOREIGN KEY ("shared_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "shared_item_application_id" ON "shared_item" ("application_id")',
    'CREATE INDEX "shared_item_entry_id" ON "shared_item" ("entry_id")',
    'CREATE INDEX "shared_item_attachment_id" ON "shared_item" ("attachment_id")',
    'CREATE INDEX "shared_item_shared_by_id" ON "shared_item" ("shared_by_id")',
    'CREATE TABLE "advisor" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "profession" VARCHAR(40) NOT NULL, "organisation" VARCHAR(200) NOT NULL, "active" INTEGER NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "advisor_user_id" ON "advisor" ("user_id")',
    'CREATE TABLE "advice" ("id" INTEGER NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "need" VARCHAR(60) NOT NULL, "advisor_id" INTEGER NOT NULL, "assigned_by_id" INTEGER NOT NULL, "assigned_at" DATETIME NOT NULL, "due_on" DATE NOT NULL, "conclusion" VARCHAR(20) NOT NULL, "text" TEXT NOT NULL, "signed_name" VARCHAR(200) NOT NULL, "signed_at" DATETIME, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("advisor_id") REFERENCES "advisor" ("id") ON DELETE RESTRICT, FOREIGN KEY ("assigned_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "advice_application_id" ON "advice" ("application_id")',
    'CREATE INDEX "advice_advisor_id" ON "advice" ("advisor_id")',
    'CREATE INDEX "advice_assigned_by_id" ON "advice" ("assigned_by_id")',
    'CREATE UNIQUE INDEX "advice_application_id_need" ON "advice" ("application_id", "need")',
    'CREATE TABLE "signature" ("id" INTEGER NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "guardian_id" INTEGER, "name" VARCHAR(200) NOT NULL, "signed_on" DATE NOT NULL, "agrees" INTEGER NOT NULL, "view" TEXT NOT NULL, "attachment_id" INTEGER, "recorded_by_id" INTEGER NOT NULL, "recorded_at" DATETIME NOT NULL, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("guardian_id") REFERENCES "guardian" ("id") ON DELETE SET NULL, FOREIGN KEY ("attachment_id") REFERENCES "attachment" ("id") ON DELETE SET NULL, FOREIGN KEY ("recorded_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "signature_application_id" ON "signature" ("application_id")',
    'CREATE INDEX "signature_guardian_id" ON "signature" ("guardian_id")',
    'CREATE INDEX "signature_attachment_id" ON "signature" ("attachment_id")',
    'CREATE INDEX "signature_recorded_by_id" ON "signature" ("recorded_by_id")',
    'CREATE TABLE "swv_settings" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(200) NOT NULL, "address" VARCHAR(300) NOT NULL, "objection_address" VARCHAR(300) NOT NULL, "signatory" VARCHAR(200) NOT NULL, "signatory_role" VARCHAR(200) NOT NULL, "email" VARCHAR(254) NOT NULL, "updated_at" DATETIME NOT NULL)',
]

POSTGRES = [
    'CREATE TABLE "application" ("id" SERIAL NOT NULL PRIMARY KEY, "student_id" INTEGER NOT NULL, "school_id" INTEGER NOT NULL, "type_key" VARCHAR(80) NOT NULL, "status" VARCHAR(30) NOT NULL, "decision" VARCHAR(20), "decided_on" DATE, "data" TEXT NOT NULL, "decision_data" TEXT NOT NULL, "ends_on" DATE, "receiving_school" VARCHAR(200) NOT NULL, "previous_id" INTEGER, "handler_id" INTEGER, "created_by_id" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL, "submitted_at" TIMESTAMP, "updated_at" TIMESTAMP NOT NULL, "version" INTEGER NOT NULL, FOREIGN KEY ("student_id") REFERENCES "student" ("id") ON DELETE CASCADE, FOREIGN KEY ("school_id") REFERENCES "school" ("id") ON DELETE RESTRICT, FOREIGN KEY ("previous_id") REFERENCES "application" ("id") ON DELETE SET NULL, FOREIGN KEY ("handler_id") REFERENCES "users" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "application_student_id" ON "application" ("student_id")',
    'CREATE INDEX "application_school_id" ON "application" ("school_id")',
    'CREATE INDEX "application_ends_on" ON "application" ("ends_on")',
    'CREATE INDEX "application_previous_id" ON "application" ("previous_id")',
    'CREATE INDEX "application_handler_id" ON "application" ("handler_id")',
    'CREATE INDEX "application_created_by_id" ON "application" ("created_by_id")',
    'CREATE INDEX "application_status_submitted_at" ON "application" ("status", "submitted_at")',
    'CREATE INDEX "application_school_id_status" ON "application" ("school_id", "status")',
    'CREATE TABLE "application_step" ("id" SERIAL NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "action" VARCHAR(30) NOT NULL, "from_status" VARCHAR(30) NOT NULL, "to_status" VARCHAR(30) NOT NULL, "by_id" INTEGER, "at" TIMESTAMP NOT NULL, "reason" TEXT NOT NULL, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("by_id") REFERENCES "users" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "application_step_application_id" ON "application_step" ("application_id")',
    'CREATE INDEX "application_step_by_id" ON "application_step" ("by_id")',
    'CREATE TABLE "shared_item" ("id" SERIAL NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "entry_id" INTEGER, "attachment_id" INTEGER, "need" VARCHAR(60) NOT NULL, "shared_by_id" INTEGER NOT NULL, "shared_at" TIMESTAMP NOT NULL, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("entry_id") REFERENCES "entry" ("id") ON DELETE CASCADE, FOREIGN KEY ("attachment_id") REFERENCES "attachment" ("id") ON DELETE CASCADE, FOREIGN KEY ("shared_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "shared_item_application_id" ON "shared_item" ("application_id")',
    'CREATE INDEX "shared_item_entry_id" ON "shared_item" ("entry_id")',
    'CREATE INDEX "shared_item_attachment_id" ON "shared_item" ("attachment_id")',
    'CREATE INDEX "shared_item_shared_by_id" ON "shared_item" ("shared_by_id")',
    'CREATE TABLE "advisor" ("id" SERIAL NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "profession" VARCHAR(40) NOT NULL, "organisation" VARCHAR(200) NOT NULL, "active" BOOLEAN NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "advisor_user_id" ON "advisor" ("user_id")',
    'CREATE TABLE "advice" ("id" SERIAL NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "need" VARCHAR(60) NOT NULL, "advisor_id" INTEGER NOT NULL, "assigned_by_id" INTEGER NOT NULL, "assigned_at" TIMESTAMP NOT NULL, "due_on" DATE NOT NULL, "conclusion" VARCHAR(20) NOT NULL, "text" TEXT NOT NULL, "signed_name" VARCHAR(200) NOT NULL, "signed_at" TIMESTAMP, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("advisor_id") REFERENCES "advisor" ("id") ON DELETE RESTRICT, FOREIGN KEY ("assigned_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "advice_application_id" ON "advice" ("application_id")',
    'CREATE INDEX "advice_advisor_id" ON "advice" ("advisor_id")',
    'CREATE INDEX "advice_assigned_by_id" ON "advice" ("assigned_by_id")',
    'CREATE UNIQUE INDEX "advice_application_id_need" ON "advice" ("application_id", "need")',
    'CREATE TABLE "signature" ("id" SERIAL NOT NULL PRIMARY KEY, "application_id" INTEGER NOT NULL, "guardian_id" INTEGER, "name" VARCHAR(200) NOT NULL, "signed_on" DATE NOT NULL, "agrees" BOOLEAN NOT NULL, "view" TEXT NOT NULL, "attachment_id" INTEGER, "recorded_by_id" INTEGER NOT NULL, "recorded_at" TIMESTAMP NOT NULL, FOREIGN KEY ("application_id") REFERENCES "application" ("id") ON DELETE CASCADE, FOREIGN KEY ("guardian_id") REFERENCES "guardian" ("id") ON DELETE SET NULL, FOREIGN KEY ("attachment_id") REFERENCES "attachment" ("id") ON DELETE SET NULL, FOREIGN KEY ("recorded_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "signature_application_id" ON "signature" ("application_id")',
    'CREATE INDEX "signature_guardian_id" ON "signature" ("guardian_id")',
    'CREATE INDEX "signature_attachment_id" ON "signature" ("attachment_id")',
    'CREATE INDEX "signature_recorded_by_id" ON "signature" ("recorded_by_id")',
    'CREATE TABLE "swv_settings" ("id" SERIAL NOT NULL PRIMARY KEY, "name" VARCHAR(200) NOT NULL, "address" VARCHAR(300) NOT NULL, "objection_address" VARCHAR(300) NOT NULL, "signatory" VARCHAR(200) NOT NULL, "signatory_role" VARCHAR(200) NOT NULL, "email" VARCHAR(254) NOT NULL, "updated_at" TIMESTAMP NOT NULL)',
]


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
