"""Trajecten through the support route: route snapshots, phase visits and transitions.

Frozen DDL, as the models stood when this migration was released: never edit it, add a migration.
"""

from portal.migrations.ddl import run

SQLITE = [
    'CREATE TABLE "route_version" ("id" INTEGER NOT NULL PRIMARY KEY, "route_key" VARCHAR(80) NOT NULL, "version" VARCHAR(40) NOT NULL, "digest" VARCHAR(64) NOT NULL, "snapshot" TEXT NOT NULL, "created_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "route_version_route_key_digest" ON "route_version" ("route_key", "digest")',
    'CREATE TABLE "traject" ("id" INTEGER NOT NULL PRIMARY KEY, "student_id" INTEGER NOT NULL, "route_version_id" INTEGER NOT NULL, "status" VARCHAR(20) NOT NULL, "current_phase" VARCHAR(80), "cycle" INTEGER NOT NULL, "signal" TEXT NOT NULL, "entry_point" VARCHAR(80), "stop_reason" VARCHAR(40), "started_by_id" INTEGER NOT NULL, "started_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("student_id") REFERENCES "student" ("id") ON DELETE CASCADE, FOREIGN KEY ("route_version_id") REFERENCES "route_version" ("id") ON DELETE RESTRICT, FOREIGN KEY ("started_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "traject_student_id" ON "traject" ("student_id")',
    'CREATE INDEX "traject_route_version_id" ON "traject" ("route_version_id")',
    'CREATE INDEX "traject_started_by_id" ON "traject" ("started_by_id")',
    'CREATE INDEX "traject_student_id_started_at" ON "traject" ("student_id", "started_at")',
    'CREATE TABLE "phase_visit" ("id" INTEGER NOT NULL PRIMARY KEY, "traject_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "phase_key" VARCHAR(80) NOT NULL, "cycle" INTEGER NOT NULL, "status" VARCHAR(20) NOT NULL, "note" TEXT NOT NULL, "goals" TEXT NOT NULL, "interventions" TEXT NOT NULL, "evaluation_date" DATE, "worked" TEXT NOT NULL, "not_worked" TEXT NOT NULL, "parent_view" TEXT NOT NULL, "student_view" TEXT NOT NULL, "next_steps" TEXT NOT NULL, "version" INTEGER NOT NULL, "entered_at" DATETIME NOT NULL, "evaluated_at" DATETIME, FOREIGN KEY ("traject_id") REFERENCES "traject" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "phase_visit_traject_id" ON "phase_visit" ("traject_id")',
    'CREATE UNIQUE INDEX "phase_visit_traject_id_seq" ON "phase_visit" ("traject_id", "seq")',
    'CREATE TABLE "transition" ("id" INTEGER NOT NULL PRIMARY KEY, "traject_id" INTEGER NOT NULL, "action" VARCHAR(20) NOT NULL, "from_phase" VARCHAR(80), "to_phase" VARCHAR(80), "cycle" INTEGER NOT NULL, "justification" TEXT NOT NULL, "data" TEXT NOT NULL, "actor_id" INTEGER NOT NULL, "at" DATETIME NOT NULL, FOREIGN KEY ("traject_id") REFERENCES "traject" ("id") ON DELETE CASCADE, FOREIGN KEY ("actor_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "transition_traject_id" ON "transition" ("traject_id")',
    'CREATE INDEX "transition_actor_id" ON "transition" ("actor_id")',
]

POSTGRES = [
    'CREATE TABLE "route_version" ("id" SERIAL NOT NULL PRIMARY KEY, "route_key" VARCHAR(80) NOT NULL, "version" VARCHAR(40) NOT NULL, "digest" VARCHAR(64) NOT NULL, "snapshot" TEXT NOT NULL, "created_at" TIMESTAMP NOT NULL)',
    'CREATE UNIQUE INDEX "route_version_route_key_digest" ON "route_version" ("route_key", "digest")',
    'CREATE TABLE "traject" ("id" SERIAL NOT NULL PRIMARY KEY, "student_id" INTEGER NOT NULL, "route_version_id" INTEGER NOT NULL, "status" VARCHAR(20) NOT NULL, "current_phase" VARCHAR(80), "cycle" INTEGER NOT NULL, "signal" TEXT NOT NULL, "entry_point" VARCHAR(80), "stop_reason" VARCHAR(40), "started_by_id" INTEGER NOT NULL, "started_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("student_id") REFERENCES "student" ("id") ON DELETE CASCADE, FOREIGN KEY ("route_version_id") REFERENCES "route_version" ("id") ON DELETE RESTRICT, FOREIGN KEY ("started_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "traject_student_id" ON "traject" ("student_id")',
    'CREATE INDEX "traject_route_version_id" ON "traject" ("route_version_id")',
    'CREATE INDEX "traject_started_by_id" ON "traject" ("started_by_id")',
    'CREATE INDEX "traject_student_id_started_at" ON "traject" ("student_id", "started_at")',
    'CREATE TABLE "phase_visit" ("id" SERIAL NOT NULL PRIMARY KEY, "traject_id" INTEGER NOT NULL, "seq" INTEGER NOT NULL, "phase_key" VARCHAR(80) NOT NULL, "cycle" INTEGER NOT NULL, "status" VARCHAR(20) NOT NULL, "note" TEXT NOT NULL, "goals" TEXT NOT NULL, "interventions" TEXT NOT NULL, "evaluation_date" DATE, "worked" TEXT NOT NULL, "not_worked" TEXT NOT NULL, "parent_view" TEXT NOT NULL, "student_view" TEXT NOT NULL, "next_steps" TEXT NOT NULL, "version" INTEGER NOT NULL, "entered_at" TIMESTAMP NOT NULL, "evaluated_at" TIMESTAMP, FOREIGN KEY ("traject_id") REFERENCES "traject" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "phase_visit_traject_id" ON "phase_visit" ("traject_id")',
    'CREATE UNIQUE INDEX "phase_visit_traject_id_seq" ON "phase_visit" ("traject_id", "seq")',
    'CREATE TABLE "transition" ("id" SERIAL NOT NULL PRIMARY KEY, "traject_id" INTEGER NOT NULL, "action" VARCHAR(20) NOT NULL, "from_phase" VARCHAR(80), "to_phase" VARCHAR(80), "cycle" INTEGER NOT NULL, "justification" TEXT NOT NULL, "data" TEXT NOT NULL, "actor_id" INTEGER NOT NULL, "at" TIMESTAMP NOT NULL, FOREIGN KEY ("traject_id") REFERENCES "traject" ("id") ON DELETE CASCADE, FOREIGN KEY ("actor_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "transition_traject_id" ON "transition" ("traject_id")',
    'CREATE INDEX "transition_actor_id" ON "transition" ("actor_id")',
]


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
