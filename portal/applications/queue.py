"""The SWV's queue: every submitted application of every school, filtered, counted and paginated.

A page's cost does not grow with the install: one count, one query for the page's rows (with student, school and
handler joined), two grouped counts (per status, per school) and one query for the page's assigned deskundigen.
The CSV is the same selection, without pagination, with labels instead of keys.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import peewee as pw

from portal import clock, inputs, policy
from portal.applications import services
from portal.applications.models import Advice, Advisor, Application
from portal.applications.workflow import STATUS_LABELS, Status
from portal.auth.models import User
from portal.paging import Page
from portal.schools.models import School
from portal.students.models import Student

MAX_AGE_DAYS = 3650


@dataclass
class Filters:
    """What the queue asks for; parsed leniently from the query string (bad values fall back)."""

    type: str = ""
    school: int = 0
    status: str = ""
    age: int = 0  # submitted at least this many days ago
    advisor: int = 0  # an Advisor id: applications with an advice asked from them
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        kind = (args.get("soort") or "").strip()
        status = (args.get("status") or "").strip()
        return cls(type=kind if kind in services.types() else "",
                   school=inputs.arg_int(args, "school"),
                   status=status if status in {s.value for s in Status} - {Status.CONCEPT.value} else "",
                   age=inputs.arg_int(args, "dagen", maximum=MAX_AGE_DAYS),
                   advisor=inputs.arg_int(args, "deskundige"),
                   page=inputs.arg_page(args))

    def args(self, **changes) -> dict:
        values = {"soort": self.type, "school": self.school, "status": self.status, "dagen": self.age,
                  "deskundige": self.advisor, "pagina": self.page, **changes}
        return {key: value for key, value in values.items() if value not in ("", 0, None)}


@dataclass
class Row:
    application: Application
    advisors: list[str]

    @property
    def age_days(self) -> int:
        return age_in_days(self.application)


@dataclass
class QueuePage(Page):
    by_status: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, count)
    by_school: list[tuple[int, str, int]] = field(default_factory=list)  # (school id, name, count)


def age_in_days(application: Application) -> int:
    if application.submitted_at is None:
        return 0
    return max(0, (clock.today() - clock.local_date(application.submitted_at)).days)


def _filtered(filters: Filters, actor: policy.Actor, *, skip: str = ""):
    query = policy.applications(("application", "review"), actor)
    if filters.type:
        query = query.where(Application.type_key == filters.type)
    if filters.school and skip != "school":
        query = query.where(Application.school == filters.school)
    if filters.status and skip != "status":
        query = query.where(Application.status == filters.status)
    if filters.age:
        cutoff = clock.to_utc(dt.datetime.combine(clock.today() - dt.timedelta(days=filters.age - 1), dt.time()))
        query = query.where(Application.submitted_at < cutoff)
    if filters.advisor:
        asked = Advice.select(Advice.application).where(Advice.advisor == filters.advisor)
        query = query.where(Application.id.in_(asked))
    return query


def _with_names(query):
    return (query.select_extend(Student, School, User)
            .join_from(Application, Student, on=(Application.student == Student.id), attr="student")
            .join_from(Application, School, on=(Application.school == School.id), attr="school")
            .join_from(Application, User, pw.JOIN.LEFT_OUTER, on=(Application.handler == User.id), attr="handler")
            .order_by(Application.submitted_at, Application.id))


def _advisors_of(application_ids: list[int]) -> dict[int, list[str]]:
    """The names of the deskundigen asked for advice, per application (one query)."""
    names: dict[int, list[str]] = {}
    if not application_ids:
        return names
    for advice in (Advice.select(Advice.application, User.name).join(Advisor).join(User)
                   .where(Advice.application.in_(application_ids)).order_by(Advice.id).objects()):
        names.setdefault(advice.application_id, []).append(advice.name)
    return names


def _counts(query, column) -> dict:
    """Rows per value of ``column``, from the index (no join, no sort)."""
    return {key: n for key, n in query.select(column, pw.fn.COUNT(Application.id)).group_by(column).tuples()}


def search(filters: Filters, page_size: int, *, actor: policy.Actor) -> QueuePage:
    # The counts at the top show the other filters' selection, split per status and per school; the total is the
    # status counts' sum (or the chosen status's count), so no separate COUNT over the selection.
    status_counts = _counts(_filtered(filters, actor, skip="status"), Application.status)
    total = status_counts.get(filters.status, 0) if filters.status else sum(status_counts.values())
    pages = max(1, math.ceil(total / page_size))
    number = min(filters.page, pages)
    apps = list(_with_names(_filtered(filters, actor)).paginate(number, page_size))
    advisors = _advisors_of([a.id for a in apps])
    rows = [Row(a, advisors.get(a.id, [])) for a in apps]
    by_status = [(s.value, str(STATUS_LABELS[s]), status_counts[s.value]) for s in Status if s.value in status_counts]
    school_counts = _counts(_filtered(filters, actor, skip="school"), Application.school)
    names = dict(School.select(School.id, School.name).where(School.id.in_(list(school_counts))).tuples())
    by_school = sorted(((school_id, names[school_id], n) for school_id, n in school_counts.items()),
                       key=lambda row: (row[1], row[0]))
    return QueuePage(items=rows, total=total, number=number, size=page_size, by_status=by_status,
                     by_school=by_school)


def all_rows(filters: Filters, *, actor: policy.Actor) -> list[Row]:
    """The whole selection (for the CSV), in the queue's order."""
    apps = list(_with_names(_filtered(filters, actor)))
    advisors = _advisors_of([a.id for a in apps])
    return [Row(a, advisors.get(a.id, [])) for a in apps]


def choices(*, actor: policy.Actor) -> dict:
    """The filter menus: types, schools with submitted applications, statuses, active deskundigen."""
    policy.require("application", "review", actor)
    # Correlated: a probe of the (school_id, submitted_at) index per school, not a pass over every application.
    has_applications = pw.fn.EXISTS(policy.applications(("application", "review"), actor).select(
        Application.id).where(Application.school == School.id))
    schools = School.select(School.id, School.name).where(has_applications).order_by(School.name)
    advisors = (Advisor.select(Advisor, User).join(User).order_by(User.name))
    return {
        "types": sorted(((key, kind.label) for key, kind in services.types().items()), key=lambda p: p[1]),
        "schools": [(s.id, s.name) for s in schools],
        "statuses": [(s.value, str(STATUS_LABELS[s])) for s in Status if s != Status.CONCEPT],
        "advisors": [(a.id, a.user.name) for a in advisors],
    }


CSV_HEADERS = ("Aanvraag", "Leerling", "Geboortedatum", "School", "Status", "Ingediend op", "Dagen sinds indiening",
               "Behandelaar", "Deskundigen", "Besluit op")


def csv_values(row: Row) -> list[str]:
    a = row.application
    return [services.type_label(a.type_key), a.student.full_name, clock.show(a.student.birth_date, "date"),
            a.school.name, str(STATUS_LABELS.get(Status(a.status), a.status)), clock.show(a.submitted_at, "date"),
            str(row.age_days), a.handler.name if a.handler else "", "; ".join(row.advisors),
            clock.show(a.decided_on, "date") if a.decided_on else ""]
