"""Passwords, login throttling and single-use tokens."""

from __future__ import annotations

import datetime as dt
import functools
import threading

import zxcvbn
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from portal import links, mail
from portal.auth import throttle
from portal.auth.models import AuthToken, LoginThrottle, Membership, User
from portal.auth.session import end_all_sessions
from portal.db import database, utcnow
from portal.language import portal_language
from portal.tokens import digest as _digest
from portal.tokens import new_token

MIN_PASSWORD_LENGTH = 10


@functools.cache
def _hasher_for(time_cost: int, memory_kib: int, parallelism: int) -> tuple[PasswordHasher, str]:
    """The hasher for these costs and a dummy hash made with it: verified against for unknown addresses, accounts
    without a password and deactivated ones, so that the answer takes as long as for a real account (argon2
    dominates the time) and does not reveal which addresses exist."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
    return hasher, hasher.hash("no account has this password")


def _hasher() -> tuple[PasswordHasher, str]:
    config = current_app.config
    return _hasher_for(int(config["PASSWORD_HASH_TIME_COST"]), int(config["PASSWORD_HASH_MEMORY_KIB"]),
                       int(config["PASSWORD_HASH_PARALLELISM"]))


@functools.cache
def _slots(concurrency: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(max(1, concurrency))


def _hashing():
    """Held while argon2 runs: bounds the memory concurrent logins take in one process (a queue, not a refusal)."""
    return _slots(int(current_app.config["PASSWORD_HASH_CONCURRENCY"]))


def hash_password(password: str) -> str:
    with _hashing():
        return _hasher()[0].hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        with _hashing():
            return _hasher()[0].verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_hash(value_hash: str, value: str) -> bool:
    """Whether ``value`` matches an argon2 hash made by hash_password (a recovery code, for instance)."""
    return _verify(value_hash, value)


def check_password(user: User, password: str) -> bool:
    if not user.password_hash:
        _verify(_hasher()[1], password)
        return False
    if not _verify(user.password_hash, password):
        return False
    _rehash_if_needed(user, password)
    return True


def _rehash_if_needed(user: User, password: str) -> None:
    """A hash made with other costs than the configured ones is replaced now, while the password is known."""
    try:
        stale = _hasher()[0].check_needs_rehash(user.password_hash)
    except InvalidHashError:
        stale = True
    if stale:
        user.password_hash = hash_password(password)
        User.update(password_hash=user.password_hash).where(User.id == user.id).execute()


# --- throttling of share-link codes (per link; logins use portal.auth.throttle) ----------------------------

def locked_until(key: str) -> dt.datetime | None:
    row = LoginThrottle.get_or_none(LoginThrottle.key == key.lower())
    if row and row.locked_until and row.locked_until > utcnow():
        return row.locked_until
    return None


def register_failure(key: str) -> None:
    """Count a failure; lock the key for a while after too many. Atomic across workers."""
    key, now = key.lower(), utcnow()
    cfg = current_app.config
    with database.atomic():
        LoginThrottle.insert(key=key, failures=0, first_failure_at=now).on_conflict_ignore().execute()
        LoginThrottle.update(failures=LoginThrottle.failures + 1).where(LoginThrottle.key == key).execute()
        row = LoginThrottle.get(LoginThrottle.key == key)
        if row.failures >= cfg["LOGIN_MAX_FAILURES"]:
            LoginThrottle.update(
                locked_until=now + dt.timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"]), failures=0
            ).where(LoginThrottle.key == key).execute()


def clear_failures(key: str) -> None:
    LoginThrottle.delete().where(LoginThrottle.key == key.lower()).execute()


# --- login -------------------------------------------------------------------------------------------------

class LoginRefused(Exception):
    """Too many failed logins for this account from this client; ``until`` is a naive UTC datetime."""

    def __init__(self, until: dt.datetime):
        super().__init__(until)
        self.until = until


class LoginPaused(Exception):
    """Many failed logins for this account from anywhere: refused for ``seconds`` more, without a check."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def authenticate(email: str, password: str) -> User | None:
    """The active account with this address and password, or None. Always runs one argon2 verification."""
    user = User.get_or_none(User.email == email.strip().lower())
    if user is None or not user.active:
        _verify(_hasher()[1], password)
        return None
    return user if check_password(user, password) else None


def login(email: str, password: str, client: str) -> User | None:
    """Authenticate with throttling per account and client (a lock from one client never locks out another);
    many failures for one account from anywhere make its logins wait a few seconds. Raises LoginRefused and
    LoginPaused."""
    email = email.strip().lower()
    locked = throttle.login_locked(email, client)
    if locked is not None:
        raise LoginRefused(dt.datetime.fromtimestamp(locked, dt.UTC).replace(tzinfo=None))
    paused = throttle.login_paused(email)
    if paused:
        raise LoginPaused(paused)  # answered at once: the password is not even checked
    user = authenticate(email, password)
    if user is None:
        throttle.login_failed(email, client)
        return None
    if not second_factor_required(user):
        # With a second factor the failures are cleared only once the code is right too: wrong codes keep counting.
        throttle.login_succeeded(email, client)
    return user


def second_factor_required(user: User) -> bool:
    """Whether this account signs in with a second factor (R-AVG-SEC-1): one of its active roles is listed in
    SECOND_FACTOR_ROLES ("admin": the SWV administrator)."""
    roles = set(current_app.config.get("SECOND_FACTOR_ROLES") or [])
    if not roles:
        return False
    if user.is_admin and "admin" in roles:
        return True
    return Membership.select().where((Membership.user == user) & Membership.active
                                     & Membership.role.in_(sorted(roles))).exists()


# --- tokens ----------------------------------------------------------------------------------------------

def issue_token(user: User, purpose: str, lifetime: dt.timedelta) -> str:
    """A new token replaces any unused one of the same purpose."""
    AuthToken.delete().where((AuthToken.user == user) & (AuthToken.purpose == purpose)
                             & AuthToken.used_at.is_null()).execute()
    token = new_token()
    AuthToken.create(user=user, purpose=purpose, token_hash=_digest(token), expires_at=utcnow() + lifetime)
    return token


def redeem_token(token: str, purpose: str, consume: bool) -> User | None:
    row = AuthToken.get_or_none((AuthToken.token_hash == _digest(token)) & (AuthToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at < utcnow() or not row.user.active:
        return None
    if consume:
        claimed = (AuthToken.update(used_at=utcnow())
                   .where((AuthToken.id == row.id) & AuthToken.used_at.is_null()).execute())
        if claimed != 1:
            return None
    return row.user


GUESSABLE_BELOW = 3  # zxcvbn's score (0-4): 3 and up withstands an offline attack on a slow hash


def password_guessable(password: str, user: User) -> bool:
    """Whether a chosen password is easy to guess: in the lists of common and breached passwords that zxcvbn
    ships (30,000 of them, with their variations in capitals, digits and l33t), or built from the person's own name
    or e-mail address."""
    name = (user.name or "").lower()
    inputs = [user.email, user.email.split("@")[0], name, name.replace(" ", ""), *name.split()]
    return zxcvbn.zxcvbn(password[:100], user_inputs=[i for i in inputs if i])["score"] < GUESSABLE_BELOW


def set_password(user: User, password: str) -> None:
    """A new password ends every session of the account: a copied cookie stops working."""
    with database.atomic():
        User.update(password_hash=hash_password(password)).where(User.id == user.id).execute()
        end_all_sessions(user.id, "password")


def send_invitation(user: User, school_name: str, *, caused_by) -> bool:
    """Mail an invitation link; False (and no mail) when this address had too many invitations lately.

    ``caused_by``: who invited (an actor, user or id), told if the mail finally fails. The mail is written in the
    portal's language, not in the inviter's.
    """
    if not throttle.allow_mail("invite", user.email):
        return False
    days = current_app.config["INVITE_TOKEN_DAYS"]
    token = issue_token(user, "invite", dt.timedelta(days=days))
    link = links.absolute("auth.set_password", token=token)
    with portal_language():
        subject = _("Uitnodiging van %(school)s voor het ondersteuningsportaal", school=school_name)
        body = _("Beste %(name)s,\n\n%(school)s nodigt je uit voor het ondersteuningsportaal en heeft een account "
                 "voor je aangemaakt.\nKies je wachtwoord via deze link (geldig %(days)s dagen):\n%(link)s\n\n"
                 "Verwacht je deze uitnodiging niet? Dan kun je dit bericht negeren.\n",
                 name=user.name, school=school_name, days=days, link=link)
    mail.send(user.email, subject, body, secrets=[link, token], caused_by=caused_by)
    return True


def request_reset(email: str) -> bool:
    """A reset mail for an active account with a password, at most RESET_MAILS_PER_ADDRESS. The caller answers
    the same either way; the return value (mail sent or not) is for tests and logs only."""
    user = User.get_or_none(User.email == email.strip().lower())
    if user is None or not user.active or not user.password_hash:
        return False
    if not throttle.allow_mail("reset", user.email):
        return False
    send_reset(user)
    return True


def send_reset(user: User) -> None:
    """The reset mail, in the portal's language; asked for without logging in, so nobody is told of a failure."""
    hours = current_app.config["RESET_TOKEN_HOURS"]
    token = issue_token(user, "reset", dt.timedelta(hours=hours))
    link = links.absolute("auth.set_password", token=token)
    with portal_language():
        subject = _("Wachtwoord opnieuw instellen")
        body = _("Via deze link stel je een nieuw wachtwoord in (eenmalig, %(hours)s uur geldig):\n%(link)s\n\n"
                 "Heb je dit niet aangevraagd? Dan kun je dit bericht negeren.\n", hours=hours, link=link)
    mail.send(user.email, subject, body, secrets=[link, token], caused_by=None)
