"""Data safety: versions on students and guardians, used idempotency keys, scheduler problems.

Frozen: the version columns through playhouse.migrate, the new tables as their own DDL; never a live model.
"""

import peewee as pw
from playhouse.migrate import migrate

from portal.migrations.ddl import migrator, run

SQLITE = [
    'CREATE TABLE "scheduler_problem" ("id" INTEGER NOT NULL PRIMARY KEY, "job" VARCHAR(80) NOT NULL, "kind" VARCHAR(80) NOT NULL, "object_id" VARCHAR(80) NOT NULL, "link" VARCHAR(500) NOT NULL, "message" TEXT NOT NULL, "first_seen" DATETIME NOT NULL, "last_seen" DATETIME NOT NULL, "times" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "scheduler_problem_job_kind_object_id" ON "scheduler_problem" ("job", "kind", "object_id")',
    'CREATE TABLE "idempotency_key" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "key" VARCHAR(64) NOT NULL, "url" VARCHAR(500) NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "idempotency_key_user_id" ON "idempotency_key" ("user_id")',
    'CREATE UNIQUE INDEX "idempotency_key_user_id_key" ON "idempotency_key" ("user_id", "key")',
]

POSTGRES = [
    'CREATE TABLE "scheduler_problem" ("id" SERIAL NOT NULL PRIMARY KEY, "job" VARCHAR(80) NOT NULL, "kind" VARCHAR(80) NOT NULL, "object_id" VARCHAR(80) NOT NULL, "link" VARCHAR(500) NOT NULL, "message" TEXT NOT NULL, "first_seen" TIMESTAMP NOT NULL, "last_seen" TIMESTAMP NOT NULL, "times" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "scheduler_problem_job_kind_object_id" ON "scheduler_problem" ("job", "kind", "object_id")',
    'CREATE TABLE "idempotency_key" ("id" SERIAL NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "key" VARCHAR(64) NOT NULL, "url" VARCHAR(500) NOT NULL, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "idempotency_key_user_id" ON "idempotency_key" ("user_id")',
    'CREATE UNIQUE INDEX "idempotency_key_user_id_key" ON "idempotency_key" ("user_id", "key")',
]


def up(db):
    m = migrator(db)
    migrate(
        m.add_column("student", "version", pw.IntegerField(default=1)),
        m.add_column("guardian", "version", pw.IntegerField(default=1)),
    )
    run(db, sqlite=SQLITE, postgres=POSTGRES)
