"""Passwords, login throttling and single-use tokens."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, url_for

from portal import mail
from portal.auth.models import AuthToken, LoginThrottle, User
from portal.db import database, utcnow
from portal.tokens import digest as _digest
from portal.tokens import new_token

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- throttling -------------------------------------------------------------------------------------------

def locked_until(email: str) -> dt.datetime | None:
    row = LoginThrottle.get_or_none(LoginThrottle.key == email.lower())
    if row and row.locked_until and row.locked_until > utcnow():
        return row.locked_until
    return None


def register_failure(email: str) -> None:
    """Count a failed login; lock the address for a while after too many. Atomic across workers."""
    key, now = email.lower(), utcnow()
    cfg = current_app.config
    with database.atomic():
        LoginThrottle.insert(key=key, failures=0, first_failure_at=now).on_conflict_ignore().execute()
        LoginThrottle.update(failures=LoginThrottle.failures + 1).where(LoginThrottle.key == key).execute()
        row = LoginThrottle.get(LoginThrottle.key == key)
        if row.failures >= cfg["LOGIN_MAX_FAILURES"]:
            LoginThrottle.update(
                locked_until=now + dt.timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"]), failures=0
            ).where(LoginThrottle.key == key).execute()


def clear_failures(email: str) -> None:
    LoginThrottle.delete().where(LoginThrottle.key == email.lower()).execute()


def authenticate(email: str, password: str) -> User | None:
    user = User.get_or_none(User.email == email.strip().lower())
    if user and user.active and check_password(user, password):
        return user
    return None


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


def send_invitation(user: User, school_name: str) -> None:
    token = issue_token(user, "invite", dt.timedelta(days=current_app.config["INVITE_TOKEN_DAYS"]))
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.set_password", token=token)
    mail.send(user.email, "Uitnodiging voor het ondersteuningsportaal",
              f"Beste {user.name},\n\nJe hebt een account gekregen bij {school_name}.\n"
              f"Kies je wachtwoord via deze link (geldig {current_app.config['INVITE_TOKEN_DAYS']} dagen):\n"
              f"{link}\n")


def send_reset(user: User) -> None:
    hours = current_app.config["RESET_TOKEN_HOURS"]
    token = issue_token(user, "reset", dt.timedelta(hours=hours))
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.set_password", token=token)
    mail.send(user.email, "Wachtwoord opnieuw instellen",
              f"Via deze link stel je een nieuw wachtwoord in (eenmalig, {hours} uur geldig):\n{link}\n\n"
              "Heb je dit niet aangevraagd? Dan kun je dit bericht negeren.\n")
