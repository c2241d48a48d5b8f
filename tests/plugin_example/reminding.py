"""A test plugin "reminding": one reminder kind (a home visit due today for every student) and one job."""

from __future__ import annotations

from portal import clock
from portal.hookspecs import hookimpl
from portal.notifications.reminders import DueItem, ReminderKind
from portal.scheduler import Job
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
