"""Server-side sessions, rate-limit counters shared by all workers, and the delivery state of queued mail."""

import peewee as pw
from playhouse.migrate import migrate

from portal.migrations.ddl import migrator, run

SQLITE = [
    'CREATE TABLE "user_session" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "key_hash" VARCHAR(64) NOT NULL, "created_at" DATETIME NOT NULL, "last_seen_at" DATETIME NOT NULL, "ended_at" DATETIME, "end_reason" VARCHAR(20), FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "user_session_user_id" ON "user_session" ("user_id")',
    'CREATE UNIQUE INDEX "user_session_key_hash" ON "user_session" ("key_hash")',
    'CREATE INDEX "user_session_user_id_ended_at" ON "user_session" ("user_id", "ended_at")',
    'CREATE TABLE "rate_limit" ("id" INTEGER NOT NULL PRIMARY KEY, "key" VARCHAR(255) NOT NULL, "count" INTEGER NOT NULL, "expires_at" REAL NOT NULL)',
    'CREATE UNIQUE INDEX "rate_limit_key" ON "rate_limit" ("key")',
]

POSTGRES = [
    'CREATE TABLE "user_session" ("id" SERIAL NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "key_hash" VARCHAR(64) NOT NULL, "created_at" TIMESTAMP NOT NULL, "last_seen_at" TIMESTAMP NOT NULL, "ended_at" TIMESTAMP, "end_reason" VARCHAR(20), FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "user_session_user_id" ON "user_session" ("user_id")',
    'CREATE UNIQUE INDEX "user_session_key_hash" ON "user_session" ("key_hash")',
    'CREATE INDEX "user_session_user_id_ended_at" ON "user_session" ("user_id", "ended_at")',
    'CREATE TABLE "rate_limit" ("id" SERIAL NOT NULL PRIMARY KEY, "key" VARCHAR(255) NOT NULL, "count" INTEGER NOT NULL, "expires_at" DOUBLE PRECISION NOT NULL)',
    'CREATE UNIQUE INDEX "rate_limit_key" ON "rate_limit" ("key")',
]


class _Users(pw.Model):
    """A stand-in for the users table, only so that the new foreign key can name it (frozen, not the live model)."""

    class Meta:
        table_name = "users"


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
    m = migrator(db)
    migrate(
        m.add_column("outbox_mail", "pending_message", pw.TextField(null=True)),
        m.add_column("outbox_mail", "attempts", pw.IntegerField(default=0)),
        m.add_column("outbox_mail", "next_attempt_at", pw.DateTimeField(null=True)),
        m.add_column("outbox_mail", "claimed_at", pw.DateTimeField(null=True)),
        m.add_column("outbox_mail", "failed_at", pw.DateTimeField(null=True)),
        m.add_column("outbox_mail", "caused_by_id",
                     pw.ForeignKeyField(_Users, field=_Users.id, null=True, on_delete="SET NULL")),
        m.add_index("outbox_mail", ("sent_at", "failed_at", "next_attempt_at"), False),
    )
