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
* failed logins per account from all clients together: beyond ``LOGIN_SLOWDOWN_AFTER`` an hour each further
  failure starts a pause (a second longer each time, at most ``LOGIN_SLOWDOWN_MAX_SECONDS``) in which every login
  to that account is answered at once with 429 and "probeer het over N seconden opnieuw", without checking the
  password. Nothing sleeps: a burst of wrong passwords from many addresses holds no server thread, so other pages
  stay fast; after the pause the right password works again;
* reset requests per client (``RESET_CLIENT_LIMIT``, 429) and reset mails per address
  (``RESET_MAILS_PER_ADDRESS``: further requests get the same answer but no mail);
* invitation mails per address (``INVITE_MAILS_PER_ADDRESS``).
"""

from __future__ import annotations

import hashlib
import math
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


def _pause_key(email: str) -> str:
    return f"portal/login-pause/{_account(email)}"


def login_paused(email: str) -> int:
    """Whole seconds (at least 1) this account's logins are still refused after many failures, or 0."""
    key = _pause_key(email)
    if not limiter.storage.get(key):
        return 0
    return max(1, math.ceil(limiter.storage.get_expiry(key) - time.time()))


def login_failed(email: str, client_id: str) -> int:
    """Count a failed login; returns the pause (seconds) in which the account's next logins are refused."""
    limiter.limiter.hit(_failure_limit(), "login-fail", _account(email), client_id)
    cfg = current_app.config
    # One counter per account over all clients, for an hour from the first failure; past the threshold every
    # further failure starts a longer pause. Counted directly in the limiter's storage, shared by every process.
    failures = limiter.storage.incr(f"portal/login-account/{_account(email)}", 3600)
    over = failures - int(cfg["LOGIN_SLOWDOWN_AFTER"])
    pause = min(int(cfg["LOGIN_SLOWDOWN_MAX_SECONDS"]), over) if over > 0 else 0
    if pause > 0:
        limiter.storage.clear(_pause_key(email))
        limiter.storage.incr(_pause_key(email), pause)
    return pause


def login_succeeded(email: str, client_id: str) -> None:
    limiter.limiter.clear(_failure_limit(), "login-fail", _account(email), client_id)


def allow_mail(kind: str, email: str) -> bool:
    """Whether another mail of this kind ("reset", "invite") may go to this address now (counts it if so)."""
    setting = {"reset": "RESET_MAILS_PER_ADDRESS", "invite": "INVITE_MAILS_PER_ADDRESS"}[kind]
    return limiter.limiter.hit(_limit(setting), f"mail-{kind}", _account(email))


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", "portaldb://")
    app.config.setdefault("RATELIMIT_STRATEGY", "fixed-window")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "portal")
    limiter.init_app(app)


def login_client_limit() -> str:
    return str(current_app.config["LOGIN_CLIENT_LIMIT"])


def reset_client_limit() -> str:
    return str(current_app.config["RESET_CLIENT_LIMIT"])


