"""Accounts, memberships (school x role), server-side sessions, throttling and single-use tokens."""

import peewee as pw

from portal.db import BaseModel, utcnow
from portal.schools.models import School


class User(BaseModel):
    email = pw.CharField(max_length=254, unique=True)
    name = pw.CharField(max_length=200)
    password_hash = pw.CharField(max_length=255, null=True)  # None until the invitation is accepted
    is_admin = pw.BooleanField(default=False)  # install-level SWV administrator
    active = pw.BooleanField(default=True)
    locale = pw.CharField(max_length=5, null=True)
    # The organisation an outside professional works for (jeugdhulp, SWV, deskundige), as a consent names it.
    organisation = pw.CharField(max_length=200, default="")
    created_at = pw.DateTimeField(default=utcnow)
    last_login_at = pw.DateTimeField(null=True)
    deactivated_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "users"

    # flask-login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class Membership(BaseModel):
    user = pw.ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    school = pw.ForeignKeyField(School, backref="memberships", on_delete="CASCADE")
    role = pw.CharField(max_length=30)
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "school", "role"), True),)


class LoginThrottle(BaseModel):
    """Failed logins per e-mail address, in the database so every worker sees the same count."""

    key = pw.CharField(max_length=254, unique=True)
    failures = pw.IntegerField(default=0)
    first_failure_at = pw.DateTimeField(null=True)
    locked_until = pw.DateTimeField(null=True)


class AuthToken(BaseModel):
    """Single-use, expiring token for an invitation or a password reset; only its hash is stored."""

    user = pw.ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    purpose = pw.CharField(max_length=20)  # "invite" | "reset"
    token_hash = pw.CharField(max_length=64, unique=True)
    expires_at = pw.DateTimeField()
    used_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)


class UserSession(BaseModel):
    """One login on one browser. The signed cookie carries a random key; only its hash is stored here.

    A request is logged in only while this row is open: logout ends this one, a password change, deactivation and
    "log out everywhere" end every row of the user, so a copied cookie stops working at once.
    """

    user = pw.ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    key_hash = pw.CharField(max_length=64, unique=True)
    created_at = pw.DateTimeField(default=utcnow)
    last_seen_at = pw.DateTimeField(default=utcnow)
    ended_at = pw.DateTimeField(null=True)
    end_reason = pw.CharField(max_length=20, null=True)  # logout | password | deactivated | everywhere | idle

    class Meta:
        table_name = "user_session"
        indexes = ((("user", "ended_at"), False),)


class RateLimit(BaseModel):
    """A fixed-window counter of Flask-Limiter, in the database so that every worker process shares it."""

    key = pw.CharField(max_length=255, unique=True)
    count = pw.IntegerField(default=0)
    expires_at = pw.DoubleField()  # seconds since the epoch, as the limits library counts

    class Meta:
        table_name = "rate_limit"


class SecondFactor(BaseModel):
    """A user's TOTP authenticator (R-AVG-SEC-1). The secret is encrypted with a key derived from the instance's
    secret key, so a backup of the database alone does not reveal it. ``confirmed_at`` is None while the user is
    still enrolling; ``last_step`` is the last accepted 30-second step, so a used code cannot be replayed."""

    user = pw.ForeignKeyField(User, backref="second_factors", on_delete="CASCADE", unique=True)
    secret = pw.TextField()
    confirmed_at = pw.DateTimeField(null=True)
    last_step = pw.BigIntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "second_factor"


class RecoveryCode(BaseModel):
    """A one-time code to sign in without the authenticator; only its argon2 hash is stored."""

    user = pw.ForeignKeyField(User, backref="recovery_codes", on_delete="CASCADE")
    code_hash = pw.CharField(max_length=255)
    used_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "recovery_code"
