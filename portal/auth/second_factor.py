"""A second factor for staff (R-AVG-SEC-1, AVG art. 32): a TOTP authenticator app after the password.

Who needs one: an account with an active role listed in ``SECOND_FACTOR_ROLES`` ("admin" stands for the SWV
administrator). The secret is stored encrypted (Fernet, with a key derived from the instance's secret key), so a
database backup alone does not reveal it. A code is accepted one step (30 s) either side of now, and never twice:
the last accepted step is stored. Wrong codes count as failed logins (``portal.auth.throttle``). Ten one-time
recovery codes are shown once and stored as argon2 hashes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import io
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from portal import policy
from portal.audit import services as audit
from portal.auth import throttle
from portal.auth.models import RecoveryCode, SecondFactor, User
from portal.auth.services import LoginPaused, LoginRefused, hash_password, second_factor_required, verify_hash
from portal.db import database, utcnow

STEP_SECONDS = 30
RECOVERY_CODES = 10
ISSUER = "Ondersteuningsportaal"


class Unreadable(Exception):
    """The stored secret cannot be decrypted (the instance's secret key changed): an administrator resets it."""


def required(user: User) -> bool:
    """Whether this account signs in with a second factor."""
    return second_factor_required(user)


def account(user_id: object) -> User | None:
    """The active account a browser between password and code stands for, or None."""
    if not isinstance(user_id, int):
        return None
    return User.get_or_none((User.id == user_id) & User.active)


def _confirmed(user: User) -> SecondFactor | None:
    return SecondFactor.get_or_none((SecondFactor.user == user) & SecondFactor.confirmed_at.is_null(False))


def enrolled(user: User) -> bool:
    return _confirmed(user) is not None


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.select().where((RecoveryCode.user == user) & RecoveryCode.used_at.is_null()).count()


# --- the secret at rest ------------------------------------------------------------------------------------

def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"portal second factor").derive(str(current_app.config["SECRET_KEY"]).encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _secret_of(row: SecondFactor) -> str:
    try:
        return _fernet().decrypt(row.secret.encode()).decode()
    except InvalidToken as exc:
        raise Unreadable() from exc


# --- enrolment ---------------------------------------------------------------------------------------------

def pending_secret(user: User) -> str:
    """The secret the user is enrolling with: kept (encrypted) until confirmed, so reloading the page shows the
    same one. Only for a user without a confirmed factor."""
    row = SecondFactor.get_or_none(SecondFactor.user == user)
    if row is not None and row.confirmed_at is None:
        try:
            return _secret_of(row)
        except Unreadable:
            row.delete_instance()
    elif row is not None:
        raise ValueError("already enrolled")
    secret = pyotp.random_base32()
    SecondFactor.create(user=user, secret=_fernet().encrypt(secret.encode()).decode())
    return secret


def qr_svg(user: User, secret: str) -> str:
    """The enrolment QR code as inline SVG (no image libraries needed)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True, title=ISSUER)
    return out.getvalue().decode()


def confirm(user: User, code: str) -> list[str] | None:
    """Confirm enrolment with a code from the app: the factor is on and ten recovery codes are returned (to show
    once); None for a wrong code."""
    row = SecondFactor.get_or_none((SecondFactor.user == user) & SecondFactor.confirmed_at.is_null())
    if row is None:
        return None
    step = _matching_step(_secret_of(row), code, None)
    if step is None:
        return None
    with database.atomic():
        SecondFactor.update(confirmed_at=utcnow(), last_step=step).where(SecondFactor.id == row.id).execute()
        return _new_recovery_codes(user)


# --- codes -------------------------------------------------------------------------------------------------

def _now_step() -> int:
    return int(utcnow().replace(tzinfo=dt.UTC).timestamp()) // STEP_SECONDS


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The step (now, or one either side) whose code this is, later than the last accepted one."""
    code = "".join((code or "").split())
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = _now_step()
    for step in (now - 1, now, now + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _use_recovery_code(user: User, code: str) -> bool:
    code = _normalise(code)
    if len(code) != 10 or not code.isascii():
        return False
    for row in RecoveryCode.select().where((RecoveryCode.user == user) & RecoveryCode.used_at.is_null()):
        if verify_hash(row.code_hash, code):
            claimed = RecoveryCode.update(used_at=utcnow()).where(
                (RecoveryCode.id == row.id) & RecoveryCode.used_at.is_null()).execute()
            return claimed == 1
    return False


def _use_totp(user: User, code: str) -> bool:
    row = _confirmed(user)
    if row is None:
        return False
    step = _matching_step(_secret_of(row), code, row.last_step)
    if step is None:
        return False
    # Claimed atomically: two requests with the same code cannot both pass.
    claimed = SecondFactor.update(last_step=step).where(
        (SecondFactor.id == row.id) & (SecondFactor.last_step.is_null() | (SecondFactor.last_step < step))).execute()
    return claimed == 1


def check(user: User, code: str, client: str) -> bool:
    """The second step of a login: a code from the app, or a recovery code. Throttled like the password (raises
    LoginRefused and LoginPaused); a wrong code counts as a failed login."""
    locked = throttle.login_locked(user.email, client)
    if locked is not None:
        raise LoginRefused(dt.datetime.fromtimestamp(locked, dt.UTC).replace(tzinfo=None))
    paused = throttle.login_paused(user.email)
    if paused:
        raise LoginPaused(paused)
    if _use_totp(user, code) or _use_recovery_code(user, code):
        throttle.login_succeeded(user.email, client)
        return True
    throttle.login_failed(user.email, client)
    return False


# --- recovery codes and reset ------------------------------------------------------------------------------

def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.delete().where(RecoveryCode.user == user).execute()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    RecoveryCode.insert_many([{"user": user.id, "code_hash": hash_password(code), "created_at": utcnow()}
                              for code in codes]).execute()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def regenerate_recovery_codes(user: User, code: str, client: str, actor: policy.Actor) -> list[str] | None:
    """Ten new recovery codes (the old ones stop working) after a current code from the app; None when the code
    is wrong. Audited."""
    if not enrolled(user) or not check(user, code, client):
        return None
    with database.atomic():
        codes = _new_recovery_codes(user)
        audit.write("user.recovery_codes", "user", user.id, actor=actor)
    return codes


def reset(user_id: int, actor: policy.Actor) -> User | None:
    """The SWV administrator removes an account's second factor and recovery codes: the user enrols again at the
    next sign-in. None when there is no such account. Audited as its own action."""
    policy.require("user", "manage_admin", actor=actor)
    user = User.get_or_none(User.id == user_id)
    if user is None:
        return None
    with database.atomic():
        SecondFactor.delete().where(SecondFactor.user == user).execute()
        RecoveryCode.delete().where(RecoveryCode.user == user).execute()
        audit.write("user.second_factor_reset", "user", user.id, actor=actor)
    return user
