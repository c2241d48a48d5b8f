"""Builders for test data. Every user's password is PASSWORD."""

from __future__ import annotations

import datetime as dt
import itertools

from portal.auth.accounts import add_membership, create_user
from portal.schools.models import School
from portal.students.models import Group, GroupTeacher, Guardian, Student

PASSWORD = "wachtwoord-123"
_seq = itertools.count(1)


def school(name: str = "De Regenboog", sector: str = "PO", brin: str | None = None) -> School:
    n = next(_seq)
    # A BRIN is two digits and two letters: stay in that shape however many schools one test process makes.
    default_brin = f"{n % 100:02d}{chr(65 + n // 100 % 26)}B"
    return School.create(name=f"{name} {n}", brin=brin or default_brin, sector=sector)


def user(role: str | None = None, school_obj: School | None = None, *, is_admin: bool = False, name=None):
    n = next(_seq)
    account = create_user(email=f"user{n}@example.nl", name=name or f"Medewerker {n}", password=PASSWORD,
                          is_admin=is_admin)
    if role and school_obj:
        add_membership(account, school_obj, role)
    return account


def group(school_obj: School, name: str | None = None, teachers=()) -> Group:
    g = Group.create(school=school_obj, name=name or f"groep {next(_seq)}")
    for teacher in teachers:
        GroupTeacher.create(group=g, user=teacher)
    return g


def student(school_obj: School, group_obj: Group | None = None, *, first="Sanne", last="de Vries",
            birth_date=dt.date(2014, 3, 1), mentor=None, number=None) -> Student:
    s = Student.create(school=school_obj, student_number=number or f"{next(_seq):05d}", first_name=first,
                       last_name=last, birth_date=birth_date, group=group_obj, mentor=mentor)
    Guardian.create(student=s, name=f"Ouder van {first}", email=f"ouder{s.id}@example.nl", has_authority=True)
    return s


def school_with_staff(*, personal_mentor: bool = False) -> dict:
    """A school with a mentor (teacher of the student's group), two care coordinators, a beheerder and one
    student, Daan Jansen; with ``personal_mentor`` the mentor is also the student's own mentor."""
    school_obj = school()
    mentor = user("mentor", school_obj, name="Meester Bakker")
    care = user("zorg", school_obj, name="Juf Zorg")
    care2 = user("zorg", school_obj, name="Meneer Tweede")
    admin = user("beheerder", school_obj)
    group_obj = group(school_obj, "Groep 7a", teachers=[mentor])
    pupil = student(school_obj, group_obj, first="Daan", last="Jansen", mentor=mentor if personal_mentor else None)
    return {"school": school_obj, "mentor": mentor, "care": care, "care2": care2, "admin": admin,
            "group": group_obj, "student": pupil}
