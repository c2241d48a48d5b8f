"""`portal serve` (gunicorn, several workers) and scale-out: two servers on one PostgreSQL database serve one user
whose requests alternate between them: the login, the session, CSRF, a write, an upload and the logout all carry
over (serving beyond one process)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from portal.dossier.models import Entry
from tests import factories
from tests.conftest import TEST_SECRET
from tests.factories import free_port

PORTAL = Path(sys.executable).with_name("portal")


def _start(port: int, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen([str(PORTAL), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                             "--threads", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                assert response.status == 200
                return proc
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read()) from None
            assert time.monotonic() < deadline, "portal serve did not answer within 60 s"
            time.sleep(0.3)


@pytest.fixture
def two_servers(app, backend, database_url, tmp_path):
    if backend != "postgres":
        pytest.skip("scale-out runs on PostgreSQL; SQLite is one file on one machine")
    instance = tmp_path / "shared-instance"  # one attachments folder for both (a shared volume in production)
    (instance / "attachments").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_INSTANCE_PATH=str(instance), PORTAL_DATABASE_URL=database_url, PORTAL_SECRET_KEY=TEST_SECRET,
               PORTAL_PLUGINS="po,vo,drenthe", PORTAL_PASSWORD_HASH_TIME_COST="1",
               PORTAL_PASSWORD_HASH_MEMORY_KIB="1024", PORTAL_PASSWORD_HASH_PARALLELISM="1",
               PORTAL_DATABASE_POOL_SIZE="4", PORTAL_SECOND_FACTOR_ROLES="")
    procs = [_start(port, env) for port in (free_port(), free_port())]
    yield [f"http://127.0.0.1:{p.args[3].rsplit(':', 1)[1]}" for p in procs]
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=20)


class Browser:
    """One user's browser: one cookie jar (cookies are per host, not per port), requests to either server."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(url, timeout=20) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()

    def post(self, url: str, fields: dict, files: dict | None = None) -> tuple[int, str, str]:
        if files:
            boundary = "portal-test-boundary"
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                     for k, v in fields.items()]
            for name, (filename, content) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
                             f'\r\nContent-Type: application/pdf\r\n\r\n'.encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            request = urllib.request.Request(url, data=body, headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}"})
        else:
            request = urllib.request.Request(url, data=urllib.parse.urlencode(fields, doseq=True).encode())
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()


def _hidden(html: str, marker: str) -> dict:
    """The hidden inputs (CSRF token, idempotency key, version) of the first form holding ``marker`` (a piece of
    its action or the name of one of its fields)."""
    for form in re.findall(r"<form\b.*?</form>", html, flags=re.S):
        if marker in form:
            tags = [t for t in re.findall(r"<input\b[^>]*>", form) if 'type="hidden"' in t]
            return {re.search(r'name="([^"]+)"', t)[1]: (re.search(r'value="([^"]*)"', t) or [None, ""])[1]
                    for t in tags}
    raise AssertionError(f"no form with {marker!r}")


def test_a_user_alternates_between_two_servers(two_servers):
    """Sessions, CSRF, a write and an upload made on one server are seen on the other; a logout on one
    ends the session on both."""
    a, b = two_servers
    world = factories.po_school()
    student = world["student"]
    user = Browser()
    _, _, login_page = user.get(f"{a}/login")
    status, landed, _ = user.post(f"{b}/login", {**_hidden(login_page, 'name="password"'), "email": world["zorg"].email,
                                                 "password": factories.PASSWORD})
    assert status == 200 and "/login" not in landed  # logged in on b with a's form
    status, _, page = user.get(f"{a}/leerlingen/{student.id}")
    assert status == 200 and student.full_name in page  # the session made on b works on a

    _, _, form = user.get(f"{b}/leerlingen/{student.id}/dossier/nieuw")
    status, _, answer = user.post(f"{a}/leerlingen/{student.id}/dossier/nieuw", {
        **_hidden(form, 'name="title"'), "section": "communication", "kind": "note", "title": "Gesprek met ouders",
        "body": "Afspraken over de huiswerkbegeleiding."})
    assert status == 200 and "opgeslagen" in answer  # b's CSRF token accepted by a
    entry = Entry.get((Entry.student == student.id) & (Entry.title == "Gesprek met ouders"))
    status, _, page = user.get(f"{b}/leerlingen/{student.id}/dossier/{entry.id}")
    assert status == 200 and "Afspraken over de huiswerkbegeleiding." in page
    status, _, _ = user.post(f"{b}/leerlingen/{student.id}/dossier/{entry.id}/bijlagen",
                             _hidden(page, "/bijlagen"), files={"file": ("verslag.pdf", factories.PDF)})
    assert status == 200
    _, _, page = user.get(f"{a}/leerlingen/{student.id}/dossier/{entry.id}")
    download = re.search(r'href="(/leerlingen/\d+/bijlagen/\d+)"', page)
    status, _, _ = user.get(a + download[1])  # stored through b, read through a: one attachments folder
    assert status == 200

    _, _, start = user.get(f"{a}/leerlingen/")
    assert user.post(f"{b}/logout", _hidden(start, "/logout"))[0] == 200
    status, landed, _ = user.get(f"{a}/leerlingen/")
    assert "/login" in landed  # ended on b, so ended on a too


def _start_run(port: int, env: dict) -> subprocess.Popen:
    """`portal run` (waitress, one process) on ``port``, answering /healthz."""
    proc = subprocess.Popen([str(PORTAL), "run", "--host", "127.0.0.1", "--port", str(port), "--threads", "2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read()) from None
            assert time.monotonic() < deadline, "portal run did not answer within 60 s"
            time.sleep(0.3)


@pytest.mark.parametrize("server", ["run", "serve"])
@pytest.mark.parametrize("trusted, expected", [("1", "203.0.113.7"), ("0", "127.0.0.1")],
                         ids=["behind-trusted-proxy", "direct"])
def test_both_servers_honour_the_trusted_proxy_setting(app, backend, database_url, tmp_path, server, trusted,
                                                       expected):
    """R-DRE-AVG: `portal run` (waitress) and `portal serve` (gunicorn) record the client's address the same way:
    the X-Forwarded-For address behind a trusted proxy (PORTAL_TRUSTED_PROXIES=1), the socket's address without
    one. The audit log and the per-client login counters both use it."""
    if backend != "sqlite":
        pytest.skip("the servers' handling of headers does not depend on the database")
    from portal.audit.models import AuditEvent

    world = factories.po_school()
    student = world["student"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_INSTANCE_PATH=str(tmp_path / "instance"), PORTAL_DATABASE_URL=database_url,
               PORTAL_SECRET_KEY=TEST_SECRET, PORTAL_PLUGINS="po,vo,drenthe", PORTAL_PASSWORD_HASH_TIME_COST="1",
               PORTAL_PASSWORD_HASH_MEMORY_KIB="1024", PORTAL_PASSWORD_HASH_PARALLELISM="1",
               PORTAL_TRUSTED_PROXIES=trusted, PORTAL_SECOND_FACTOR_ROLES="")
    port = free_port()
    env["PORTAL_BASE_URL"] = f"http://127.0.0.1:{port}"
    proc = _start_run(port, env) if server == "run" else _start(port, env)
    try:
        base = f"http://127.0.0.1:{port}"
        user = Browser()
        user.opener.addheaders = [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "http")]
        _, _, login_page = user.get(f"{base}/login")
        status, landed, _ = user.post(f"{base}/login", {**_hidden(login_page, 'name="password"'),
                                                         "email": world["zorg"].email, "password": factories.PASSWORD})
        assert status == 200 and "/login" not in landed
        assert user.get(f"{base}/leerlingen/{student.id}/dossier")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    event = AuditEvent.select().where(AuditEvent.student_id == student.id).order_by(AuditEvent.id.desc()).first()
    assert event.ip == expected
