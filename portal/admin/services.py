"""Administration: schools, staff and their roles, groups and the outbox, as the administration pages use them.

Every change takes the acting ``policy.Actor`` and writes an audit event with it (IDs only, like dossier changes);
a change that is refused raises ``Refused`` with the Dutch reason. Nothing here reads the request.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from portal import policy
from portal.language import portal_language
from portal.notifications import services as notifications
from portal.audit import services as audit
from portal.auth import accounts, services
from portal.auth.models import Membership, User
from portal.db import database
from portal.schools.models import School, regular_type
from portal.students.models import Group, GroupTeacher

# The audit actions of administration, with their object types; their Dutch labels are in portal.labels.
SCHOOL_CREATE, SCHOOL_UPDATE = "school.create", "school.update"  # school
GROUP_CREATE, GROUP_UPDATE, GROUP_TEACHERS = "group.create", "group.update", "group.teachers"  # group
USER_INVITE, USER_REACTIVATE = "user.invite", "user.reactivate"  # user
USER_CREATE = "user.create"  # user: an account made on the server's command line (portal create-user)
USER_LEAVE, USER_DEACTIVATE = "user.leave", "user.deactivate"  # user: left one school / the whole account is off
ROLE_GRANT, ROLE_REVOKE = "role.grant", "role.revoke"  # membership
USER_ORGANISATION = "user.organisation"  # user: the organisation a consent names (an outside professional)
ACTIONS = (SCHOOL_CREATE, SCHOOL_UPDATE, GROUP_CREATE, GROUP_UPDATE, GROUP_TEACHERS, USER_INVITE, USER_REACTIVATE,
           USER_CREATE, USER_LEAVE, USER_DEACTIVATE, ROLE_GRANT, ROLE_REVOKE, USER_ORGANISATION)

BRIN_TAKEN = _l("Er is al een school met dit BRIN-nummer.")
GROUP_TAKEN = _l("Deze school heeft in dit schooljaar al een groep met deze naam.")
LAST_ROLE = _l("Dit is de laatste rol op deze school. Gebruik 'Uit dienst' om de toegang te beëindigen.")
OWN_ACCESS = _l("Je kunt je eigen toegang niet beëindigen.")
BEYOND_THE_SCHOOL = _l("Dit account werkt ook voor een andere school: alleen de beheerder van het "
                       "samenwerkingsverband legt de organisatie vast.")
SELF_GRANT = "role.self_grant"  # notification kind: a beheerder gave themselves a role that reads confidential notes


class Refused(Exception):
    """A change the rules do not allow; ``str()`` is the Dutch reason, ``field`` the form field it concerns."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field

    def __str__(self) -> str:
        return str(self.message)


def _audit(action: str, object_type: str, object_id: int, actor: policy.Actor, school_id: int) -> None:
    """An admin change, logged under the school it concerns (so that school's beheerder sees it too)."""
    audit.record(action, object_type, object_id, kind="write", actor=actor, school_id=school_id)


# --- schools (SWV administrator) ----------------------------------------------------------------------------

def schools() -> list[School]:
    return list(School.select().order_by(School.name))


def school_or_none(school_id: int | None) -> School | None:
    return School.get_or_none(School.id == school_id) if school_id else None


def save_school(school: School | None, name: str, brin: str, sector: str, actor: policy.Actor,
                school_type: str | None = None) -> School:
    """Create a school (``school`` None) or change one; a BRIN of another school is refused (field ``brin``).
    ``school_type`` None: the regular school of the sector."""
    clash = School.select().where(School.brin == brin)
    if school is not None:
        clash = clash.where(School.id != school.id)
    if clash.exists():
        raise Refused(BRIN_TAKEN, "brin")
    values = (name.strip(), brin, sector, school_type or regular_type(sector))
    if school is not None and (school.name, school.brin, school.sector, school.type_key) == values:
        return school  # nothing changed: nothing to store or audit
    school = school or School()
    created = school.id is None
    school.name, school.brin, school.sector, school.school_type = values
    try:
        with database.atomic():
            school.save()
            _audit(SCHOOL_CREATE if created else SCHOOL_UPDATE, "school", school.id, actor, school.id)
    except IntegrityError:  # the same BRIN stored in between
        raise Refused(BRIN_TAKEN, "brin") from None
    return school


# --- staff and roles (beheerder; the SWV administrator for a school's beheerders) ---------------------------

def invite(school: School, name: str, email: str, role: str, actor: policy.Actor) -> tuple[User, bool]:
    """Give a person a role at a school; new accounts (or ones never activated) get an invitation mail.

    Audited: ``user.invite`` for an account that waits for its password (new or never activated),
    ``user.reactivate`` for a former leaver who comes back, ``role.grant`` when the role is new to the person.
    Returns the user and whether an invitation was sent (not when the address had too many lately; the account
    then still waits for its password: ``user.password_hash is None``).
    """
    with database.atomic():
        user = User.get_or_none(User.email == email)
        returning = user is not None and not user.active
        if user is None:
            user = accounts.create_user(email=email, name=name)
        elif returning:  # a former leaver comes back: a fresh password, never the old one
            accounts.reactivate(user)
        if returning:
            _audit(USER_REACTIVATE, "user", user.id, actor, school.id)
        elif user.password_hash is None:
            _audit(USER_INVITE, "user", user.id, actor, school.id)
        _grant(user, school, role, actor)
    invited = False
    if user.password_hash is None:
        invited = services.send_invitation(user, school.name, caused_by=actor.id)
    return user, invited


def create_account(*, email: str, name: str, password: str | None, is_admin: bool, brin: str | None,
                   role: str | None, actor: policy.Actor) -> User:
    """An account made outside the pages (``portal create-user``), audited like an invitation: ``user.create``
    and, with a school role, ``role.grant``. Raises accounts.AccountError (Dutch) when refused."""
    with database.atomic():
        user = accounts.create_user(email=email, name=name, password=password, is_admin=is_admin, brin=brin,
                                    role=role)
        membership = Membership.get_or_none(Membership.user == user.id)
        school_id = membership.school_id if membership else None
        audit.record(USER_CREATE, "user", user.id, kind="write", actor=actor, school_id=school_id)
        if membership:
            _audit(ROLE_GRANT, "membership", membership.id, actor, membership.school_id)
    return user


def may_set_organisation(user: User | None, school: School, actor: policy.Actor) -> bool:
    """Whether the actor may set this account's organisation. It belongs to the account, across schools, and a
    consent naming it opens a meeting's contents: so once the account holds a role at another school too (a
    jeugdhulp professional or deskundige working for several schools), only the SWV administrator sets it; a
    school's beheerder sets it for accounts that work for their school alone."""
    if actor.is_admin or user is None:
        return True
    return not Membership.select().where((Membership.user == user.id) & Membership.active
                                         & (Membership.school != school.id)).exists()


def may_invite_with_organisation(email: str, school: School, actor: policy.Actor) -> bool:
    """``may_set_organisation`` for the account an invitation to ``email`` reaches (None: a new account)."""
    return may_set_organisation(User.get_or_none(User.email == email), school, actor)


def set_organisation(user: User, school: School, organisation: str, actor: policy.Actor) -> bool:
    """The organisation the person works for (jeugdhulp, SWV, deskundige): a consent naming it lets them see a
    meeting's contents. Audited under the school; False when nothing changed. Refused (field ``organisation``)
    where ``may_set_organisation`` says no."""
    value = " ".join((organisation or "").split())[:200]
    if value == user.organisation:
        return False
    if not may_set_organisation(user, school, actor):
        raise Refused(BEYOND_THE_SCHOOL, "organisation")
    with database.atomic():
        User.update(organisation=value).where(User.id == user.id).execute()
        _audit(USER_ORGANISATION, "user", user.id, actor, school.id)
    user.organisation = value
    return True


def grant_role(user: User, school: School, role: str, actor: policy.Actor) -> Membership:
    with database.atomic():
        return _grant(user, school, role, actor)


def _grant(user: User, school: School, role: str, actor: policy.Actor) -> Membership:
    """The membership, active; audited only when the person did not have the role already."""
    had = Membership.select().where((Membership.user == user) & (Membership.school == school)
                                    & (Membership.role == role) & Membership.active).exists()
    membership = accounts.add_membership(user, school, role)
    if not had:
        _audit(ROLE_GRANT, "membership", membership.id, actor, school.id)
        if user.id == actor.id and ("dossier", "confidential") in policy.PERMISSIONS.get(role, {}):
            _tell_care_staff(user, school, role)
    return membership


def _tell_care_staff(user: User, school: School, role: str) -> None:
    """A beheerder who gives themselves a role that reads confidential notes does so in view of the school's
    other care staff and beheerders: each is notified (bell and mail, as they chose), besides the audit log."""
    readers = {u.id for u, memberships in staff_of(school.id) if u.id != user.id and any(
        m.role == "beheerder" or ("dossier", "confidential") in policy.PERMISSIONS.get(m.role, {})
        for m in memberships)}
    with portal_language():
        title = _("%(name)s heeft zichzelf de rol %(role)s gegeven op %(school)s en kan nu vertrouwelijke "
                  "notities lezen.", name=user.name, role=str(policy.ROLES.get(role, role)), school=school.name)
    notifications.notify(readers, SELF_GRANT, title, notifications.NOTIFICATIONS_PATH)


def revoke_role(membership: Membership, actor: policy.Actor) -> None:
    """End one role; the last role at the school stays (leaving goes through ``leave_school``)."""
    with database.atomic():
        others = Membership.select().where(
            (Membership.user == membership.user_id) & (Membership.school == membership.school_id)
            & Membership.active & (Membership.id != membership.id))
        if not others.exists():
            raise Refused(LAST_ROLE)
        Membership.update(active=False).where(Membership.id == membership.id).execute()
        _audit(ROLE_REVOKE, "membership", membership.id, actor, membership.school_id)


def leave_school(user: User, school_id: int, actor: policy.Actor) -> bool:
    """End a leaver's memberships at the school; without any left the account is switched off at once.

    Nobody ends their own access. Returns True when the whole account was deactivated.
    """
    if user.id == actor.id:
        raise Refused(OWN_ACCESS)
    with database.atomic():
        Membership.update(active=False).where((Membership.user == user) & (Membership.school == school_id)).execute()
        GroupTeacher.delete().where((GroupTeacher.user == user) & GroupTeacher.group.in_(
            Group.select(Group.id).where(Group.school == school_id))).execute()
        _audit(USER_LEAVE, "user", user.id, actor, school_id)
        remaining = Membership.select().where((Membership.user == user) & Membership.active).exists()
        if remaining or user.is_admin:
            return False
        accounts.deactivate(user)
        _audit(USER_DEACTIVATE, "user", user.id, actor, school_id)
        return True


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


# --- groups and classes (beheerder) ---------------------------------------------------------------------

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


def group_or_none(school_id: int, group_id: int) -> Group | None:
    return Group.get_or_none((Group.id == group_id) & (Group.school == school_id))


def teacher_ids(group: Group) -> list[int]:
    return [row.user_id for row in GroupTeacher.select(GroupTeacher.user).where(GroupTeacher.group == group)]


def save_group(school: School, group: Group | None, name: str, school_year: str, teachers: list[int],
               actor: policy.Actor) -> Group:
    """Create a group (``group`` None) or change one, with its teachers; one name per school year (field
    ``name``). Audited: ``group.create`` or ``group.update`` when name or year changed, ``group.teachers`` when
    the teachers changed."""
    name = name.strip()
    taken = Group.select().where((Group.school == school.id) & (Group.name == name)
                                 & (Group.school_year == school_year))
    if group is not None:
        taken = taken.where(Group.id != group.id)
    if taken.exists():
        raise Refused(GROUP_TAKEN, "name")
    with database.atomic():
        created = group is None
        group = group or Group(school=school)
        if created or (group.name, group.school_year) != (name, school_year):
            group.name, group.school_year = name, school_year
            group.save()
            _audit(GROUP_CREATE if created else GROUP_UPDATE, "group", group.id, actor, group.school_id)
        if set(teachers) != set(teacher_ids(group)):
            _set_teachers(group, teachers)
            _audit(GROUP_TEACHERS, "group", group.id, actor, group.school_id)
    return group


def _set_teachers(group: Group, user_ids: list[int]) -> None:
    GroupTeacher.delete().where(GroupTeacher.group == group).execute()
    if user_ids:
        GroupTeacher.insert_many([{"group": group.id, "user": uid} for uid in set(user_ids)]).execute()
