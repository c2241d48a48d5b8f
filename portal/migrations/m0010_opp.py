"""The OPP: the plan per student, the answers to its handelingsdeel, its evaluations. Frozen: its own DDL,
never a live model."""

from portal.migrations.ddl import run

SQLITE = [
    'CREATE TABLE "opp" ("id" INTEGER NOT NULL PRIMARY KEY, "student_id" INTEGER NOT NULL, "school_id" INTEGER NOT NULL, "support_start" DATE NOT NULL, "perspective_level" VARCHAR(200) NOT NULL, "perspective_direction" VARCHAR(30) NOT NULL, "rationale" TEXT NOT NULL, "promoting_factors" TEXT NOT NULL, "hindering_factors" TEXT NOT NULL, "goals" TEXT NOT NULL, "consultation_on" DATE, "consultation_with" VARCHAR(300) NOT NULL, "support" TEXT NOT NULL, "deviation" TEXT NOT NULL, "otv_hours" INTEGER, "otv_from" DATE, "otv_until" DATE, "otv_reason" VARCHAR(30) NOT NULL, "ends_on" DATE, "rod_registered_on" DATE, "rod_deregistered_on" DATE, "created_by_id" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "version" INTEGER NOT NULL, FOREIGN KEY ("student_id") REFERENCES "student" ("id") ON DELETE CASCADE, FOREIGN KEY ("school_id") REFERENCES "school" ("id") ON DELETE RESTRICT, FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE UNIQUE INDEX "opp_student_id" ON "opp" ("student_id")',
    'CREATE INDEX "opp_school_id" ON "opp" ("school_id")',
    'CREATE INDEX "opp_created_by_id" ON "opp" ("created_by_id")',
    'CREATE TABLE "opp_response" ("id" INTEGER NOT NULL PRIMARY KEY, "opp_id" INTEGER NOT NULL, "guardian_id" INTEGER, "name" VARCHAR(200) NOT NULL, "given_on" DATE NOT NULL, "agrees" INTEGER NOT NULL, "view" TEXT NOT NULL, "consent_id" INTEGER, "handelingsdeel" VARCHAR(64) NOT NULL, "opp_version" INTEGER NOT NULL, "recorded_by_id" INTEGER NOT NULL, "recorded_at" DATETIME NOT NULL, FOREIGN KEY ("opp_id") REFERENCES "opp" ("id") ON DELETE CASCADE, FOREIGN KEY ("guardian_id") REFERENCES "guardian" ("id") ON DELETE SET NULL, FOREIGN KEY ("consent_id") REFERENCES "consent" ("id") ON DELETE SET NULL, FOREIGN KEY ("recorded_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "opp_response_opp_id" ON "opp_response" ("opp_id")',
    'CREATE INDEX "opp_response_guardian_id" ON "opp_response" ("guardian_id")',
    'CREATE INDEX "opp_response_consent_id" ON "opp_response" ("consent_id")',
    'CREATE INDEX "opp_response_recorded_by_id" ON "opp_response" ("recorded_by_id")',
    'CREATE TABLE "opp_evaluation" ("id" INTEGER NOT NULL PRIMARY KEY, "opp_id" INTEGER NOT NULL, "held_on" DATE NOT NULL, "with_whom" VARCHAR(300) NOT NULL, "with_parents" INTEGER NOT NULL, "outcome" TEXT NOT NULL, "recorded_by_id" INTEGER NOT NULL, "recorded_at" DATETIME NOT NULL, FOREIGN KEY ("opp_id") REFERENCES "opp" ("id") ON DELETE CASCADE, FOREIGN KEY ("recorded_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "opp_evaluation_opp_id" ON "opp_evaluation" ("opp_id")',
    'CREATE INDEX "opp_evaluation_recorded_by_id" ON "opp_evaluation" ("recorded_by_id")',
]

POSTGRES = [
    'CREATE TABLE "opp" ("id" SERIAL NOT NULL PRIMARY KEY, "student_id" INTEGER NOT NULL, "school_id" INTEGER NOT NULL, "support_start" DATE NOT NULL, "perspective_level" VARCHAR(200) NOT NULL, "perspective_direction" VARCHAR(30) NOT NULL, "rationale" TEXT NOT NULL, "promoting_factors" TEXT NOT NULL, "hindering_factors" TEXT NOT NULL, "goals" TEXT NOT NULL, "consultation_on" DATE, "consultation_with" VARCHAR(300) NOT NULL, "support" TEXT NOT NULL, "deviation" TEXT NOT NULL, "otv_hours" INTEGER, "otv_from" DATE, "otv_until" DATE, "otv_reason" VARCHAR(30) NOT NULL, "ends_on" DATE, "rod_registered_on" DATE, "rod_deregistered_on" DATE, "created_by_id" INTEGER NOT NULL, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, "version" INTEGER NOT NULL, FOREIGN KEY ("student_id") REFERENCES "student" ("id") ON DELETE CASCADE, FOREIGN KEY ("school_id") REFERENCES "school" ("id") ON DELETE RESTRICT, FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE UNIQUE INDEX "opp_student_id" ON "opp" ("student_id")',
    'CREATE INDEX "opp_school_id" ON "opp" ("school_id")',
    'CREATE INDEX "opp_created_by_id" ON "opp" ("created_by_id")',
    'CREATE TABLE "opp_response" ("id" SERIAL NOT NULL PRIMARY KEY, "opp_id" INTEGER NOT NULL, "guardian_id" INTEGER, "name" VARCHAR(200) NOT NULL, "given_on" DATE NOT NULL, "agrees" BOOLEAN NOT NULL, "view" TEXT NOT NULL, "consent_id" INTEGER, "handelingsdeel" VARCHAR(64) NOT NULL, "opp_version" INTEGER NOT NULL, "recorded_by_id" INTEGER NOT NULL, "recorded_at" TIMESTAMP NOT NULL, FOREIGN KEY ("opp_id") REFERENCES "opp" ("id") ON DELETE CASCADE, FOREIGN KEY ("guardian_id") REFERENCES "guardian" ("id") ON DELETE SET NULL, FOREIGN KEY ("consent_id") REFERENCES "consent" ("id") ON DELETE SET NULL, FOREIGN KEY ("recorded_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "opp_response_opp_id" ON "opp_response" ("opp_id")',
    'CREATE INDEX "opp_response_guardian_id" ON "opp_response" ("guardian_id")',
    'CREATE INDEX "opp_response_consent_id" ON "opp_response" ("consent_id")',
    'CREATE INDEX "opp_response_recorded_by_id" ON "opp_response" ("recorded_by_id")',
    'CREATE TABLE "opp_evaluation" ("id" SERIAL NOT NULL PRIMARY KEY, "opp_id" INTEGER NOT NULL, "held_on" DATE NOT NULL, "with_whom" VARCHAR(300) NOT NULL, "with_parents" BOOLEAN NOT NULL, "outcome" TEXT NOT NULL, "recorded_by_id" INTEGER NOT NULL, "recorded_at" TIMESTAMP NOT NULL, FOREIGN KEY ("opp_id") REFERENCES "opp" ("id") ON DELETE CASCADE, FOREIGN KEY ("recorded_by_id") REFERENCES "users" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "opp_evaluation_opp_id" ON "opp_evaluation" ("opp_id")',
    'CREATE INDEX "opp_evaluation_recorded_by_id" ON "opp_evaluation" ("recorded_by_id")',
]


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
