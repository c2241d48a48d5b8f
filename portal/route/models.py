"""A student's traject through a route, stored: the route snapshot, the phases visited and every transition."""

from __future__ import annotations

import hashlib
import json

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, utcnow
from portal.schools.models import School
from portal.students.models import Student


class RouteVersion(BaseModel):
    """A frozen copy of a route definition; a traject keeps the one it started under."""

    route_key = pw.CharField(max_length=80)
    version = pw.CharField(max_length=40)
    digest = pw.CharField(max_length=64)
    snapshot = pw.TextField()  # JSON of Route.to_dict()
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("route_key", "digest"), True),)

    @classmethod
    def for_route(cls, route) -> RouteVersion:
        """The stored snapshot of this definition, created the first time it is used."""
        snapshot = json.dumps(route.to_dict(), sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(snapshot.encode()).hexdigest()
        found = cls.get_or_none((cls.route_key == route.key) & (cls.digest == digest))
        if found:
            return found
        try:
            return cls.create(route_key=route.key, version=route.version, digest=digest, snapshot=snapshot)
        except pw.IntegrityError:  # created by a concurrent request
            return cls.get((cls.route_key == route.key) & (cls.digest == digest))


class Traject(BaseModel):
    student = pw.ForeignKeyField(Student, backref="trajecten", on_delete="CASCADE")
    route_version = pw.ForeignKeyField(RouteVersion, backref="+", on_delete="RESTRICT")
    status = pw.CharField(max_length=20)
    current_phase = pw.CharField(max_length=80, null=True)
    cycle = pw.IntegerField(default=0)
    signal = pw.TextField(default="")
    entry_point = pw.CharField(max_length=80, null=True)
    stop_reason = pw.CharField(max_length=40, null=True)
    started_by = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    started_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("student", "started_at"), False),)


class PhaseVisit(BaseModel):
    """One phase in one cycle: visited, evaluated or skipped, with its plan, evaluation and the views heard."""

    traject = pw.ForeignKeyField(Traject, backref="visits", on_delete="CASCADE")
    seq = pw.IntegerField()  # position in the traject's history
    phase_key = pw.CharField(max_length=80)
    cycle = pw.IntegerField()
    status = pw.CharField(max_length=20)
    note = pw.TextField(default="")  # skip justification or evaluation summary
    goals = pw.TextField(default="")
    interventions = pw.TextField(default="")
    evaluation_date = pw.DateField(null=True)
    worked = pw.TextField(default="")
    not_worked = pw.TextField(default="")
    parent_view = pw.TextField(default="")
    student_view = pw.TextField(default="")
    next_steps = pw.TextField(default="")
    version = pw.IntegerField(default=1)
    entered_at = pw.DateTimeField(default=utcnow)
    evaluated_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("traject", "seq"), True), (("status", "evaluation_date"), False))

    VERSIONED_FIELDS = ("goals", "interventions", "evaluation_date", "worked", "not_worked", "parent_view",
                        "student_view", "next_steps")


class Transition(BaseModel):
    """Who moved the traject, when, how and why; also written to the dossier."""

    traject = pw.ForeignKeyField(Traject, backref="transitions", on_delete="CASCADE")
    action = pw.CharField(max_length=20)
    from_phase = pw.CharField(max_length=80, null=True)
    to_phase = pw.CharField(max_length=80, null=True)
    cycle = pw.IntegerField()
    justification = pw.TextField(default="")
    data = pw.TextField(default="{}")  # JSON of the plugin-specific fields of the transition form
    actor = pw.ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    at = pw.DateTimeField(default=utcnow)


class SchoolPhaseSetting(BaseModel):
    """A school's own way of running one phase of the SWV's route: its own label and the meeting types it uses.

    Only presentation and choice of meetings: the phases, their order, the guards and the dossier additions stay
    those of the SWV (seed 004, §1).
    """

    school = pw.ForeignKeyField(School, backref="+", on_delete="CASCADE")
    route_key = pw.CharField(max_length=80)
    phase_key = pw.CharField(max_length=80)
    label = pw.CharField(max_length=200, default="")
    meeting_types = pw.TextField(null=True)  # JSON list of the keys the school uses; null: all of the phase

    class Meta:
        indexes = ((("school", "route_key", "phase_key"), True),)
