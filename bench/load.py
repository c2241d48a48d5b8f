"""Throughput and latency of the key pages at SWV volume, through the real server, next to a floor.

    make bench                                   # SQLite and (when it answers) PostgreSQL; rewrites docs/performance.md
    BENCH_SCALE=0.05 BENCH_SECONDS=5 make bench  # a quick run

For each database: an instance with the demo data grown by ``bench/volume.py``; per page the queries (a student
with 10 entries and one with 300), the slowest query with its plan; then ``portal run`` (waitress, 8 threads) in
its own process, logged in as the VO care coordinator (the SWV queue as SWV staff), and ``wrk`` in its own process
with 20 connections per page. The floor is a bare Flask app under the same waitress serving the same bytes, in the
same run. Prints figures and writes them to docs/performance.md; asserts nothing.
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import volume  # noqa: E402  (bench/ is not a package)

PASSWORD = "bench-wachtwoord-123"
CARE = "zorg@esker.demo.nl"
SWV = "swv@swv.demo.nl"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
THREADS = 8
PORTAL = Path(sys.executable).with_name("portal")
PG_URL = os.environ.get("PORTAL_BENCH_DATABASE_URL", "postgresql://portal:portal@127.0.0.1:5432/portal_bench")
OUT = ROOT / "docs" / "performance.md"
GOAL_RATIO, GOAL_P90 = 0.05, 100.0
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# "run": waitress, one process; "serve": gunicorn, WORKERS processes; each is measured on the same data
SERVERS = [s for s in os.environ.get("BENCH_SERVERS", "run,serve").split(",") if s]
SERVER_COMMANDS = {
    "run": lambda port: [str(PORTAL), "run", "--host", "127.0.0.1", "--port", str(port), "--threads", str(THREADS)],
    "serve": lambda port: [str(PORTAL), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
                           "--threads", str(THREADS // WORKERS)],
}
SERVER_NAMES = {"run": f"`portal run` (waitress, {THREADS} threads, one process)",
                "serve": f"`portal serve` (gunicorn, {WORKERS} workers of {THREADS // WORKERS} threads)"}


def _env(instance: Path, url: str, secret: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_INSTANCE_PATH=str(instance), PORTAL_DATABASE_URL=url, PORTAL_SECRET_KEY=secret,
               PORTAL_PLUGINS="po,vo,drenthe", PORTAL_DEMO_PASSWORD=PASSWORD, PORTAL_BASE_URL="http://127.0.0.1")
    env["PORTAL_DATABASE_POOL_SIZE"] = os.environ.get("PORTAL_DATABASE_POOL_SIZE", str(THREADS + 2))
    env["PORTAL_SECOND_FACTOR_ROLES"] = ""  # the pages are measured, not the sign-in
    return env


def _make_app(instance: Path, url: str, secret: str):
    os.environ.update(_env(instance, url, secret))
    from portal.app import create_app

    return create_app({"WTF_CSRF_ENABLED": False, "MAIL_HOST": None, "SECOND_FACTOR_ROLES": []})


def prepare(instance: Path, url: str, secret: str):
    from portal import demo, migrations
    from portal.db import database, is_sqlite, refresh_statistics

    (instance / "attachments").mkdir(parents=True, exist_ok=True)
    app = _make_app(instance, url, secret)
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrations.apply(list(app.extensions["registry"].migrations))
        demo.load(echo=lambda *_: None)
        database.close()
    started = time.perf_counter()
    ids = volume.grow(app, CARE)
    with app.app_context():
        database.connect(reuse_if_open=True)
        refresh_statistics()  # what the daily job core.statistics does on a real install
        if not is_sqlite():
            # What autovacuum does after a bulk load: rows inserted after a GIN index was made (the student
            # search's) wait in its pending list, and until a VACUUM the planner avoids the index.
            database.execute_sql("VACUUM ANALYZE")
        database.close()
    print(f"  volume {volume.counts()} in {time.perf_counter() - started:.0f} s", flush=True)
    return app, ids


def pages(app, ids: dict) -> dict[str, tuple[str, str]]:
    """name -> (user, path)."""
    from portal.applications.models import Application
    from portal.db import database
    from portal.meetings.models import Meeting
    from portal.route.models import Traject
    from portal.schools.models import School
    from portal.students.models import Student

    with app.app_context():
        database.connect(reuse_if_open=True)
        vo = School.get((School.sector == "VO") & ~School.name.startswith("Benchschool"))
        mine = Student.select(Student.id).where(Student.school == vo.id)
        traject = Traject.select().where(Traject.student.in_(mine)).order_by(Traject.id).first()
        meeting = Meeting.select().where(Meeting.school == vo.id).order_by(Meeting.id).first()
        application = Application.select().where(Application.school == vo.id).order_by(Application.id).first()
        database.close()
    return {
        "student list": (CARE, "/leerlingen/"),
        "search": (CARE, "/leerlingen/?q=leerling12"),
        "student": (CARE, f"/leerlingen/{ids['small']}"),
        "dossier, 10 entries": (CARE, f"/leerlingen/{ids['small']}/dossier"),
        "dossier, 300 entries": (CARE, f"/leerlingen/{ids['big']}/dossier"),
        "traject": (CARE, f"/leerlingen/{traject.student_id}/traject"),
        "mijn acties": (CARE, "/mijn-acties"),
        "meeting page": (CARE, f"/overleg/{meeting.id}"),
        "application (school)": (CARE, f"/aanvragen/{application.id}"),
        "SWV queue": (SWV, "/swv/aanvragen"),
        "mijn acties (SWV)": (SWV, "/mijn-acties"),
    }


def queries(app, urls: dict) -> dict[str, dict]:
    """Per page: the number of queries and the slowest one with its plan (in-process, through the test client)."""
    from portal.db import database, is_sqlite

    clients = {}
    result = {}
    for name, (user, path) in urls.items():
        if user not in clients:
            clients[user] = app.test_client()
            clients[user].post("/login", data={"email": user, "password": PASSWORD})
        with app.app_context():
            db = database.obj
            calls: list[tuple[float, str, tuple]] = []
            original = db.execute_sql

            def timed(sql, params=None, *a, **k):
                start = time.perf_counter()
                try:
                    return original(sql, params, *a, **k)
                finally:
                    calls.append((time.perf_counter() - start, sql, tuple(params or ())))

            db.execute_sql = timed
            try:
                status = clients[user].get(path).status_code
            finally:
                db.execute_sql = original
            slowest = max(calls) if calls else (0, "", ())
            plan = _plan(db, slowest[1], slowest[2], is_sqlite(db)) if slowest[1].lstrip().upper().startswith(
                "SELECT") else ""
            database.close()
        result[name] = {"status": status, "queries": len(calls), "slowest_ms": slowest[0] * 1000,
                        "slowest_sql": slowest[1], "plan": plan}
    return result


def _plan(db, sql: str, params: tuple, sqlite: bool) -> str:
    try:
        if sqlite:
            rows = db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            return "\n".join(str(r[-1]) for r in rows)
        rows = db.execute_sql("EXPLAIN ANALYZE " + sql, params).fetchall()
        return "\n".join(r[0] for r in rows)
    except Exception as exc:  # a plan is a diagnosis: never stop the bench for one
        return f"(no plan: {exc})"


def _wait(port: int, proc: subprocess.Popen) -> float:
    started = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return time.perf_counter() - started
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server stopped (exit {proc.returncode})")
            time.sleep(0.1)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


AGENT = "portal-bench"  # one user agent for the login, the checks and wrk: a session is bound to its browser


def _cookie(base: str, email: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", AGENT)]
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    data = {"email": email, "password": PASSWORD, **({"csrf_token": token[1]} if token else {})}
    opener.open(base + "/login", data=urllib.parse.urlencode(data).encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def wrk(url: str, cookie: str = "") -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "--timeout", "10s", "-H",
            f"User-Agent: {AGENT}"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    if not rate:
        print(out, file=sys.stderr)
    latency = {p: _ms(v, unit) for p, v, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    done = re.search(r"(\d+) requests in [^,]+, ([\d.]+)(B|KB|MB|GB) read", out)
    per_request = float(done[2]) * {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}[done[3]] / max(1, int(done[1]))
    return {"rate": rate, "p50": latency.get("50"), "p90": latency.get("90"), "p99": latency.get("99"),
            "errors": errors, "bytes_per_request": per_request}


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    own = int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(k) for k in children.read_text().split()] if children.exists() else []
    return own + sum(_rss_mb(k) for k in kids)  # gunicorn: the master and its workers


def load(instance: Path, url: str, secret: str, urls: dict, folder: Path, kind: str) -> tuple[dict, dict]:
    port, floor_port = _free_port(), _free_port()
    server = subprocess.Popen(SERVER_COMMANDS[kind](port), env=_env(instance, url, secret),
                              stdout=(folder / "server.log").open("w"), stderr=subprocess.STDOUT)
    bodies = folder / "bodies"
    bodies.mkdir(exist_ok=True)
    try:
        startup = _wait(port, server)
        base = f"http://127.0.0.1:{port}"
        cookies = {user: _cookie(base, user) for user in {u for u, _ in urls.values()}}
        for n, (name, (user, path)) in enumerate(urls.items()):
            request = urllib.request.Request(base + path, headers={"Cookie": cookies[user], "User-Agent": AGENT})
            with urllib.request.urlopen(request) as response:  # redirects followed: must stay on the page
                body = response.read()
                if response.status != 200 or urllib.parse.urlparse(response.geturl()).path != path.split("?")[0]:
                    raise SystemExit(f"{name}: {response.status} at {response.geturl()}, not the page itself")
            (bodies / str(n)).write_bytes(body)
        floor = subprocess.Popen([sys.executable, str(ROOT / "bench" / "floor.py"), str(bodies), str(floor_port),
                                  str(THREADS)], stdout=(folder / "floor.log").open("w"), stderr=subprocess.STDOUT)
        try:
            _wait(floor_port, floor)
            results = {}
            for n, (name, (user, path)) in enumerate(urls.items()):
                portal = wrk(base + path, cookies[user])
                size = (bodies / str(n)).stat().st_size
                if portal["bytes_per_request"] < size:  # a redirect (to the login page) answered instead
                    portal["errors"] = max(portal["errors"], 1)
                    print(f"  {name}: {portal['bytes_per_request']:.0f} bytes a response, the page has {size}",
                          file=sys.stderr)
                bare = wrk(f"http://127.0.0.1:{floor_port}/{n}")
                results[name] = {"portal": portal, "floor": bare, "bytes": (bodies / str(n)).stat().st_size}
                print(f"  {name:<22} {portal['rate']:>7.0f} req/s  p90 {portal['p90']:>7.1f} ms   floor "
                      f"{bare['rate']:>7.0f} req/s  ratio {portal['rate'] / (bare['rate'] or 1):.3f}", flush=True)
        finally:
            floor.terminate()
            floor.wait(timeout=10)
        server_facts = {"startup_s": startup, "rss_mb": _rss_mb(server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=20)
        log = (folder / "server.log").read_text(errors="replace")
        if "Traceback" in log or "ERROR" in log:
            print(log[-3000:], file=sys.stderr)
    return results, server_facts


def run(backend: str, url: str | None) -> list[dict]:
    """One database, measured under each server: ``url`` None is a fresh SQLite file in the bench's folder."""
    print(f"== {backend}", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    instance = folder / "instance"
    url = url or f"sqlite:///{folder / 'portal.db'}"
    secret = secrets.token_urlsafe(32)
    try:
        app, ids = prepare(instance, url, secret)
        urls = pages(app, ids)
        counted = queries(app, urls)
        measured = []
        for kind in SERVERS:
            print(f"  -- {SERVER_NAMES[kind]}", flush=True)
            results, facts = load(instance, url, secret, urls, folder, kind)
            measured.append({"backend": f"{backend}, {SERVER_NAMES[kind]}",
                             "pages": {name: {**results[name], **counted[name]} for name in urls}, **facts})
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return measured


def _postgres_ready(url: str) -> bool:
    try:
        import psycopg2

        parsed = urllib.parse.urlparse(url)
        admin = psycopg2.connect(parsed._replace(path="/postgres").geturl())
        admin.autocommit = True
        name = parsed.path.lstrip("/")
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        return True
    except Exception as exc:
        print(f"PostgreSQL not measured ({exc})")
        return False


def hardware() -> str:
    """The machine and the versions that matter for the figures (shared with bench/soak.py)."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1]) // 1024 // 1024
    return (f"{os.cpu_count()} cores ({cpu}), {mem} GiB RAM, Linux {platform.release()}, Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def machine() -> str:
    return (f"{hardware()}; load generator wrk "
            f"(2 threads, {CONNECTIONS} connections, {SECONDS} s per page); a pool of {os.environ.get('PORTAL_DATABASE_POOL_SIZE', THREADS + 2)} connections per server process")


# What the figures of 2026-12-02 (commit of this text) say stands between each page and the goal; kept with the
# generator so a regenerated file still carries it (update it when a fix changes the picture).
OBSTACLES = """## What stands in the way (measured 2026-12-02, after the scale fixes)

Run-to-run spread on this shared 2-core machine is large: two full runs on the same code an hour apart differed
by up to 40 % on one page (SQLite `portal serve`, student list 210 and 132 req/s), so read single figures as
approximate. Against the first run of the day (before the fixes), under `portal serve` on SQLite: student
153 -> 185-243 req/s, dossier with 300 entries 121 -> 152-198, mijn acties 20 -> 44-62, SWV queue 16 -> 57-64;
the SWV's own task list (new in the table) took 928 ms and 1.6 MB in-process before it was capped, 47 ms now.
No page's queries grow with the install any more: the numbers of queries are equal for 10 and 300 entries, the
slowest query of every page is a few milliseconds at most at full volume, and none scans a table of the whole
install except the queue's status counts (item 4). What keeps each page from the goal:

1. **Simple pages (student list, search, student, dossier): ratio met on SQLite, p90 not.** Under `portal serve`
   they serve 130-245 req/s (ratio 0.05-0.09) with a p90 of 110-310 ms. In-process a request costs 5-8 ms
   (`make profile`): peewee building SQL about 45 % of it (7-9 queries, of which four on every page: session with
   user, memberships, the audit write, the bell's count), then Werkzeug/Flask and Jinja. With 20 connections
   p90 is about 20 / throughput, so p90 < 100 ms needs well over 200 req/s, about 4 ms of CPU per request on two
   cores that wrk shares. What would close it: the fixed per-request queries as compiled SQL (or the memberships
   and the bell in the session's query), or a third core. On PostgreSQL each query is also a round trip of
   0.5-1 ms on the same two cores, so these pages serve 115-145 req/s there (ratio about 0.05), and an audit
   write's commit now and then waits on the WAL flush (up to 140 ms seen).
2. **traject, meeting page, application page** (55-115 req/s on SQLite, 42-73 on PostgreSQL): 11, 25 and 18
   queries, and most of their time is rendering many forms (a meeting page holds eight: contribution, share,
   attendance, report, participants, ...). Loading the forms as htmx fragments when opened would halve them.
3. **mijn acties** (44-62 req/s on SQLite, 37 on PostgreSQL, 22 queries): every reminder kind derives its open
   items on each view, now through indexes (the planner's statistics, the compiled scope, one query for the
   left students, the OPP answers in one query), two thirds of its time peewee building those queries. Open
   items kept as rows (one indexed query) would meet the goal; they are not, on purpose for now: a derived item
   is always right, while a kept row needs every write path of the core and of every plugin to maintain it.
4. **SWV queue** (57-64 req/s on SQLite, 32 on PostgreSQL): the page reads its 25 rows in index order and counts
   per status and per school from indexes; what remains is that those counts cover the SWV's whole history
   (20,000 applications: 5 ms on PostgreSQL, a scan with a hash aggregate) and that the counts and the filter
   list one row per school (200). A summary kept on each status change would make the counts constant.
5. **mijn acties (SWV)** (30-35 req/s on SQLite, 16 on PostgreSQL): at most 100 of the waiting applications of
   every school (the longest waiting, with a link to the queue), plus the other kinds; rendering those rows and
   building 23 queries. The same remedy as item 3.
"""


def report(runs: list[dict]) -> str:
    lines = ["# Performance", "", "Regenerated by `make bench` (bench/load.py); figures, never assertions.", "",
             f"Machine: {machine()}.", "", f"Volume: {json.dumps(volume.counts())} (BENCH_SCALE {volume.SCALE}).",
             "", f"Goal: every page at least {GOAL_RATIO} of the floor's throughput with a p90 under {GOAL_P90:.0f} "
             f"ms at {CONNECTIONS} connections.", ""]
    for run_ in runs:
        lines += [f"## {run_['backend']}", "",
                  f"Start-up {run_['startup_s']:.1f} s; server RSS after the load {run_['rss_mb']:.0f} MB (all its processes).",
                  "",
                  "| page | req/s | p50 ms | p90 ms | p99 ms | errors | floor req/s | ratio | queries | KB | goal |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for name, p in run_["pages"].items():
            portal, floor = p["portal"], p["floor"]
            ratio = portal["rate"] / floor["rate"] if floor["rate"] else 0
            met = "yes" if ratio >= GOAL_RATIO and (portal["p90"] or 1e9) < GOAL_P90 and not portal["errors"] \
                else "no"
            lines.append(f"| {name} | {portal['rate']:.0f} | {portal['p50']:.1f} | {portal['p90']:.1f} | "
                         f"{portal['p99']:.1f} | {portal['errors']} | {floor['rate']:.0f} | {ratio:.3f} | "
                         f"{p['queries']} | {p['bytes'] // 1024} | {met} |")
        lines += ["", "Slowest query per page (in-process, one request) and its plan:", ""]
        for name, p in run_["pages"].items():
            sql = re.sub(r"\s+", " ", p["slowest_sql"])[:300]
            lines += [f"- **{name}** ({p['slowest_ms']:.1f} ms): `{sql}`", "", "  ```",
                      *("  " + line for line in (p["plan"] or "(not a SELECT)").splitlines()[:8]), "  ```", ""]
    return "\n".join(lines) + "\n" + OBSTACLES


def main() -> None:
    runs = run("SQLite", None) if os.environ.get("BENCH_SQLITE", "1") != "0" else []
    if os.environ.get("BENCH_POSTGRES", "1") != "0" and _postgres_ready(PG_URL):
        runs += run("PostgreSQL", PG_URL)
    OUT.write_text(report(runs), encoding="utf-8")
    print(f"written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
