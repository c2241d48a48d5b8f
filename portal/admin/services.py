"""Account and group administration used by the administration pages."""

from __future__ import annotations

from collections import defaultdict

from portal.auth import accounts, services
from portal.auth.models import Membership, User
from portal.auth.session import end_all_sessions
from portal.db import database
from portal.schools.models import School
from portal.students.models import Group, GroupTeacher


def invite(school: School, name: str, email: str, role: str, actor=None) -> tuple[User, bool]:
    """Give a person a role at a school; new accounts (or ones never activated) get an invitation mail.

    Returns the user and whether an invitation was sent (not when the address had too many lately; the account
    then still waits for its password: ``user.password_hash is None``).
    """
    with database.atomic():
        user = User.get_or_none(User.email == email)
        returning = user is not None and not user.active
        if user is None:
            user = accounts.create_user(email=email, name=name)
        elif returning:  # a former leaver comes back: a fresh password, never the old one
            User.update(active=True, deactivated_at=None, password_hash=None).where(User.id == user.id).execute()
            user.active, user.password_hash = True, None
            end_all_sessions(user.id, "deactivated")  # no session from before the leave comes back to life
        accounts.add_membership(user, school, role)
    invited = False
    if user.password_hash is None:
        invited = services.send_invitation(user, school.name, caused_by=getattr(actor, "id", None))
    return user, invited


def staff_of(school_id: int, role: str | None = None) -> list[tuple[User, list[Membership]]]:
    """Every account with an active membership at the school, with those memberships, in one query."""
    query = (Membership.select(Membership, User).join(User, on=(Membership.user == User.id))
             .where((Membership.school == school_id) & Membership.active))
    if role:
        query = query.where(Membership.role == role)
    by_user: dict[int, list[Membership]] = defaultdict(list)
    users: dict[int, User] = {}
    for membership in query.order_by(User.name, Membership.role):
        users.setdefault(membership.user_id, membership.user)
        by_user[membership.user_id].append(membership)
    return [(users[uid], by_user[uid]) for uid in users]


def member_or_none(school_id: int, user_id: int) -> tuple[User, list[Membership]] | None:
    rows = [row for row in staff_of(school_id) if row[0].id == user_id]
    return rows[0] if rows else None


def leave_school(user: User, school_id: int) -> bool:
    """End a leaver's memberships at the school; without any left the account is switched off at once.

    Returns True when the whole account was deactivated.
    """
    with database.atomic():
        Membership.update(active=False).where((Membership.user == user) & (Membership.school == school_id)).execute()
        GroupTeacher.delete().where((GroupTeacher.user == user) & GroupTeacher.group.in_(
            Group.select(Group.id).where(Group.school == school_id))).execute()
        remaining = Membership.select().where((Membership.user == user) & Membership.active).exists()
        if remaining or user.is_admin:
            return False
        accounts.deactivate(user)
        return True


def groups_with_teachers(school_id: int) -> list[tuple[Group, list[User]]]:
    """The school's groups and their teachers in two queries."""
    groups = list(Group.select().where(Group.school == school_id).order_by(Group.school_year.desc(), Group.name))
    teachers: dict[int, list[User]] = defaultdict(list)
    if groups:
        rows = (GroupTeacher.select(GroupTeacher, User).join(User, on=(GroupTeacher.user == User.id))
                .where(GroupTeacher.group.in_([g.id for g in groups])).order_by(User.name))
        for row in rows:
            teachers[row.group_id].append(row.user)
    return [(group, teachers[group.id]) for group in groups]


def set_teachers(group: Group, user_ids: list[int]) -> None:
    with database.atomic():
        GroupTeacher.delete().where(GroupTeacher.group == group).execute()
        if user_ids:
            GroupTeacher.insert_many([{"group": group.id, "user": uid} for uid in set(user_ids)]).execute()

