"""Reliability through the real server: mixed load, kill -9 under writes, a backup taken under writes.

    make soak                                   # SQLite and (when it answers) PostgreSQL; rewrites docs/soak.md
    SOAK_SECONDS=5 SOAK_KILLS=2 make soak       # a quick run

Per database (SQLite in WAL mode in a temporary instance; PostgreSQL in its own database ``portal_soak``, dropped
and recreated here) with the demo data:

1. ``portal serve`` (gunicorn, 2 workers) and SOAK_CLIENTS (50) logged-in browsers in this process (threads; the
   server runs in its own processes) for SOAK_SECONDS: student list, student page, dossier, mijn acties, the
   meeting page, and writes through the real forms with their CSRF token (a dossier note, a meeting
   contribution, an attachment). Each write carries a unique marker; a write is acknowledged when the answer is
   the redirect to the saved result. Afterwards the markers are counted in the database directly.
2. SOAK_KILLS (10) rounds: start the server, 10 browsers write, ``kill -9`` of the server's whole process group
   after a random 2-5 s, then integrity and consistency checks and every acknowledged marker looked up.
3. A backup (``portal backup``) taken while browsers write, restored (``portal restore``) into a fresh instance:
   integrity, every attachment row with its file, the writes acknowledged before the backup started, and the
   restored portal serving pages.

Prints figures and writes them to docs/soak.md; asserts nothing and is no part of the test suite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from contextlib import closing
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (bench/ is not a package: the server's environment, waiting, ports, PostgreSQL set-up)

SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "50"))
KILLS = int(os.environ.get("SOAK_KILLS", "10"))
WRITERS = 10  # browsers writing in the kill and backup parts
WORKERS, THREADS = 2, 4  # `portal serve`: 2 gunicorn workers of 4 threads
PG_URL = os.environ.get("PORTAL_SOAK_DATABASE_URL", "postgresql://portal:portal@127.0.0.1:5432/portal_soak")
OUT = ROOT / "docs" / "soak.md"
# Demo accounts that write in dossiers: the care coordinators (whole school) and teachers (their own groups).
USERS = ("zorg@esker.demo.nl", "mentor@esker.demo.nl", "mentor2@esker.demo.nl", "ib@regenboog.demo.nl",
         "leerkracht@regenboog.demo.nl", "leerkracht2@regenboog.demo.nl", "leerkracht3@regenboog.demo.nl")
MARKER = re.compile(r"soak-[a-z0-9]+-\d+-\d+")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- the server ------------------------------------------------------------------------------------------------


def environment(instance: Path, url: str, secret: str) -> dict:
    env = load._env(instance, url, secret)
    # Every browser logs in from 127.0.0.1: the per-address login limit would refuse the 31st. It is a setting.
    env["PORTAL_LOGIN_CLIENT_LIMIT"] = "100000 per hour"
    env["PORTAL_SECOND_FACTOR_ROLES"] = ""  # simulated browsers sign in with the password only
    env["PORTAL_DATABASE_POOL_SIZE"] = os.environ.get("PORTAL_DATABASE_POOL_SIZE", str(THREADS + 2))
    return env


def portal(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(load.PORTAL), *args], env=env, capture_output=True, text=True, check=check)


class Server:
    """``portal serve`` in its own process group (master and workers), so kill -9 can take them all at once."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> float:
        self.port = load._free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(load.PORTAL), "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
             "--threads", str(THREADS)], env=self.env, stdout=self.log.open("a"), stderr=subprocess.STDOUT,
            start_new_session=True)
        return load._wait(self.port, self.proc)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=60)
        self._gone()

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._gone()

    def _gone(self) -> None:
        """Wait until no process of the group is left (the workers die with the master's group)."""
        for _ in range(100):
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


# --- a browser -------------------------------------------------------------------------------------------------


class _Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an answer to look at, not to follow
        return None


class Stats:
    """Per kind of request: latencies and errors, shared by the threads of one run."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []
        self.acked: dict[str, str] = {}  # marker -> kind of write
        self.sent: dict[str, tuple] = {}  # marker -> the post that went out (to send it again)
        self.killing = False
        self.after_kill = 0

    def done(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latency[kind].append(seconds * 1000)

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            if self.killing:  # the server is being killed on purpose: failures now are the point
                self.after_kill += 1
                return
            self.errors[kind] += 1
            if len(self.samples) < 12:
                self.samples.append(f"{kind}: {what}")

    def ack(self, marker: str, kind: str) -> None:
        with self.lock:
            self.acked[marker] = kind


class Refused(Exception):
    """The answer was not what a user expects (counted as an error of its kind of request)."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message = kind, message


class Lost(Exception):
    """No answer: the connection was refused, reset or timed out (counted where it happened)."""


class Browser:
    """One user's browser: its own cookies, no redirects followed, timings into ``stats``."""

    def __init__(self, base: str, email: str, stats: Stats):
        self.base, self.email, self.stats = base, email, stats
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _Keep)
        self.opener.addheaders = [("User-Agent", load.AGENT)]

    def call(self, kind: str, path: str, data: bytes | None = None, content_type: str = "") -> tuple[int, bytes, str]:
        request = urllib.request.Request(self.base + path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        started = time.perf_counter()
        try:
            status, body, location = self._send(request)
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, cut off, timed out
            self.stats.error(kind, f"no answer at {path}: {exc!r}")
            raise Lost() from exc
        self.stats.done(kind, time.perf_counter() - started)
        if status >= 400:
            raise Refused(kind, f"{status} at {path}")
        return status, body, location

    def _send(self, request) -> tuple[int, bytes, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read(), response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:  # 3xx (not followed) and 4xx/5xx: an answer with its body
            return exc.code, exc.read(), exc.headers.get("Location", "")

    def page(self, kind: str, path: str) -> str:
        status, body, location = self.call(kind, path)
        if status != 200:
            raise Refused(kind, f"{status} to {location or '?'} at {path}")
        return body.decode("utf-8", "replace")

    def post(self, kind: str, path: str, fields: dict, files: dict | None = None) -> tuple[int, str]:
        if files is None:
            data, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        else:
            data, content_type = multipart(fields, files)
        status, _body, location = self.call(kind, path, data, content_type)
        return status, location

    def login(self) -> None:
        fields = form_fields(self.page("login form", "/login"), "/login", here="/login")
        status, location = self.post("login", "/login", {**fields, "email": self.email,
                                                          "password": load.PASSWORD})
        if status != 303 or location.endswith("/login"):
            raise Refused("login", f"{self.email}: {status} to {location}")


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it (``files``: name -> (file name, bytes, type))."""
    boundary = "----soak" + secrets.token_hex(12)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    for name, (filename, content, kind) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def form_fields(page: str, action: str, here: str = "") -> dict[str, str]:
    """The hidden inputs and the selected options of the first form that posts to ``action`` (a form without an
    action posts to its own page, ``here``)."""
    for form in re.findall(r"<form\b.*?</form>", page, re.S):
        head = re.match(r"<form\b[^>]*>", form)[0]
        target = html.unescape((re.search(r'action="([^"]*)"', head) or [None, here])[1])
        if action and target.split("?")[0] != action:
            continue
        fields = {}
        for tag in re.findall(r"<input\b[^>]*>", form):
            attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
            if attrs.get("type") == "hidden" and "name" in attrs:
                fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
        for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
            chosen = re.search(r'<option selected value="([^"]*)"', options) or re.search(
                r'<option value="([^"]*)"', options)
            if chosen:
                fields[name] = html.unescape(chosen[1])
        return fields
    raise Refused("form", f"no form {action or '(first)'} on the page")


# --- what the browsers do --------------------------------------------------------------------------------------


class Plan:
    """Where a user can read and write: found the way a user finds it (the student list, the meeting list)."""

    def __init__(self, browser: Browser):
        listing = browser.page("student list", "/leerlingen/")
        self.students = sorted({int(n) for n in re.findall(r'href="/leerlingen/(\d+)"', listing)})
        meetings = browser.page("meeting list", "/overleg?periode=komend")
        self.meetings = []
        for meeting in sorted({int(n) for n in re.findall(r'href="/overleg/(\d+)"', meetings)}):
            if f'action="/overleg/{meeting}/inbreng"' in browser.page("meeting page", f"/overleg/{meeting}"):
                self.meetings.append(meeting)
        if not self.students:
            raise Refused("plan", f"{browser.email} sees no students")


class Markers:
    def __init__(self, tag: str):
        self.tag, self.count, self.lock = tag, 0, threading.Lock()

    def next(self, client: int) -> str:
        with self.lock:
            self.count += 1
            return f"soak-{self.tag}-{client}-{self.count}"


def submit(b: Browser, kind: str, marker: str, path: str, fields: dict, files: dict | None, expect: str) -> None:
    """Post a form; acknowledged when the answer is the redirect to ``expect`` (kept for a resubmit)."""
    b.stats.sent[marker] = (b, kind, path, fields, files, expect)
    status, location = b.post(kind, path, fields, files)
    if status != 303 or not location.split("#")[0].endswith(expect):
        raise Refused(kind, f"{status} to {location}")
    b.stats.ack(marker, kind.split()[0])


def write_note(b: Browser, plan: Plan, rng: random.Random, marker: str) -> None:
    student = rng.choice(plan.students)
    path = f"/leerlingen/{student}/dossier/nieuw"
    fields = form_fields(b.page("note form", path), path, here=path)
    submit(b, "note save", marker, path, {**fields, "section": "support", "kind": "note",
                                           "title": f"{marker} notitie",
                                           "body": f"Schrijftest onder belasting; kenmerk {marker}."},
           None, f"/leerlingen/{student}/dossier")


def write_contribution(b: Browser, plan: Plan, rng: random.Random, marker: str) -> None:
    meeting = rng.choice(plan.meetings)
    path = f"/overleg/{meeting}/inbreng"
    fields = form_fields(b.page("meeting page", f"/overleg/{meeting}"), path)
    submit(b, "contribution save", marker, path, {**fields, "agenda_item": "0", "text": marker},
           {"file": ("", b"", "application/octet-stream")}, f"/overleg/{meeting}")


def write_attachment(b: Browser, plan: Plan, rng: random.Random, marker: str) -> None:
    student = rng.choice(plan.students)
    path = f"/leerlingen/{student}/dossier/bijlagen"
    fields = form_fields(b.page("dossier", f"/leerlingen/{student}/dossier"), path)
    submit(b, "attachment save", marker, path, fields,
           {"file": (f"{marker}.pdf", PDF + marker.encode(), "application/pdf")}, f"/leerlingen/{student}/dossier")


def read(b: Browser, plan: Plan, rng: random.Random) -> None:
    student = rng.choice(plan.students)
    kind, path = rng.choice([("student list", "/leerlingen/"), ("student page", f"/leerlingen/{student}"),
                             ("dossier", f"/leerlingen/{student}/dossier"), ("mijn acties", "/mijn-acties")])
    b.page(kind, path)


def one_write(b: Browser, plan: Plan, rng: random.Random, marker: str) -> None:
    roll = rng.random()
    if roll < 0.25 and plan.meetings:
        write_contribution(b, plan, rng, marker)
    elif roll < 0.40:
        write_attachment(b, plan, rng, marker)
    else:
        write_note(b, plan, rng, marker)


def client(n: int, b: Browser, plan: Plan, markers: Markers, stop: threading.Event, write_share: float) -> None:
    rng = random.Random(n)
    while not stop.is_set():
        try:
            if rng.random() < write_share:
                one_write(b, plan, rng, markers.next(n))
            else:
                read(b, plan, rng)
        except Refused as exc:
            b.stats.error(exc.kind, exc.message)
        except Lost:
            time.sleep(0.05)  # already counted; a real user would retry too


def browsers(base: str, count: int, stats: Stats, plans: dict) -> list[tuple[Browser, Plan]]:
    """``count`` browsers, round-robin over the demo users, each logged in; a user's plan found once."""
    result = []
    for n in range(count):
        b = Browser(base, USERS[n % len(USERS)], stats)
        b.login()
        if b.email not in plans:
            plans[b.email] = Plan(b)
        result.append((b, plans[b.email]))
    return result


def run_clients(pairs, markers: Markers, write_share: float) -> tuple[threading.Event, list[threading.Thread]]:
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(n, b, plan, markers, stop, write_share), daemon=True)
               for n, (b, plan) in enumerate(pairs)]
    for t in threads:
        t.start()
    return stop, threads


# --- looking in the database directly --------------------------------------------------------------------------


def rows(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(url.split(":///", 1)[1], timeout=30)) as con:
            return con.execute(sql).fetchall()
    import psycopg2

    with closing(psycopg2.connect(url)) as con, con.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def stored_markers(url: str) -> Counter:
    """Every marker in the database with the rows that carry it: note titles, contribution texts, attachment file
    names (one row each: more is a write stored twice)."""
    found = Counter()
    for sql in ("SELECT title FROM entry WHERE title LIKE 'soak-%'",
                "SELECT text FROM contribution WHERE text LIKE 'soak-%'",
                "SELECT filename FROM attachment WHERE filename LIKE 'soak-%'"):
        found.update(m for (value,) in rows(url, sql) for m in set(MARKER.findall(value)))
    return found


def twice(found: Counter, markers) -> int:
    return sum(found[m] > 1 for m in markers)


# Each query counts rows that must not exist; 0 is consistent.
CONSISTENCY = {
    "notes without their audit event": "SELECT count(*) FROM entry e WHERE e.title LIKE 'soak-%' AND NOT EXISTS "
    "(SELECT 1 FROM audit_event a WHERE a.action = 'entry.create' AND a.object_id = e.id)",
    "attachments without their audit event": "SELECT count(*) FROM attachment t WHERE NOT EXISTS "
    "(SELECT 1 FROM audit_event a WHERE a.action = 'attachment.upload' AND a.object_id = t.id)",
    "unfinished idempotency claims": "SELECT count(*) FROM idempotency_key WHERE url = ''",
    "entries of no student": "SELECT count(*) FROM entry e LEFT JOIN student s ON s.id = e.student_id "
    "WHERE s.id IS NULL",
    "contributions of no participant": "SELECT count(*) FROM contribution c LEFT JOIN participant p "
    "ON p.id = c.participant_id WHERE p.id IS NULL",
}


SEQUENCED = ("entry", "attachment", "contribution", "audit_event", "idempotency_key", "revision", "user_session")


def _sequence_behind(url: str, table: str) -> bool:
    """PostgreSQL after a crash: a sequence below its table's highest id would make the next insert fail."""
    (sequence,), = rows(url, f"SELECT pg_get_serial_sequence('{table}', 'id')")
    (behind,), = rows(url, f"SELECT coalesce(max(id), 0) > (SELECT last_value FROM {sequence}) FROM {table}")
    return bool(behind)


def check(url: str, instance: Path) -> dict[str, object]:
    """Integrity (SQLite's own checks), the consistency queries, and every attachment row with its file."""
    result: dict[str, object] = {}
    if url.startswith("sqlite"):
        result["integrity_check"] = ", ".join(r[0] for r in rows(url, "PRAGMA integrity_check"))
        result["foreign_key_check"] = len(rows(url, "PRAGMA foreign_key_check"))
    for name, sql in CONSISTENCY.items():
        result[name] = rows(url, sql)[0][0]
    if not url.startswith("sqlite"):
        result["sequences behind their ids"] = sum(_sequence_behind(url, t) for t in SEQUENCED)
    missing = 0
    stored = rows(url, "SELECT storage_name, sha256 FROM attachment")
    for storage_name, sha in stored:
        path = instance / "attachments" / storage_name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            missing += 1
    result["attachment rows without their file"] = missing
    files = {p.name for p in (instance / "attachments").iterdir()} if (instance / "attachments").is_dir() else set()
    result[LEFTOVERS] = len(files - {name for name, _sha in stored})
    return result


# Files whose row was never committed (a kill between writing the file and the commit): space, not inconsistency.
LEFTOVERS = "files without a row"


def consistent(checks: dict) -> bool:
    return all(v == "ok" if k == "integrity_check" else v == 0 for k, v in checks.items() if k != LEFTOVERS)


# --- the three parts -------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0


def mixed(server: Server, url: str, instance: Path, plans: dict) -> dict:
    """Part 1: CLIENTS browsers, a fifth of their actions writes, for SECONDS."""
    startup = server.start()
    stats = Stats()
    pairs = browsers(server.base, CLIENTS, stats, plans)
    stats.latency.clear()  # logins and finding the way are set-up, not the load
    started = time.perf_counter()
    stop, threads = run_clients(pairs, Markers("mix"), write_share=0.2)
    time.sleep(SECONDS)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    elapsed = time.perf_counter() - started
    server.stop()
    found = stored_markers(url)
    acked = set(stats.acked)
    return {"startup": startup, "seconds": elapsed, "stats": stats, "acked": len(acked), "by_kind": by_kind(stats),
            "found": len(acked & set(found)), "lost": sorted(acked - set(found))[:10],
            "twice": twice(found, stats.sent), "checks": check(url, instance)}


def by_kind(stats: Stats) -> str:
    counted = defaultdict(int)
    for kind in stats.acked.values():
        counted[kind] += 1
    return ", ".join(f"{kind}s {n}" for kind, n in sorted(counted.items()))


def kill_round(server: Server, url: str, instance: Path, plans: dict, n: int, rng: random.Random) -> dict:
    """Part 2, one round: WRITERS browsers write only; kill -9 of the whole server after 2-5 s."""
    startup = server.start()
    stats = Stats()
    pairs = browsers(server.base, WRITERS, stats, plans)
    stop, threads = run_clients(pairs, Markers(f"kill{n}"), write_share=1.0)
    after = rng.uniform(2, 5)
    time.sleep(after)
    stats.killing = True
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=60)
    found = stored_markers(url)
    acked = set(stats.acked)
    unanswered = set(stats.sent) - acked
    result = {"round": n, "startup": startup, "after": after, "acked": len(acked), "found": len(acked & set(found)),
              "lost": sorted(acked - set(found))[:10], "unanswered": len(unanswered),
              "unanswered_stored": len(unanswered & set(found)), "errors": sum(stats.errors.values()),
              "samples": stats.samples, "checks": check(url, instance)}
    return {**result, **resubmit(server, url, {m: stats.sent[m] for m in unanswered})}


def resubmit(server: Server, url: str, posts: dict) -> dict:
    """After the crash: start the server again and send each unanswered post once more, as a user presses "Opslaan"
    again (the same browser, session and form, so the same idempotency key). Every one must end stored once."""
    restart = server.start()
    again = Stats()
    saved = 0
    for marker, (b, kind, path, fields, files, expect) in posts.items():
        b.base, b.stats = server.base, again
        try:
            status, location = b.post(kind, path, fields, files)
        except (Refused, Lost):
            continue
        saved += status == 303 and location.split("#")[0].endswith(expect)
    server.stop()
    found = stored_markers(url)
    kinds = Counter(post[1].split()[0] for m, post in posts.items() if found[m] > 1)
    return {"restart": restart, "resaved": saved, "once": sum(found[m] == 1 for m in posts),
            "twice": twice(found, posts), "twice_kinds": dict(kinds), "resubmit_errors": sum(again.errors.values()),
            "resubmit_samples": again.samples}


def backup_restore(server: Server, url: str, instance: Path, folder: Path, plans: dict, restore_url: str,
                   secret: str) -> dict:
    """Part 3: ``portal backup`` while WRITERS browsers write, then ``portal restore`` into a fresh instance."""
    server.start()
    stats = Stats()
    pairs = browsers(server.base, WRITERS, stats, plans)
    stop, threads = run_clients(pairs, Markers("backup"), write_share=1.0)
    time.sleep(max(2.0, SECONDS / 6))
    before = set(stats.acked)
    archive = folder / "backup.tar.gz"
    started = time.perf_counter()
    made = portal(server.env, "backup", str(archive), check=False)
    backup_s = time.perf_counter() - started
    during = set(stats.acked) - before
    time.sleep(1)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    server.stop()
    result = {"before": len(before), "during": len(during), "after_all": len(stats.acked),
              "errors": sum(stats.errors.values()), "samples": stats.samples, "backup_s": backup_s,
              "backup_ok": made.returncode == 0, "backup_out": (made.stdout + made.stderr).strip()[-500:],
              "archive_kb": archive.stat().st_size // 1024 if archive.exists() else 0}
    if not result["backup_ok"]:
        return result
    return {**result, **restored(archive, folder / "restored", restore_url, secret, before)}


def restored(archive: Path, instance: Path, url: str, secret: str, before: set[str]) -> dict:
    """Restore into a fresh instance and look at it: integrity, the writes from before the backup, pages."""
    (instance / "attachments").mkdir(parents=True)
    env = environment(instance, url, secret)
    out = portal(env, "restore", "--yes", str(archive), check=False)
    if out.returncode != 0:
        return {"restore_ok": False, "restore_out": (out.stdout + out.stderr).strip()[-500:]}
    found = set(stored_markers(url))
    attachments = rows(url, "SELECT count(*) FROM attachment")[0][0]
    migrate = portal(env, "migrate", check=False)
    server = Server(env, instance.parent / "restored-server.log")
    server.start()
    try:
        pages = served(server.base, url)
    finally:
        server.stop()
    return {"restore_ok": True, "found_before": len(before & found), "lost": sorted(before - found)[:10],
            "attachments": attachments, "checks": check(url, instance), "migrate": migrate.stdout.strip(),
            "pages": pages}


def served(base: str, url: str) -> dict[str, int]:
    """The restored portal answers: the student list, a dossier with a soak note, and an attachment's bytes."""
    b = Browser(base, USERS[0], Stats())
    b.login()
    student = rows(url, "SELECT e.student_id FROM entry e JOIN student s ON s.id = e.student_id JOIN school k "
                        "ON k.id = s.school_id WHERE e.title LIKE 'soak-%' AND k.sector = 'VO' ORDER BY e.id")
    attachment = rows(url, "SELECT t.id, t.student_id, t.sha256 FROM attachment t JOIN student s ON "
                           "s.id = t.student_id JOIN school k ON k.id = s.school_id WHERE k.sector = 'VO' "
                           "ORDER BY t.id")
    result = {"student list": _status(b, "/leerlingen/")}
    if student:
        result["dossier"] = _status(b, f"/leerlingen/{student[0][0]}/dossier")
    if attachment:
        aid, sid, sha = attachment[-1]
        _status_code, body, _ = b.call("download", f"/leerlingen/{sid}/bijlagen/{aid}")
        result["attachment download"] = 200 if hashlib.sha256(body).hexdigest() == sha else 0
    return result


def _status(b: Browser, path: str) -> int:
    try:
        return b.call("page", path)[0]
    except Refused as exc:
        return int(str(exc).split(": ", 1)[1].split(" ", 1)[0])


def run(backend: str, url: str | None, restore_url: str | None) -> dict:
    """The three parts on one database; ``url`` None is a SQLite file in a fresh temporary folder."""
    print(f"== {backend}", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="portal-soak-"))
    instance = folder / "instance"
    (instance / "attachments").mkdir(parents=True)
    url = url or f"sqlite:///{folder / 'portal.db'}"
    restore_url = restore_url or f"sqlite:///{folder / 'restored.db'}"
    secret = secrets.token_urlsafe(32)
    env = environment(instance, url, secret)
    try:
        portal(env, "demo")  # migrations and the demo data, as an administrator would
        server = Server(env, folder / "server.log")
        plans: dict = {}
        result = {"backend": backend}
        result["mixed"] = mixed(server, url, instance, plans)
        print_mixed(result["mixed"])
        rng = random.Random(7)
        result["kills"] = []
        for n in range(1, KILLS + 1):
            result["kills"].append(kill_round(server, url, instance, plans, n, rng))
            print_kill(result["kills"][-1])
        result["backup"] = backup_restore(server, url, instance, folder, plans, restore_url, secret)
        print_backup(result["backup"])
        log = "".join(p.read_text(errors="replace") for p in sorted(folder.glob("*.log")))
        result["tracebacks"] = log.count("Traceback")
        if result["tracebacks"]:
            print(log[-4000:], file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return result


# --- figures ---------------------------------------------------------------------------------------------------


def kinds_table(stats: Stats, seconds: float) -> list[str]:
    lines = ["| request | count | req/s | errors | p50 ms | p90 ms | p99 ms |", "|---|---|---|---|---|---|---|"]
    for kind in sorted(set(stats.latency) | set(stats.errors)):
        values = stats.latency.get(kind, [])
        lines.append(f"| {kind} | {len(values)} | {len(values) / seconds:.1f} | {stats.errors.get(kind, 0)} | "
                     f"{percentile(values, .5):.0f} | {percentile(values, .9):.0f} | {percentile(values, .99):.0f} |")
    every = [v for values in stats.latency.values() for v in values]
    lines.append(f"| **all** | {len(every)} | {len(every) / seconds:.1f} | {sum(stats.errors.values())} | "
                 f"{percentile(every, .5):.0f} | {percentile(every, .9):.0f} | {percentile(every, .99):.0f} |")
    return lines


def _checks(checks: dict) -> str:
    return "; ".join(f"{k} {v}" for k, v in checks.items())


def _verdict(checks: dict) -> str:
    if not consistent(checks):
        return _checks(checks)
    return "consistent" + (f" ({checks[LEFTOVERS]} {LEFTOVERS})" if checks.get(LEFTOVERS) else "")


def print_mixed(m: dict) -> None:
    print(f"  mixed load: {CLIENTS} clients, {m['seconds']:.0f} s")
    print("\n".join("  " + line for line in kinds_table(m["stats"], m["seconds"])))
    print(f"  writes acknowledged {m['acked']} ({m['by_kind']}), found {m['found']}, lost {len(m['lost'])}, stored "
          f"twice {m['twice']}; {_checks(m['checks'])}")
    for sample in m["stats"].samples:
        print(f"    error: {sample}")


def print_kill(k: dict) -> None:
    print(f"  kill {k['round']:>2} after {k['after']:.1f} s: acknowledged {k['acked']}, found {k['found']}, "
          f"unanswered {k['unanswered']} (stored {k['unanswered_stored']}; sent again: saved {k['resaved']}, stored "
          f"once {k['once']}, twice {k['twice']} {k['twice_kinds'] or ''}), errors before the kill {k['errors']}; "
          f"{_verdict(k['checks'])}", flush=True)


def print_backup(b: dict) -> None:
    print(f"  backup under load in {b['backup_s']:.1f} s ({b['archive_kb']} KB, ok {b['backup_ok']}): acknowledged "
          f"before {b['before']}, during {b['during']}, errors {b['errors']}")
    if b.get("restore_ok"):
        print(f"  restored: found {b['found_before']} of {b['before']}, attachments {b['attachments']}, pages "
              f"{b['pages']}, migrate {b['migrate']!r}; {_checks(b['checks'])}")
    else:
        print(f"  not restored: {b.get('backup_out') or b.get('restore_out')}")


def machine(postgres: str | None) -> str:
    return load.hardware() + (f", PostgreSQL {postgres}" if postgres else "")


# What the runs of 2026-12-02 showed; kept with the generator so a regenerated file still carries it (update it
# when a fix or a new finding changes the picture).
FINDINGS = """## What the soak found (2026-12-02)

- **No errors, no lost writes, no "database is locked"** on either database: the immediate transactions and the
  busy timeout of `portal/db.py` hold with 50 clients on two workers; every kill -9 left SQLite's integrity and
  foreign keys intact and no acknowledged write missing (WAL with `synchronous=normal` loses nothing on a process
  crash; only a power cut could cost the last transactions).
- **A meeting contribution sent again was stored again.** The resend after a kill (the answer lost, the user presses
  "Inbreng opslaan" again) is what the idempotency keys of the dossier, student and planning forms are for; the
  contribution form had none (seen when the resend step was added). It now carries one (`contribute` in
  `portal/meetings/views.py`; regression test `tests/test_meeting_safety.py::
  test_resubmitted_contribution_is_stored_once`), so the column "stored twice" is 0.
- **Files without a row** after a kill are uploads whose file was written but whose transaction never committed:
  disk space, not an inconsistency (no row points at a missing file). Nothing removes them yet.
- **Latency is capacity, not contention**: the clients do not pause between requests, so 50 of them keep the two
  workers (8 threads on 2 cores, shared with the clients) saturated and p50 is about 50 / throughput. The
  per-request cost is the subject of `docs/performance.md`.
"""


def report(results: list[dict], postgres: str | None, skipped: str) -> str:
    lines = ["# Soak", "", "Regenerated by `make soak` (bench/soak.py); figures, never assertions. Goal: zero errors, every "
             "acknowledged write in the database, every check consistent.", "",
             f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine(postgres)}.", "",
             f"Server: `portal serve` (gunicorn, {WORKERS} workers of {THREADS} threads, a pool of "
             f"{os.environ.get('PORTAL_DATABASE_POOL_SIZE', THREADS + 2)} connections each) on the demo data; the "
             "browsers are threads of the soak process (std urllib, one connection per request, own cookies, "
             "logged in as the demo's care coordinators and teachers). A write is acknowledged when its answer is "
             "the redirect to what was saved; markers are counted in the database directly afterwards.", ""]
    if skipped:
        lines += [f"PostgreSQL skipped: {skipped}.", ""]
    for r in results:
        lines += [f"## {r['backend']}", ""] + mixed_section(r["mixed"]) + kill_section(r["kills"]) \
            + backup_section(r["backup"])
        lines += [f"Tracebacks in the server logs: {r['tracebacks']}.", ""]
    return "\n".join(lines) + "\n" + FINDINGS


def mixed_section(m: dict) -> list[str]:
    lines = [f"### Mixed load: {CLIENTS} clients for {m['seconds']:.0f} s", "",
             "A fifth of the actions writes (a dossier note, a meeting contribution, a PDF attachment: each the form "
             "page, then the post); the rest reads the student list, a student page, a dossier, mijn acties.", ""]
    lines += kinds_table(m["stats"], m["seconds"])
    lost = f" ({', '.join(m['lost'])})" if m["lost"] else ""
    lines += ["", f"Writes acknowledged {m['acked']} ({m['by_kind']}), found in the database {m['found']}, lost "
              f"{len(m['lost'])}{lost}, stored twice {m['twice']}. Checks afterwards: {_checks(m['checks'])}.", ""]
    if m["stats"].samples:
        lines += ["Errors (first ones):", ""] + [f"- `{s}`" for s in m["stats"].samples] + [""]
    return lines


def kill_section(kills: list[dict]) -> list[str]:
    lines = [f"### kill -9 under write load: {len(kills)} rounds of {WRITERS} writing clients", "",
             "Each round starts the server, writes, and kills the master and its workers at once (SIGKILL to the "
             "process group) after a random 2-5 s, then checks the database. Unanswered: posts sent whose answer "
             "the kill cut off (stored or not, both are correct). Then the server starts again (restart s) and each "
             "unanswered post is sent once more from the same browser, as a user presses \"Opslaan\" again: it "
             "must be saved and end up stored once. Files without a row are counted over the rounds so far.", "",
             "| round | killed after s | acknowledged | found | lost | unanswered (stored) | sent again: saved | "
             "stored once | stored twice | restart s | errors before the kill | checks |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for k in kills:
        twice_kinds = f" ({', '.join(f'{kind} {n}' for kind, n in k['twice_kinds'].items())})" if k["twice"] else ""
        lines.append(f"| {k['round']} | {k['after']:.1f} | {k['acked']} | {k['found']} | {len(k['lost'])} | "
                     f"{k['unanswered']} ({k['unanswered_stored']}) | {k['resaved']} | {k['once']} | "
                     f"{k['twice']}{twice_kinds} | {k['restart']:.1f} | {k['errors']} | "
                     f"{_verdict(k['checks'])} |")
    total = {key: sum(k[key] for k in kills) for key in ("acked", "found", "unanswered", "resaved", "once", "twice")}
    lines += ["", f"Totals: acknowledged {total['acked']}, found {total['found']}, lost "
              f"{total['acked'] - total['found']}; rounds consistent {sum(consistent(k['checks']) for k in kills)} of "
              f"{len(kills)}; unanswered {total['unanswered']}, sent again and saved {total['resaved']}, stored once "
              f"{total['once']}, twice {total['twice']}. Checks of each round: "
              f"{', '.join(kills[0]['checks']) if kills else '-'}.", ""]
    samples = [s for k in kills for s in k["samples"] + k["resubmit_samples"]]
    if samples:
        lines += ["Errors before a kill or when sent again (first ones):", ""] + [f"- `{s}`" for s in samples[:10]] + [""]
    return lines


def backup_section(b: dict) -> list[str]:
    lines = [f"### Backup under write load ({WRITERS} writing clients)", "",
             f"`portal backup` took {b['backup_s']:.1f} s ({b['archive_kb']} KB) while the clients wrote; writes "
             f"acknowledged before it started {b['before']}, during it {b['during']}, in all {b['after_all']}; "
             f"errors {b['errors']}."]
    if not b["backup_ok"] or not b.get("restore_ok"):
        return lines + ["", f"Not restored: `{b.get('backup_out') or b.get('restore_out')}`.", ""]
    pages = ", ".join(f"{k} {v}" for k, v in b["pages"].items())
    return lines + ["", f"`portal restore` into a fresh instance: of the {b['before']} writes acknowledged before the "
                    f"backup {b['found_before']} are in it (lost {len(b['lost'])}); {b['attachments']} attachment "
                    f"rows; checks: {_checks(b['checks'])} (files without a row: uploads stored after the database was "
                    f"copied, since the folder is archived after it). `portal migrate` on it: \"{b['migrate']}\". The restored "
                    f"portal answers (HTTP status): {pages}.", ""]


def _database(url: str, name: str) -> str:
    parsed = urllib.parse.urlparse(url)
    return parsed._replace(path=f"/{name}").geturl()


def main() -> None:
    results, skipped, postgres = [], "", None
    if os.environ.get("SOAK_SQLITE", "1") != "0":
        results.append(run("SQLite (WAL)", None, None))
    restore_url = _database(PG_URL, urllib.parse.urlparse(PG_URL).path.lstrip("/") + "_restore")
    if os.environ.get("SOAK_POSTGRES", "1") == "0":
        skipped = "SOAK_POSTGRES=0"
    elif load._postgres_ready(PG_URL) and load._postgres_ready(restore_url):
        postgres = rows(PG_URL, "SHOW server_version")[0][0].split()[0]
        results.append(run("PostgreSQL", PG_URL, restore_url))
    else:
        skipped = f"no answer at {urllib.parse.urlparse(PG_URL).hostname}:{urllib.parse.urlparse(PG_URL).port}"
        print(f"PostgreSQL skipped ({skipped})")
    OUT.write_text(report(results, postgres, skipped), encoding="utf-8")
    print(f"written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
