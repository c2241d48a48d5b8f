"""Query counts, latency and throughput of the main pages, on the demo data grown to SWV size.

    make bench                      # SQLite in a temporary instance
    PORTAL_BENCH_DATABASE_URL=postgresql://portal:portal@127.0.0.1:5432/portal_bench make bench

Prints figures; asserts nothing (timings are never part of the test suite). Query counts are measured twice, on
the demo data and after adding BENCH_STUDENTS students with BENCH_ENTRIES entries each, so a page whose count
grows with the data shows up as a difference.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

STUDENTS = int(os.environ.get("BENCH_STUDENTS", "2000"))
ENTRIES = int(os.environ.get("BENCH_ENTRIES", "5"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "10"))
LOAD_THREADS = int(os.environ.get("BENCH_LOAD_THREADS", "8"))
PASSWORD = "bench-wachtwoord-123"
CARE = "zorg@esker.demo.nl"
SWV = "swv@swv.demo.nl"  # the SWV's staff member of the demo: the queue of submitted applications


def make_app(tmp: Path):
    os.environ["PORTAL_DEMO_PASSWORD"] = PASSWORD
    from portal.app import create_app

    url = os.environ.get("PORTAL_BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'portal.db'}"
    app = create_app({"SECRET_KEY": secrets.token_urlsafe(32), "DATABASE_URL": url, "INSTANCE_PATH": str(tmp),
                      "PLUGINS": ["po", "vo", "drenthe"], "WTF_CSRF_ENABLED": False, "MAIL_HOST": None,
                      "SECOND_FACTOR_ROLES": [],  # the pages are measured, not the sign-in
                      "DATABASE_POOL_SIZE": int(os.environ.get("PORTAL_DATABASE_POOL_SIZE", "0"))})
    (tmp / "attachments").mkdir(parents=True, exist_ok=True)
    return app


def prepare(app) -> None:
    from portal import demo, migrations
    from portal.db import database

    with app.app_context():
        database.connect(reuse_if_open=True)
        migrations.apply(list(app.extensions["registry"].migrations))  # the core's come first (core plugin)
        demo.load(echo=lambda *_: None)


def grow(app) -> None:
    """Add students with entries to the VO demo school, in bulk."""
    from portal.auth.models import User
    from portal.db import database
    from portal.dossier.models import Entry
    from portal.schools.models import School
    from portal.students.models import Group, Student

    rng = random.Random(7)
    with app.app_context(), database.atomic():
        school = School.get(School.sector == "VO")
        group = Group.select().where(Group.school == school).first()
        author = User.get(User.email == "zorg@esker.demo.nl")
        rows = [dict(school=school.id, student_number=f"B{n:06d}", first_name=f"Leerling{n}", last_name="Bench",
                     birth_date=dt.date(2011, 1, 1) + dt.timedelta(days=rng.randint(0, 900)), group=group.id)
                for n in range(STUDENTS)]
        for chunk in range(0, len(rows), 500):
            Student.insert_many(rows[chunk:chunk + 500]).execute()
        ids = [s.id for s in Student.select(Student.id).where(Student.last_name == "Bench")]
        entries = [dict(student=sid, section="support", title="Notitie", body="Tekst " * 40, author=author.id)
                   for sid in ids for _ in range(ENTRIES)]
        for chunk in range(0, len(entries), 1000):
            Entry.insert_many(entries[chunk:chunk + 1000]).execute()
        # Every fourth bench student has a submitted application: the SWV's queue grows with the install.
        from portal.applications.models import Application

        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        applications = [dict(student=sid, school=school.id, type_key="vo.tlv_vso", status="submitted",
                             created_by=author.id, submitted_at=now - dt.timedelta(days=rng.randint(0, 90)))
                        for sid in ids[::4]]
        for chunk in range(0, len(applications), 500):
            Application.insert_many(applications[chunk:chunk + 500]).execute()


def pages(app) -> dict[str, str]:
    from portal.db import database
    from portal.meetings.models import Meeting
    from portal.route.models import Traject
    from portal.schools.models import School
    from portal.students.models import Student

    with app.app_context():
        database.connect(reuse_if_open=True)
        vo_students = Student.select(Student.id).join(School).where(School.sector == "VO")
        sid = Traject.select().where(Traject.student.in_(vo_students)).first().student_id
        meeting = Meeting.select().first()
        result = {
            "leerlingenlijst": "/leerlingen/",
            "zoeken": "/leerlingen/?q=leer",
            "leerling": f"/leerlingen/{sid}",
            "dossier": f"/leerlingen/{sid}/dossier",
            "traject": f"/leerlingen/{sid}/traject",
            "inzage-log": f"/leerlingen/{sid}/inzage",
            "mijn acties": "/mijn-acties",
            "overleg": "/overleg",
            "publieke route": "/ondersteuningsroute",
        }
        if meeting:
            result["overlegpagina"] = f"/overleg/{meeting.id}"
        from portal.applications.models import Application

        application = Application.select().where(Application.student.in_(vo_students)).first()
        if application:
            result["aanvragen leerling"] = f"/leerlingen/{application.student_id}/aanvragen"
            result["aanvraag (school)"] = f"/aanvragen/{application.id}"
        return result


SWV_PAGES = {"aanvragen (SWV)": "/swv/aanvragen", "aanvragen p. 2": "/swv/aanvragen?pagina=2"}


def query_counts(app, urls: dict[str, str], email: str = CARE) -> dict[str, int]:
    from portal.db import database

    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    counts = {}
    for name, url in urls.items():
        with app.app_context():
            db = database.obj
            calls = []
            original = db.execute_sql
            db.execute_sql = lambda sql, params=None, *a, **k: (calls.append(sql), original(sql, params, *a, **k))[1]
            try:
                status = client.get(url).status_code
            finally:
                db.execute_sql = original
        counts[name] = len(calls) if status == 200 else -status
    return counts


def latencies(app, urls: dict[str, str]) -> dict[str, tuple[float, float]]:
    client = app.test_client()
    client.post("/login", data={"email": "zorg@esker.demo.nl", "password": PASSWORD})
    result = {}
    for name, url in urls.items():
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        result[name] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    return result


def load(app, urls: list[str]) -> tuple[int, float, float, float]:
    """Waitress on loopback, LOAD_THREADS logged-in clients for LOAD_SECONDS: requests, req/s, p50, p95 (ms)."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    port = server.effective_port
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    times: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + LOAD_SECONDS

    def worker() -> None:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        body = urllib.parse.urlencode({"email": "zorg@esker.demo.nl", "password": PASSWORD}).encode()
        opener.open(base + "/login", data=body).read()
        i = 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            with opener.open(base + urls[i % len(urls)]) as response:
                response.read()
            with lock:
                times.append((time.perf_counter() - start) * 1000)
            i += 1

    threads = [threading.Thread(target=worker) for _ in range(LOAD_THREADS)]
    begin = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - begin
    times.sort()
    return len(times), len(times) / elapsed, statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        prepare(app)
        urls = pages(app)
        small = query_counts(app, urls)
        small_swv = query_counts(app, SWV_PAGES, SWV)
        grow(app)
        large = query_counts(app, urls)
        large_swv = query_counts(app, SWV_PAGES, SWV)
        lat = latencies(app, urls)
        backend = "PostgreSQL" if os.environ.get("PORTAL_BENCH_DATABASE_URL") else "SQLite"
        if app.config["DATABASE_POOL_SIZE"]:
            backend += f" with a pool of {app.config['DATABASE_POOL_SIZE']} connections"
        print(f"Pages as the VO care coordinator, {backend}; grown by {STUDENTS} students x {ENTRIES} entries\n")
        print(f"{'page':<18}{'queries demo':>14}{'queries grown':>15}{'median ms':>11}{'p95 ms':>9}")
        for name in urls:
            print(f"{name:<18}{small[name]:>14}{large[name]:>15}{lat[name][0]:>11.1f}{lat[name][1]:>9.1f}")
        print(f"\nThe SWV's queue as its staff member; grown by {STUDENTS // 4} submitted applications")
        for name in SWV_PAGES:
            print(f"{name:<18}{small_swv[name]:>14}{large_swv[name]:>15}")
        count, rate, p50, p95 = load(app, list(urls.values()))
        print(f"\nLoad: {LOAD_THREADS} clients for {LOAD_SECONDS:.0f} s over waitress (8 threads): {count} requests, "
              f"{rate:.0f} req/s, median {p50:.1f} ms, p95 {p95:.1f} ms")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"Peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
