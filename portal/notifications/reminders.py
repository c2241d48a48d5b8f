"""Reminders derived from data, claimed exactly once; the same items make up the task list "mijn acties".

A ``ReminderKind`` lists its open items (hook ``register_reminder_kinds``). For every item the reminder of the
latest offset whose day has come is claimed by inserting a ``ReminderClaim`` with the unique key (kind, object,
due date, offset), then sent, then marked sent. So a server that was down sends on its next run, a restart or a
second scheduler never sends twice, a moved due date is a new key (re-armed), and a claim never marked sent stays
visible to the administrator instead of being resent.

Items are processed one by one (``scheduler.each``): an item with an impossible due date or whose send fails is
logged and recorded for the administrator's page, and the other items still go out. A kind whose listing breaks
halfway keeps the items it listed before.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Callable, Iterable

import peewee as pw
from flask import current_app
from flask_babel import gettext as _

from portal.language import portal_language
from portal import bounds, clock, policy
from portal import scheduler as scheduler_module
from portal.auth.models import Membership, User
from portal.db import database, utcnow
from portal.notifications import services
from portal.notifications.models import ReminderClaim
from portal.students.models import GroupTeacher, Student

log = logging.getLogger("portal.reminders")
JOB = "core.reminders"  # the scheduler job that sends reminders (its problems are recorded under this key)
FALLBACK_ROLE = "zorg"  # the school's care coordinator takes over when nobody named can act
TASK_LIST_MOST = 100  # Scope.most of a user's task list


@dataclass(frozen=True)
class DueItem:
    """One open item: who must act on what, by when. ``title`` may name the student (portal only, never mailed)."""

    object_id: str | int
    due_date: dt.date
    title: str
    link: str  # a portal path, e.g. /leerlingen/12/traject
    school_id: int | None = None
    student_id: int | None = None
    user_ids: tuple[int, ...] = ()  # named owners (mentor, action owner)
    group_id: int | None = None  # the teachers of this group are named owners too (PO: the group's teacher)
    roles: tuple[str, ...] = ()  # school roles whose active members receive it too
    emails: tuple[str, ...] = ()  # outside participants without an account
    email_link: str | None = None  # link for those outside participants; None: their own meeting link
    close_url: str | None = None  # a POST that marks the item done, offered in "mijn acties" (e.g. a meeting action)


_INSTALL = pw.SQL("(SELECT id FROM student)")  # the scheduler's scope; never handed to a user's page


@dataclass(frozen=True)
class Scope:
    """Which open items to list: those of one user's students (a task list, a plugin's page), or the whole install
    for the scheduler. A scope always names its students: it is obtained from the policy for an actor and a
    feature (``Scope.of``), so nothing a plugin can build means "every school"."""

    student_ids: object  # Student.id the user may see (a subquery, compiled)
    user_id: int | None = None  # the user asking; kinds add items this user owns outside ``student_ids``
    # A task list shows at most this many items of a kind with an ``overview`` page (the SWV's applications
    # waiting for every school), the longest waiting first; None: all (the scheduler).
    most: int | None = None

    def __post_init__(self):
        if self.student_ids is None:
            raise ValueError("A Scope names the students it covers: obtain one with Scope.of(actor, feature).")

    @classmethod
    def of(cls, actor, feature: tuple[str, str] = ("route", "view")) -> "Scope":
        """The students ``actor`` may see for ``feature`` (none without that right), and their own items."""
        if actor.can(*feature):
            visible = policy.students(feature, actor=actor).select(Student.id)
        else:
            visible = Student.select(Student.id).where(Student.id.is_null())
        return cls(student_ids=compiled(visible), user_id=actor.id, most=TASK_LIST_MOST)

    @property
    def whole_install(self) -> bool:
        return self.student_ids is _INSTALL

    def limit(self, query, student_field):
        return query if self.whole_install else query.where(student_field.in_(self.student_ids))


def install_scope() -> Scope:
    """Every open item of the install, for the scheduler (the core's own; not part of the plugin API)."""
    return Scope(student_ids=_INSTALL)


def student_scope(student_id: int) -> Scope:
    """One student's items, for a page that already checked the viewer may see that student."""
    return Scope(student_ids=Student.select(Student.id).where(Student.id == student_id))


def compiled(query) -> pw.SQL:
    """A subquery as one ready SQL node: every kind embeds the scope, and peewee would build its SQL again each
    time (most of "mijn acties"'s time, measured with ``make profile``)."""
    sql, params = query.sql()
    return pw.SQL(f"({sql})", params)


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: str
    items: Callable[[Scope], Iterable[DueItem]]
    offsets: tuple[int, ...] = (-7, 1)  # days relative to the due date; () lists tasks without reminding
    recipients_label: str = ""  # who receives it, for the administrator's table
    # Endpoint of a page listing every item of the kind. A kind with one lists at most ``Scope.most`` items in a
    # task list (its items are not bound to the user's students) and the list then points to this page.
    overview: str = ""

    def send_dates(self, due: dt.date) -> list[tuple[int, dt.date]]:
        """The days to remind on; OutOfRange (Dutch) for a due date outside the portal's limits."""
        return sorted((o, bounds.add_days(due, o)) for o in self.offsets)

    def current_offset(self, due: dt.date, today: dt.date) -> int | None:
        """The latest offset whose day has come (earlier ones are superseded), or None."""
        passed = [o for o, day in self.send_dates(due) if day <= today]
        return passed[-1] if passed else None


def kinds() -> list[ReminderKind]:
    return list(current_app.extensions["registry"].reminder_kinds.values())


def open_items(kind: ReminderKind, scope: Scope, today: dt.date, job: str | None = None) -> list[DueItem]:
    """The kind's items, without those of students who have left.

    A listing that breaks halfway keeps what it listed: for a scheduler ``job`` the failure is recorded for the
    administrator, for a page it is logged.
    """
    return _without_left(_listed(kind, scope, job), today)


def _listed(kind: ReminderKind, scope: Scope, job: str | None) -> list[DueItem]:
    items: list[DueItem] = []
    try:
        for item in kind.items(scope):
            items.append(item)
    except Exception as exc:
        if job:
            scheduler_module.record_problem(job, exc, kind.key)
        else:
            log.exception("Listing reminder kind %s failed", kind.key)
    return items


def _without_left(items: list, today: dt.date, item=lambda i: i) -> list:
    """The items whose student (if any) has not left by ``today``, in one query."""
    student_ids = {item(i).student_id for i in items if item(i).student_id}
    if not student_ids:
        return items
    left = {s.id for s in Student.select(Student.id).where(
        Student.id.in_(list(student_ids)) & Student.left_on.is_null(False) & (Student.left_on <= today))}
    return [i for i in items if item(i).student_id not in left]


# --- claiming and sending -------------------------------------------------------------------------------------

def claim(kind: str, object_id: str, due: dt.date, offset: int, link: str = "") -> ReminderClaim | None:
    """Insert the claim in its own transaction; None when another run already holds it."""
    try:
        with database.atomic():
            return ReminderClaim.create(kind=kind, object_id=str(object_id), due_date=due, offset_days=offset,
                                        link=link)
    except pw.IntegrityError:
        return None


def mark_sent(record: ReminderClaim) -> None:
    ReminderClaim.update(sent_at=utcnow()).where(ReminderClaim.id == record.id).execute()


def recipients(item: DueItem) -> list[int]:
    """Active named owners still at the school, plus the named roles; else the school's care coordinator."""
    members = Membership.select(Membership.user).where((Membership.school == item.school_id) & Membership.active)
    found: set[int] = set()
    owners = list(item.user_ids)
    if item.group_id:
        teachers = GroupTeacher.select(GroupTeacher.user).where(GroupTeacher.group == item.group_id)
        owners += [t.user_id for t in teachers]
    if owners:
        query = User.select(User.id).where(User.id.in_(owners) & User.active)
        if item.school_id:
            query = query.where(User.id.in_(members))
        found |= {u.id for u in query}
    if item.roles and item.school_id:
        found |= _role_members(item.school_id, item.roles)
    if not found and not item.emails and item.school_id:
        found = _role_members(item.school_id, (FALLBACK_ROLE,))
    return sorted(found)


def _role_members(school_id: int, roles) -> set[int]:
    return {m.user_id for m in Membership.select(Membership.user).join(User, on=(Membership.user == User.id))
            .where((Membership.school == school_id) & Membership.role.in_(list(roles)) & Membership.active
                   & User.active)}


def reminder_title(item: DueItem, offset: int) -> str:
    due = item.due_date.strftime("%d-%m-%Y")
    if offset > 0:
        return _("Te laat (%(due)s): %(title)s", due=due, title=item.title)
    return _("Binnenkort (%(due)s): %(title)s", due=due, title=item.title)


def deliver(kind: ReminderKind, item: DueItem, offset: int) -> None:
    with portal_language():
        services.notify(recipients(item), kind.key, reminder_title(item, offset), item.link)
        for address in item.emails:
            services.attention_mail(address, item.email_link)


def send_due(today: dt.date | None = None) -> int:
    """The scheduler's reminder job: claim, send and mark every reminder whose day has come; returns the count."""
    today = today or clock.today()
    with portal_language():
        return _send_due(today)


def _send_due(today: dt.date) -> int:
    sent = 0
    for kind in kinds():
        if not kind.offsets:
            continue
        handled = []

        def handle(item, kind=kind):
            if send_one(kind, item, today):
                handled.append(item)

        scheduler_module.each(JOB, open_items(kind, install_scope(), today, job=JOB), handle, kind=kind.key)
        sent += len(handled)
    return sent


def send_one(kind: ReminderKind, item: DueItem, today: dt.date) -> bool:
    """Claim, send and mark the reminder of one item if its day has come; True when it was sent."""
    bounds.check_stored(item.due_date, str(kind.label))
    offset = kind.current_offset(item.due_date, today)
    if offset is None:
        return False
    record = claim(kind.key, str(item.object_id), item.due_date, offset, item.link)
    if record is None:
        return False
    deliver(kind, item, offset)
    mark_sent(record)
    return True


# --- views on the same data -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    kind: ReminderKind
    item: DueItem
    overdue: bool


@dataclass(frozen=True)
class TaskList:
    tasks: list[Task]
    capped: list[ReminderKind]  # kinds with an overview that listed ``scope.most`` items: there may be more


def tasks(scope: Scope, today: dt.date | None = None) -> TaskList:
    """Every open item in scope, soonest first ("mijn acties")."""
    today = today or clock.today()
    listed, capped = [], []
    for kind in kinds():
        items = _listed(kind, scope, None)
        listed += [Task(kind, item, item.due_date < today) for item in items]
        if kind.overview and scope.most is not None and len(items) >= scope.most:
            capped.append(kind)  # only such a kind stops at ``most``; another's long list is complete
    result = _without_left(listed, today, item=lambda task: task.item)
    return TaskList(sorted(result, key=lambda t: (t.item.due_date, t.kind.key, str(t.item.object_id))), capped)


@dataclass(frozen=True)
class Upcoming:
    kind: ReminderKind
    object_id: str
    due_date: dt.date
    offset: int
    send_on: dt.date


def upcoming(today: dt.date | None = None, limit: int = 20) -> list[Upcoming]:
    """The next reminders not claimed yet, for the administrator (object ids only, no names)."""
    today = today or clock.today()
    result = []
    for kind in kinds():
        if not kind.offsets:
            continue
        items = open_items(kind, install_scope(), today)
        claimed = {(c.object_id, c.due_date, c.offset_days) for c in ReminderClaim.select().where(
            (ReminderClaim.kind == kind.key) & ReminderClaim.object_id.in_([str(i.object_id) for i in items]))}
        for item in items:
            if not bounds.is_sane(item.due_date):
                continue  # listed among the scheduler's problems instead
            current = kind.current_offset(item.due_date, today)
            for offset, day in kind.send_dates(item.due_date):
                if (str(item.object_id), item.due_date, offset) in claimed:
                    continue
                if day > today or offset == current:
                    result.append(Upcoming(kind, str(item.object_id), item.due_date, offset, max(day, today)))
    return sorted(result, key=lambda u: (u.send_on, u.kind.key, u.object_id))[:limit]


def unfinished_claims(limit: int = 50) -> list[ReminderClaim]:
    """Claims never marked sent: a run stopped mid-send. Shown, never resent silently."""
    return list(ReminderClaim.select().where(ReminderClaim.sent_at.is_null())
                .order_by(ReminderClaim.claimed_at.desc()).limit(limit))


def describe_offsets(kind: ReminderKind) -> str:
    parts = []
    for offset in sorted(kind.offsets):
        if offset < 0:
            parts.append(_("%(n)s dagen vooraf", n=-offset))
        elif offset == 0:
            parts.append(_("op de dag zelf"))
        else:
            parts.append(_("%(n)s dag(en) na de datum (te laat)", n=offset))
    return ", ".join(parts) or _("alleen in mijn acties")

