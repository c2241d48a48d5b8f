"""Creating and deactivating accounts and memberships."""

from __future__ import annotations

from portal import policy
from portal.auth.models import AuthToken, Membership, User
from portal.auth.services import MIN_PASSWORD_LENGTH, hash_password
from portal.auth.session import end_all_sessions
from portal.db import database, utcnow
from portal.schools.models import School


class AccountError(ValueError):
    pass


def create_user(*, email: str, name: str, password: str | None = None, is_admin: bool = False,
                brin: str | None = None, role: str | None = None) -> User:
    email = email.strip().lower()
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.")
    if role and role not in policy.ROLES:
        raise AccountError(f"Onbekende rol '{role}'. Kies uit: {', '.join(policy.ROLES)}.")
    school = None
    if brin:
        school = School.get_or_none(School.brin == brin.upper())
        if school is None:
            raise AccountError(f"Geen school met BRIN {brin}.")
    if User.get_or_none(User.email == email):
        raise AccountError(f"Er bestaat al een account met {email}.")
    with database.atomic():
        user = User.create(email=email, name=name.strip(), is_admin=is_admin,
                           password_hash=hash_password(password) if password else None)
        if school and role:
            Membership.create(user=user, school=school, role=role)
    return user


def add_membership(user: User, school: School, role: str) -> Membership:
    membership, _ = Membership.get_or_create(user=user, school=school, role=role)
    if not membership.active:
        membership.active = True
        membership.save()
    return membership


def deactivate(user: User) -> None:
    """A leaver loses access at once: the account is off, open tokens are void, every session is ended."""
    with database.atomic():
        User.update(active=False, deactivated_at=utcnow()).where(User.id == user.id).execute()
        AuthToken.delete().where((AuthToken.user == user) & AuthToken.used_at.is_null()).execute()
        end_all_sessions(user.id, "deactivated")


def reactivate(user: User) -> None:
    """A former leaver comes back: the account is on again without a password (a fresh one, never the old one),
    and no session from before the leave comes back to life."""
    with database.atomic():
        User.update(active=True, deactivated_at=None, password_hash=None).where(User.id == user.id).execute()
        user.active, user.password_hash, user.deactivated_at = True, None, None
        end_all_sessions(user.id, "deactivated")
