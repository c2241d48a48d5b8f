"""Database access: one peewee proxy, initialised by the app factory, never at import time."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlparse

import peewee
from playhouse.db_url import connect

from portal import clock

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
    return clock.utc_now()


log = logging.getLogger("portal.db")


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


def open_database(url: str, pool_size: int = 0) -> peewee.Database:
    """Open a database from a URL (sqlite:///path or postgresql://...).

    With ``pool_size`` connections are kept open and reused between requests: a new PostgreSQL connection costs
    more than most pages, and a new SQLite one opens the file and sets four pragmas (a few ms of every request).
    """
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        options = {"pragmas": SQLITE_PRAGMAS, "lock_type": SQLITE_LOCK_TYPE, "timeout": BUSY_TIMEOUT_MS / 1000}
        if pool_size and parsed.scheme == "sqlite":
            from playhouse.pool import PooledSqliteDatabase

            path = url.split("://", 1)[1][1:]  # sqlite:///relative.db, sqlite:////absolute.db
            # A pooled connection moves between threads (one at a time): sqlite3 must not pin it to its first.
            return PooledSqliteDatabase(path, max_connections=pool_size, stale_timeout=300,
                                        check_same_thread=False, **options)
        return connect(url, **options)
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


def is_unavailable(exc: BaseException) -> bool:
    """True when the database server cannot be reached (PostgreSQL gone, a connection cut), not a busy SQLite."""
    return isinstance(exc, (peewee.OperationalError, peewee.InterfaceError)) and not is_busy(exc) \
        and not is_sqlite()


def discard_connections() -> None:
    """Drop this thread's connection and every idle pooled one: after an outage they point at a server that is
    gone, and the next request must connect afresh instead of failing on a dead socket."""
    try:
        database.close()
    except Exception:  # the connection is already broken; closing it can fail too
        pass
    close_idle = getattr(database.obj, "close_idle", None)
    if close_idle is not None:
        try:
            close_idle()
        except Exception:
            pass


def is_sqlite(db: peewee.Database | None = None) -> bool:
    target = db or database.obj
    return isinstance(target, peewee.SqliteDatabase)


def refresh_statistics() -> None:
    """Tell the query planner how big the tables are: SQLite keeps no statistics until ANALYZE and then picks, for
    example, the status index over the whole install's applications instead of one school's students ("mijn
    acties" 114 -> 35 ms at SWV volume, ``make profile``). PostgreSQL's autovacuum does this too; harmless there.
    Run after migrations and by a daily job; ``analysis_limit`` keeps SQLite's pass short on a large file."""
    if is_sqlite():
        database.execute_sql("PRAGMA analysis_limit=1000")
    database.execute_sql("ANALYZE")


def init_app(app) -> None:
    db = open_database(app.config["DATABASE_URL"], int(app.config["DATABASE_POOL_SIZE"]))
    database.initialize(db)
    app.extensions["database"] = db

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.errorhandler(peewee.OperationalError)
    @app.errorhandler(peewee.InterfaceError)
    def _busy(exc):
        """Still locked after the busy timeout, or the server gone: ask to try again (nothing was saved)."""
        from flask import render_template

        if is_busy(exc):
            return render_template("errors/error.html", code=503, busy=True), 503
        if not is_unavailable(exc):
            raise exc
        return unavailable(exc)

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()


def unavailable(exc: BaseException):
    """The 503 page while the database is gone. It is rendered by Jinja directly: ``render_template`` would run
    the context processors, and flask-login's loads the user from the database."""
    from flask import current_app
    from flask_babel import get_locale

    log.warning("Database unreachable: %s", str(exc).strip().splitlines()[0] if str(exc).strip() else exc)
    discard_connections()
    page = current_app.jinja_env.get_template("errors/unavailable.html").render(current_locale=str(get_locale()))
    return page, 503, {"Retry-After": "30"}


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
