"""A test plugin "reminding": one reminder kind (a home visit due today for every student) and one job.

It reads the core's Student table and clock on purpose (a white-box test of the scheduler's hooks); a real plugin
imports only ``portal.plugin`` and reads through its helpers (e.g. ``open_phase_visits``)."""

from __future__ import annotations

from portal import clock
from portal.plugin import DueItem, Job, ReminderKind, hookimpl
from portal.students.models import Student

JOB_RUNS: list[str] = []


def _home_visits(scope):
    query = scope.limit(Student.select(), Student.id)
    return [DueItem(object_id=s.id, due_date=clock.today(), title=f"Huisbezoek {s.full_name}",
                    link=f"/leerlingen/{s.id}", school_id=s.school_id, student_id=s.id, roles=("zorg",))
            for s in query]


@hookimpl
def register_reminder_kinds():
    return [ReminderKind(key="reminding.home_visit", label="Huisbezoek", items=_home_visits, offsets=(0,),
                         recipients_label="zorgcoördinator")]


@hookimpl
def register_jobs():
    return [Job(key="reminding.count", label="Tel leerlingen", run=lambda: JOB_RUNS.append("ran"))]
