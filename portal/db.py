"""Database access: one peewee proxy, initialised by the app factory, never at import time."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import peewee
from playhouse.db_url import connect

database = peewee.DatabaseProxy()

BUSY_TIMEOUT_MS = 5000

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "synchronous": "normal",
}

# Every explicit transaction on SQLite starts with BEGIN IMMEDIATE: it takes the write lock at once, so a second
# writer waits (busy timeout) and then reads the committed state. A deferred transaction that read first and
# writes later cannot wait in WAL mode: when another writer committed in between, SQLite answers "database is
# locked" at once, which turned a plain edit conflict into an error page.
SQLITE_LOCK_TYPE = "IMMEDIATE"


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
        return connect(url, pragmas=SQLITE_PRAGMAS, lock_type=SQLITE_LOCK_TYPE, timeout=BUSY_TIMEOUT_MS / 1000)
    if parsed.scheme in {"postgres", "postgresql"}:
        if pool_size:
            pooled = parsed._replace(scheme="postgresql+pool").geturl()
            return connect(pooled, max_connections=pool_size, stale_timeout=300, timeout=10)
        return connect(url)
    raise ValueError(f"Onbekend databasetype in PORTAL_DATABASE_URL: {parsed.scheme!r}")


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked/busy" after the busy timeout ran out (a crowd, not a bug)."""
    return isinstance(exc, peewee.OperationalError) and any(
        word in str(exc).lower() for word in ("database is locked", "database is busy", "database table is locked"))


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

    @app.errorhandler(peewee.OperationalError)
    def _busy(exc):
        """Still locked after the busy timeout: ask to try again (nothing was saved), never a bare 500."""
        if not is_busy(exc):
            raise exc
        from flask import render_template

        return render_template("errors/error.html", code=503, busy=True), 503

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
