"""The demo data grown to an SWV's size, in bulk: 200 schools, 100,000 students with 10 dossier entries each, one
student with 300 entries, 50,000 meetings, 20,000 applications and 30,000 running trajecten (BENCH_SCALE scales
every count; 0.05 is a quick run).

The rows are written with ``insert_many`` in chunks inside one transaction per table: this is test data, not a
path the portal takes, so it skips the services (and their audit) on purpose. The demo's VO school (the school of
the care coordinator the load runs as) gets a typical school's share: its pages must not notice the rest.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import uuid

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SCHOOLS = max(4, int(200 * SCALE))
STUDENTS = int(100_000 * SCALE)
ENTRIES = 10
BIG_DOSSIER = 300
MEETINGS = int(50_000 * SCALE)
APPLICATIONS = int(20_000 * SCALE)
TRAJECTEN = int(30_000 * SCALE)
CHUNK = 1000
BODY = "Gesprek met de leerling over de aanpak in de les; afspraken met de mentor vastgelegd. " * 2


def counts() -> dict[str, int]:
    return {"schools": SCHOOLS, "students": STUDENTS, "entries": STUDENTS * ENTRIES + BIG_DOSSIER,
            "meetings": MEETINGS, "applications": APPLICATIONS, "trajecten": TRAJECTEN}


def _bulk(model, rows) -> None:
    for start in range(0, len(rows), CHUNK):
        model.insert_many(rows[start:start + CHUNK]).execute()


def grow(app, care_email: str) -> dict[str, int]:
    """Add the volume; returns the ids the pages need (the big dossier's student, one of 10 entries)."""
    from portal.applications.models import Application
    from portal.auth.models import User
    from portal.db import database
    from portal.dossier.models import Entry
    from portal.meetings.models import Meeting
    from portal.route.models import PhaseVisit, RouteVersion, Traject
    from portal.schools.models import School
    from portal.students.models import Group, Student

    rng = random.Random(11)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with app.app_context():
        database.connect(reuse_if_open=True)
        author = User.get(User.email == care_email)
        home = School.get(School.sector == "VO")
        with database.atomic():
            _bulk(School, [dict(name=f"Benchschool {n}", brin=f"9{n:03d}BZ", sector="VO" if n % 2 else "PO")
                           for n in range(SCHOOLS - 2)])
        schools = [s.id for s in School.select(School.id).where(School.name.startswith("Benchschool"))]
        with database.atomic():
            _bulk(Group, [dict(school=sid, name="1A", school_year="2026-2027") for sid in schools])
        groups = {g.school_id: g.id for g in Group.select().where(Group.school.in_(schools))}
        groups[home.id] = Group.select().where(Group.school == home.id).first().id
        # A typical school's share for the measured school, the rest spread over the others.
        per_school = max(1, STUDENTS // SCHOOLS)
        homes = [home.id] * per_school + [schools[n % len(schools)] for n in range(STUDENTS - per_school)]
        with database.atomic():
            _bulk(Student, [dict(school=sid, student_number=f"V{n:07d}", first_name=f"Leerling{n}",
                                 last_name=f"Bench{n % 997}", group=groups[sid],
                                 birth_date=dt.date(2011, 1, 1) + dt.timedelta(days=rng.randint(0, 1800)))
                            for n, sid in enumerate(homes)])
        students = [(s.id, s.school_id) for s in Student.select(Student.id, Student.school)
                    .where(Student.student_number.startswith("V"))]
        with database.atomic():
            rows = []
            for sid, _school in students:
                for k in range(ENTRIES):
                    rows.append(dict(student=sid, section="support", kind="note", title=f"Notitie {k}", body=BODY,
                                     author=author.id, created_at=now - dt.timedelta(days=k * 30)))
                if len(rows) >= 50_000:
                    _bulk(Entry, rows)
                    rows = []
            _bulk(Entry, rows)
        big = next(sid for sid, school in students if school == home.id)
        with database.atomic():
            _bulk(Entry, [dict(student=big, section="support", kind="note", title=f"Lange notitie {k}", body=BODY,
                               author=author.id, created_at=now - dt.timedelta(hours=k)) for k in range(BIG_DOSSIER)])
        picked = rng.sample(students, min(len(students), MEETINGS))
        with database.atomic():
            _bulk(Meeting, [dict(school=school, student=sid, type_key="vo.mdo",
                                 starts_at=now + dt.timedelta(days=rng.randint(-400, 60)), chair=author.id,
                                 created_by=author.id, ical_uid=f"{uuid.uuid4()}@bench", status="held")
                            for sid, school in picked])
        with database.atomic():
            _bulk(Application, [dict(student=sid, school=school, type_key="vo.tlv_vso",
                                     status=rng.choice(["submitted", "in_review", "granted", "refused"]),
                                     created_by=author.id, submitted_at=now - dt.timedelta(days=rng.randint(0, 700)))
                                for sid, school in rng.sample(students, min(len(students), APPLICATIONS))])
        version = RouteVersion.select().where(RouteVersion.route_key.startswith("drenthe")).first() \
            or RouteVersion.select().first()
        chosen = rng.sample(students, min(len(students), TRAJECTEN))
        with database.atomic():
            _bulk(Traject, [dict(student=sid, route_version=version.id, status="active",
                                 current_phase="drenthe.intern_basis", cycle=1, started_by=author.id)
                            for sid, _school in chosen])
        trajecten = [t.id for t in Traject.select(Traject.id).where(Traject.student.in_([s for s, _ in chosen]))]
        with database.atomic():
            _bulk(PhaseVisit, [dict(traject=tid, seq=1, phase_key="drenthe.intern_basis", cycle=1, status="active",
                                    evaluation_date=(now + dt.timedelta(days=rng.randint(-30, 90))).date())
                               for tid in trajecten])
        small = next(sid for sid, school in students if school == home.id and sid != big)
        database.close()
    return {"big": big, "small": small}
