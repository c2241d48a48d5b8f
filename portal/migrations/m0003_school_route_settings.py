"""A school's own labels and meeting types within the SWV's route.

Frozen DDL, as the models stood when this migration was released: never edit it, add a migration.
"""

from portal.migrations.ddl import run

SQLITE = [
    'CREATE TABLE "school_phase_setting" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "route_key" VARCHAR(80) NOT NULL, "phase_key" VARCHAR(80) NOT NULL, "label" VARCHAR(200) NOT NULL, "meeting_types" TEXT, FOREIGN KEY ("school_id") REFERENCES "school" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "school_phase_setting_school_id" ON "school_phase_setting" ("school_id")',
    'CREATE UNIQUE INDEX "school_phase_setting_school_id_route_key_phase_key" ON "school_phase_setting" ("school_id", "route_key", "phase_key")',
]

POSTGRES = [
    'CREATE TABLE "school_phase_setting" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "route_key" VARCHAR(80) NOT NULL, "phase_key" VARCHAR(80) NOT NULL, "label" VARCHAR(200) NOT NULL, "meeting_types" TEXT, FOREIGN KEY ("school_id") REFERENCES "school" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "school_phase_setting_school_id" ON "school_phase_setting" ("school_id")',
    'CREATE UNIQUE INDEX "school_phase_setting_school_id_route_key_phase_key" ON "school_phase_setting" ("school_id", "route_key", "phase_key")',
]


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
