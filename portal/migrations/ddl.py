"""Helpers for frozen migrations: a migration carries its own DDL and never imports a live model."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator


def run(db: pw.Database, *, sqlite: list[str], postgres: list[str]) -> None:
    """Execute the statements written for this database's dialect."""
    for statement in sqlite if isinstance(db, pw.SqliteDatabase) else postgres:
        db.execute_sql(statement)


def migrator(db: pw.Database):
    """The playhouse.migrate migrator for later schema changes (add_column, add_index, ...)."""
    return SqliteMigrator(db) if isinstance(db, pw.SqliteDatabase) else PostgresqlMigrator(db)
