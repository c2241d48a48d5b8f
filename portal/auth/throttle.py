"""Rate limits with Flask-Limiter, counted in a store every worker process shares.

Storage (``RATELIMIT_STORAGE_URI``): the portal may run as several processes (waitress threads, several workers
behind a proxy, the scheduler), so the counters must not live in one process's memory. The default,
``portaldb://``, keeps fixed-window counters in the portal's own database (table ``rate_limit``, below), so no
extra service is needed; ``redis://...`` or ``memcached://...`` (any store the ``limits`` library knows) work too,
and ``memory://`` is for tests or a single process only.

What is limited:

* every POST to the login form, per client address (``LOGIN_CLIENT_LIMIT``), answered with 429;
* failed logins per account *and* client (``LOGIN_MAX_FAILURES`` per ``LOGIN_LOCK_MINUTES``): only that client is
  refused for that account, so a stranger cannot lock a known colleague out from elsewhere;
* failed logins per account from all clients together: beyond ``LOGIN_SLOWDOWN_AFTER`` an hour each further try
  is slowed down (a growing pause, at most ``LOGIN_SLOWDOWN_MAX_SECONDS``), never refused;
* reset requests per client (``RESET_CLIENT_LIMIT``, 429) and reset mails per address
  (``RESET_MAILS_PER_ADDRESS``: further requests get the same answer but no mail);
* invitation mails per address (``INVITE_MAILS_PER_ADDRESS``).
"""

from __future__ import annotations

import hashlib
import time

import peewee as pw
from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse
from limits.storage import Storage

from portal.auth.models import RateLimit
from portal.db import database

limiter = Limiter(key_func=get_remote_address, key_prefix="portal")


class DatabaseStorage(Storage):
    """Fixed-window counters for the ``limits`` library in the portal's database (SQLite or PostgreSQL)."""

    STORAGE_SCHEME = ["portaldb"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return (pw.DatabaseError,)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with database.atomic():
            RateLimit.insert(key=key, count=0, expires_at=now + expiry).on_conflict_ignore().execute()
            RateLimit.update(count=0, expires_at=now + expiry).where(
                (RateLimit.key == key) & (RateLimit.expires_at <= now)).execute()
            RateLimit.update(count=RateLimit.count + amount).where(RateLimit.key == key).execute()
            return RateLimit.get(RateLimit.key == key).count

    def get(self, key: str) -> int:
        row = RateLimit.get_or_none((RateLimit.key == key) & (RateLimit.expires_at > time.time()))
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = RateLimit.get_or_none((RateLimit.key == key) & (RateLimit.expires_at > time.time()))
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            database.execute_sql("SELECT 1")
            return True
        except pw.DatabaseError:
            return False

    def reset(self) -> int | None:
        return RateLimit.delete().execute()

    def clear(self, key: str) -> None:
        RateLimit.delete().where(RateLimit.key == key).execute()


def purge_expired() -> int:
    return RateLimit.delete().where(RateLimit.expires_at <= time.time()).execute()


# --- named limits used by the services ---------------------------------------------------------------------

def _limit(setting: str):
    return parse(str(current_app.config[setting]))


def _failure_limit():
    cfg = current_app.config
    return parse(f"{int(cfg['LOGIN_MAX_FAILURES'])} per {int(cfg['LOGIN_LOCK_MINUTES'])} minutes")


def _account(email: str) -> str:
    """Keys name a hash, not the address: the counters table holds no personal data."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def client() -> str:
    return get_remote_address() or "-"


def login_locked(email: str, client_id: str) -> float | None:
    """When this client may try this account again (epoch seconds), or None when it may now."""
    limit = _failure_limit()
    if limiter.limiter.test(limit, "login-fail", _account(email), client_id):
        return None
    return limiter.limiter.get_window_stats(limit, "login-fail", _account(email), client_id).reset_time


def login_failed(email: str, client_id: str) -> float:
    """Count a failed login; returns the pause (seconds) to slow this account's next answers down with."""
    limiter.limiter.hit(_failure_limit(), "login-fail", _account(email), client_id)
    cfg = current_app.config
    # One counter per account over all clients, for an hour from the first failure; past the threshold every
    # further failure lengthens the pause. Counted directly in the limiter's storage: it never refuses.
    failures = limiter.storage.incr(f"portal/login-account/{_account(email)}", 3600)
    over = failures - int(cfg["LOGIN_SLOWDOWN_AFTER"])
    return min(float(cfg["LOGIN_SLOWDOWN_MAX_SECONDS"]), 0.25 * over) if over > 0 else 0.0


def login_succeeded(email: str, client_id: str) -> None:
    limiter.limiter.clear(_failure_limit(), "login-fail", _account(email), client_id)


def allow_mail(kind: str, email: str) -> bool:
    """Whether another mail of this kind ("reset", "invite") may go to this address now (counts it if so)."""
    setting = {"reset": "RESET_MAILS_PER_ADDRESS", "invite": "INVITE_MAILS_PER_ADDRESS"}[kind]
    return limiter.limiter.hit(_limit(setting), f"mail-{kind}", _account(email))


def sleep(seconds: float) -> None:
    """The slow-down pause (one function, so tests can see it asked for without waiting)."""
    if seconds > 0:
        time.sleep(seconds)


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "portaldb://")
    app.config.setdefault("RATELIMIT_STRATEGY", "fixed-window")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "portal")
    limiter.init_app(app)


def login_client_limit() -> str:
    return str(current_app.config["LOGIN_CLIENT_LIMIT"])


def reset_client_limit() -> str:
    return str(current_app.config["RESET_CLIENT_LIMIT"])


