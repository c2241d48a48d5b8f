"""Students, their groups and their parents or guardians."""

import datetime as dt

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, utcnow
from portal.schools.models import School


class Group(BaseModel):
    school = pw.ForeignKeyField(School, backref="groups", on_delete="CASCADE")
    name = pw.CharField(max_length=50)
    school_year = pw.CharField(max_length=9, default="2026-2027")

    class Meta:
        indexes = ((("school", "name", "school_year"), True),)


class GroupTeacher(BaseModel):
    group = pw.ForeignKeyField(Group, backref="teachers", on_delete="CASCADE")
    user = pw.ForeignKeyField(User, backref="teaching", on_delete="CASCADE")

    class Meta:
        indexes = ((("group", "user"), True),)


class Student(BaseModel):
    school = pw.ForeignKeyField(School, backref="students", on_delete="RESTRICT")
    student_number = pw.CharField(max_length=20)
    first_name = pw.CharField(max_length=100)
    last_name = pw.CharField(max_length=150)
    birth_date = pw.DateField()
    gender = pw.CharField(max_length=1, null=True)  # m / v / x
    bsn = pw.CharField(max_length=9, null=True)  # only when the install enables it
    group = pw.ForeignKeyField(Group, null=True, backref="students", on_delete="SET NULL")
    mentor = pw.ForeignKeyField(User, null=True, backref="mentees", on_delete="SET NULL")
    enrolled_on = pw.DateField(default=dt.date.today)
    left_on = pw.DateField(null=True)
    created_at = pw.DateTimeField(default=utcnow)
    version = pw.IntegerField(default=1)  # portal.versioning: concurrent edits are detected, never overwritten

    class Meta:
        indexes = ((("school", "student_number"), True), (("school", "last_name"), False))

    VERSIONED_FIELDS = ("student_number", "first_name", "last_name", "birth_date", "gender", "bsn", "group", "mentor",
                        "enrolled_on")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: dt.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def has_left(self) -> bool:
        return self.left_on is not None


class Guardian(BaseModel):
    student = pw.ForeignKeyField(Student, backref="guardians", on_delete="CASCADE")
    name = pw.CharField(max_length=200)
    relation = pw.CharField(max_length=50, default="ouder")
    email = pw.CharField(max_length=254, null=True)
    phone = pw.CharField(max_length=30, null=True)
    address = pw.CharField(max_length=300, null=True)
    has_authority = pw.BooleanField(default=True)  # ouderlijk gezag
    version = pw.IntegerField(default=1)  # portal.versioning

    VERSIONED_FIELDS = ("name", "relation", "email", "phone", "address", "has_authority")
