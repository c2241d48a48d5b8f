"""In-app notifications, mail preferences, reminder claims and scheduler runs.

Frozen DDL, as the models stood when this migration was released: never edit it, add a migration.
"""

from portal.migrations.ddl import run

SQLITE = [
    'CREATE TABLE "notification" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "kind" VARCHAR(80) NOT NULL, "title" VARCHAR(250) NOT NULL, "link" VARCHAR(500) NOT NULL, "created" DATETIME NOT NULL, "read_at" DATETIME, "mailed_at" DATETIME, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "notification_user_id" ON "notification" ("user_id")',
    'CREATE INDEX "notification_user_id_read_at" ON "notification" ("user_id", "read_at")',
    'CREATE TABLE "notification_preference" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "mail" VARCHAR(20) NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "notification_preference_user_id" ON "notification_preference" ("user_id")',
    'CREATE TABLE "reminder_claim" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(80) NOT NULL, "object_id" VARCHAR(80) NOT NULL, "due_date" DATE NOT NULL, "offset_days" INTEGER NOT NULL, "link" VARCHAR(500) NOT NULL, "claimed_at" DATETIME NOT NULL, "sent_at" DATETIME)',
    'CREATE UNIQUE INDEX "reminder_claim_kind_object_id_due_date_offset_days" ON "reminder_claim" ("kind", "object_id", "due_date", "offset_days")',
    'CREATE TABLE "scheduler_run" ("id" INTEGER NOT NULL PRIMARY KEY, "job" VARCHAR(80) NOT NULL, "started_at" DATETIME NOT NULL, "finished_at" DATETIME, "ok" INTEGER, "detail" TEXT NOT NULL)',
    'CREATE INDEX "scheduler_run_job_started_at" ON "scheduler_run" ("job", "started_at")',
]

POSTGRES = [
    'CREATE TABLE "notification" ("id" SERIAL NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "kind" VARCHAR(80) NOT NULL, "title" VARCHAR(250) NOT NULL, "link" VARCHAR(500) NOT NULL, "created" TIMESTAMP NOT NULL, "read_at" TIMESTAMP, "mailed_at" TIMESTAMP, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "notification_user_id" ON "notification" ("user_id")',
    'CREATE INDEX "notification_user_id_read_at" ON "notification" ("user_id", "read_at")',
    'CREATE TABLE "notification_preference" ("id" SERIAL NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "mail" VARCHAR(20) NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "notification_preference_user_id" ON "notification_preference" ("user_id")',
    'CREATE TABLE "reminder_claim" ("id" SERIAL NOT NULL PRIMARY KEY, "kind" VARCHAR(80) NOT NULL, "object_id" VARCHAR(80) NOT NULL, "due_date" DATE NOT NULL, "offset_days" INTEGER NOT NULL, "link" VARCHAR(500) NOT NULL, "claimed_at" TIMESTAMP NOT NULL, "sent_at" TIMESTAMP)',
    'CREATE UNIQUE INDEX "reminder_claim_kind_object_id_due_date_offset_days" ON "reminder_claim" ("kind", "object_id", "due_date", "offset_days")',
    'CREATE TABLE "scheduler_run" ("id" SERIAL NOT NULL PRIMARY KEY, "job" VARCHAR(80) NOT NULL, "started_at" TIMESTAMP NOT NULL, "finished_at" TIMESTAMP, "ok" BOOLEAN, "detail" TEXT NOT NULL)',
    'CREATE INDEX "scheduler_run_job_started_at" ON "scheduler_run" ("job", "started_at")',
]


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
