"""Students: the scoped list with search and filters, choices, validation helpers, changes with audit."""

from __future__ import annotations

import math
from dataclasses import dataclass

import peewee as pw
from flask import abort

from portal import clock, inputs, policy, versioning
from portal.paging import Page
from portal.audit import services as audit
from portal.auth.models import Membership, User
from portal.db import database
from portal.students import search as text_search
from portal.students.models import Group, GroupTeacher, Guardian, Student

STATUSES = ("actief", "uitgeschreven", "alle")
MENTOR_ROLES = ("mentor", "zorg")


@dataclass
class Filters:
    """What the list asks for; parsed leniently from the query string (bad values fall back)."""

    q: str = ""
    group: int = 0
    mentor: int = 0
    status: str = "actief"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        status = args.get("status", "actief")
        return cls(q=(args.get("q") or "").strip()[:100],
                   group=inputs.arg_int(args, "groep"),
                   mentor=inputs.arg_int(args, "mentor"),
                   status=status if status in STATUSES else "actief",
                   page=inputs.arg_page(args))

    def args(self, **changes) -> dict:
        """Query-string arguments for a link to this list (e.g. another page)."""
        values = {"q": self.q, "groep": self.group, "mentor": self.mentor, "status": self.status,
                  "pagina": self.page, **changes}
        return {key: value for key, value in values.items() if value not in ("", 0, None)}


def with_group_and_mentor(query):
    """Join group and mentor into a student query, so a list needs no query per row."""
    return (query.select_extend(Group, User)
            .join_from(Student, Group, pw.JOIN.LEFT_OUTER, on=(Student.group == Group.id), attr="group")
            .join_from(Student, User, pw.JOIN.LEFT_OUTER, on=(Student.mentor == User.id), attr="mentor"))


def search(filters: Filters, page_size: int, *, actor: policy.Actor) -> Page:
    """The students the actor may see that match the filters: one count and one page query."""
    query = policy.students(actor=actor)
    # portal/students/search.py: by a trigram index keyed by school
    found = text_search.matches(filters.q, policy.students_school(actor=actor))
    if found is not None:
        query = query.where(found)
    if filters.group:
        query = query.where(Student.group == filters.group)
    if filters.mentor:  # the student's own mentor, or (primary education) the teacher of the student's group
        taught = GroupTeacher.select(GroupTeacher.group).where(GroupTeacher.user == filters.mentor)
        query = query.where((Student.mentor == filters.mentor) | Student.group.in_(taught))
    if filters.status == "actief":
        query = query.where(Student.left_on.is_null())
    elif filters.status == "uitgeschreven":
        query = query.where(Student.left_on.is_null(False))
    total = query.count()
    pages = max(1, math.ceil(total / page_size))
    number = min(filters.page, pages)
    rows = (with_group_and_mentor(query)
            .order_by(Student.last_name, Student.first_name, Student.id)
            .paginate(number, page_size))
    return Page(items=list(rows), total=total, number=number, size=page_size)


def teachers_by_group(group_ids) -> dict[int, list[User]]:
    """The teachers of these groups, by group id (one query): in primary education they are the leerkracht."""
    ids = [i for i in set(group_ids) if i]
    result: dict[int, list[User]] = {}
    if not ids:
        return result
    for row in (GroupTeacher.select(GroupTeacher, User).join(User, on=(GroupTeacher.user == User.id))
                .where(GroupTeacher.group.in_(ids) & User.active).order_by(User.name)):
        result.setdefault(row.group_id, []).append(row.user)
    return result


def filter_options(actor: policy.Actor) -> tuple[list[Group], list[User]]:
    """The groups and mentors the student list offers as filters: the whole school's for an actor who sees the
    whole school, otherwise only those of students the actor's scope shows (an outside professional who sees no
    student there learns no group or teacher name from the filters)."""
    if actor.scope_for("student", "view") == policy.SCHOOL:
        return groups_of(actor.school_id), mentors_of(actor.school_id)
    visible = policy.students(actor=actor)
    groups = Group.select().where(Group.id.in_(visible.select(Student.group))).order_by(Group.name)
    mentors = (User.select().where(User.id.in_(policy.students(actor=actor).select(Student.mentor)) & User.active)
               .order_by(User.name))
    return list(groups), list(mentors)


def groups_of(school_id: int) -> list[Group]:
    return list(Group.select().where(Group.school == school_id).order_by(Group.name))


def mentors_of(school_id: int) -> list[User]:
    """Staff of the school who can be a student's mentor."""
    return list(User.select(User).distinct()
                .join(Membership, on=(Membership.user == User.id))
                .where((Membership.school == school_id) & Membership.active & User.active
                       & Membership.role.in_(MENTOR_ROLES))
                .order_by(User.name))


def number_taken(school_id: int, number: str, exclude_id: int | None = None) -> bool:
    query = Student.select().where((Student.school == school_id) & (Student.student_number == number))
    if exclude_id:
        query = query.where(Student.id != exclude_id)
    return query.exists()


def elfproef(bsn: str) -> bool:
    """The Dutch eleven-test for a BSN: nine digits, weighted sum divisible by 11 (last weight -1)."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(digit) * weight for digit, weight in zip(bsn, weights))
    return total % 11 == 0 and total != 0


def _audit_write(action: str, student_id: int, actor: policy.Actor) -> None:
    audit.write(action, "student", student_id, student_id=student_id, actor=actor)


class NumberTaken(ValueError):
    """The student number was taken by someone saving at the same moment (the unique index caught it)."""


def create(school_id: int, values: dict, *, actor: policy.Actor) -> Student:
    try:
        with database.atomic():
            student = Student.create(school=school_id, **values)
            _audit_write("student.create", student.id, actor)
    except pw.IntegrityError as exc:
        if number_taken(school_id, values.get("student_number", "")):
            raise NumberTaken() from exc
        raise
    return student


def update(student: Student, expected_version: int, values: dict, *, actor: policy.Actor) -> Student:
    """Save a new version of the student's data; raises versioning.EditConflict when someone saved in between."""
    try:
        with database.atomic():
            updated = versioning.save_version(student, expected_version, values, actor.id)
            _audit_write("student.update", student.id, actor)
    except pw.IntegrityError as exc:
        if number_taken(student.school_id, values.get("student_number", ""), student.id):
            raise NumberTaken() from exc
        raise
    return updated


def unenrol(student: Student, *, actor: policy.Actor) -> None:
    """Uitschrijven: set the end date, keep the record."""
    with database.atomic():
        Student.update(left_on=clock.today()).where(Student.id == student.id).execute()
        _audit_write("student.unenrol", student.id, actor)


def guardians_of(student: Student) -> list[Guardian]:
    return list(Guardian.select().where(Guardian.student == student.id).order_by(Guardian.name, Guardian.id))


def guardian_or_404(student: Student, guardian_id: int) -> Guardian:
    guardian = Guardian.get_or_none((Guardian.id == guardian_id) & (Guardian.student == student.id))
    if guardian is None:
        abort(404)
    return guardian


def save_guardian(student: Student, values: dict, guardian: Guardian | None = None,
                  expected_version: int | None = None, *, actor: policy.Actor) -> Guardian:
    """Add a guardian, or save a new version of one (EditConflict when someone saved since ``expected_version``)."""
    with database.atomic():
        if guardian is None:
            guardian = Guardian.create(student=student.id, **values)
            action = "guardian.create"
        else:
            expected = guardian.version if expected_version is None else expected_version
            guardian = versioning.save_version(guardian, expected, values, actor.id)
            action = "guardian.update"
        audit.write(action, "guardian", guardian.id, student_id=student.id, actor=actor)
    return guardian


def delete_guardian(student: Student, guardian: Guardian, *, actor: policy.Actor) -> None:
    with database.atomic():
        guardian.delete_instance()
        audit.write("guardian.delete", "guardian", guardian.id, student_id=student.id, actor=actor)
