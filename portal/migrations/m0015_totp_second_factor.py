"""A second factor for staff (TOTP): the encrypted authenticator secret per account and its one-time recovery
codes, stored hashed. Frozen: its own DDL, never a live model."""

from portal.migrations.ddl import run

SQLITE = [
    'CREATE TABLE "second_factor" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "secret" TEXT NOT NULL, "confirmed_at" DATETIME, "last_step" INTEGER, "created_at" DATETIME NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "second_factor_user_id" ON "second_factor" ("user_id")',
    'CREATE TABLE "recovery_code" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "code_hash" VARCHAR(255) NOT NULL, "used_at" DATETIME, "created_at" DATETIME NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "recovery_code_user_id" ON "recovery_code" ("user_id")',
]

POSTGRES = [
    'CREATE TABLE "second_factor" ("id" SERIAL NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "secret" TEXT NOT NULL, "confirmed_at" TIMESTAMP, "last_step" BIGINT, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "second_factor_user_id" ON "second_factor" ("user_id")',
    'CREATE TABLE "recovery_code" ("id" SERIAL NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "code_hash" VARCHAR(255) NOT NULL, "used_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "recovery_code_user_id" ON "recovery_code" ("user_id")',
]


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
