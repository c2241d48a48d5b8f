"""Database access: one peewee proxy, initialised by the app factory, never at import time."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import peewee
from playhouse.db_url import connect

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


def utcnow() -> dt.datetime:
    """Naive UTC now; every timestamp in the database is naive UTC."""
    from portal import clock

    return clock.now()


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


def open_database(url: str, pool_size: int = 0) -> peewee.Database:
    """Open a database from a URL (sqlite:///path or postgresql://...).

    With ``pool_size`` PostgreSQL connections are kept open and reused between requests (a new connection costs
    more than most pages); SQLite opens a file and needs no pool.
    """
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        return connect(url, pragmas=SQLITE_PRAGMAS)
    if parsed.scheme in {"postgres", "postgresql"}:
        if pool_size:
            pooled = parsed._replace(scheme="postgresql+pool").geturl()
            return connect(pooled, max_connections=pool_size, stale_timeout=300, timeout=10)
        return connect(url)
    raise ValueError(f"Onbekend databasetype in PORTAL_DATABASE_URL: {parsed.scheme!r}")


def is_sqlite(db: peewee.Database | None = None) -> bool:
    target = db or database.obj
    return isinstance(target, peewee.SqliteDatabase)


def init_app(app) -> None:
    db = open_database(app.config["DATABASE_URL"], int(app.config["DATABASE_POOL_SIZE"]))
    database.initialize(db)
    app.extensions["database"] = db

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()


def ping() -> bool:
    """True when the database answers a trivial query."""
    try:
        database.connect(reuse_if_open=True)
        database.execute_sql("SELECT 1").fetchone()
        return True
    except Exception:  # any driver error means "not reachable"
        try:
            database.close()
        except Exception:
            pass
        return False
