"""Real-browser harness: Playwright (sync API) driving Debian's chromium against a live portal on loopback.

The live server runs the portal with the demo data on its own SQLite file, in a thread of the test process.
Without chromium or Playwright the browser tests are skipped, unless PORTAL_REQUIRE_BROWSER=1 (scripts/test.sh
sets it), which turns the skip into a failure. Never run `playwright install`: Debian's chromium is used.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import demo, migrations
from portal.db import database
from portal.schools.models import School
from portal.students.models import Student
from tests.conftest import make_app

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"]
DEMO_PASSWORD = "browser-demo-123"


def login(page, email: str, password: str) -> None:
    """Log in through the real login form and wait until the portal has left the login page."""
    from playwright.sync_api import expect

    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def _unavailable(reason: str):
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (PORTAL_REQUIRE_BROWSER=1: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@dataclass
class LiveServer:
    url: str
    password: str
    student: Student  # a PO student the care coordinator of the demo PO school can find
    search_term: str  # part of that student's name that matches no other student of the school
    database_path: Path | None = None  # the server's SQLite file, e.g. to read the mail outbox


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole run."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


def _unique_term(target: Student, others: list[Student]) -> str:
    """The shortest part (3+ letters) of the target's name that no other student's name contains."""
    haystacks = [f"{s.first_name}|{s.last_name}|{s.student_number}".lower() for s in others]
    for word in (target.last_name.split()[-1], target.first_name):
        for length in range(3, len(word) + 1):
            for start in range(len(word) - length + 1):
                term = word[start:start + length].lower()
                if not any(term in h for h in haystacks):
                    return term
    return target.student_number


def _prepare(app) -> tuple[Student, str]:
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrations.apply(list(app.extensions["registry"].migrations))
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(demo.PASSWORD_ENV, DEMO_PASSWORD)
            demo.load(echo=lambda *_: None)
        school = School.get(School.brin == demo.PO.brin)
        students = list(Student.select().where(Student.school == school).order_by(Student.id))
        target = students[1]
        term = _unique_term(target, [s for s in students if s.id != target.id])
        database.close()
    return target, term


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The portal with demo data, served by a threaded Werkzeug server on 127.0.0.1:<free port>."""
    tmp = tmp_path_factory.mktemp("live")
    app = make_app(f"sqlite:///{tmp / 'portal.db'}", tmp)
    target, term = _prepare(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", password=DEMO_PASSWORD, student=target,
                     search_term=term, database_path=tmp / "portal.db")
    server.shutdown()
    thread.join(timeout=10)


def _watched_page(browser, live_server):
    """A new context (no cookies) and tab, and the list its JavaScript errors and failed requests go to."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    # Failed requests are checked below by URL (a missing favicon is fine); other console errors are not.
    tab.on("console", lambda msg: errors.append(msg.text)
           if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    tab.on("response", lambda r: errors.append(f"{r.status} {r.url}")
           if r.status >= 500 or (r.status == 404 and not r.url.endswith("/favicon.ico")) else None)
    return context, tab, errors


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test; JavaScript errors fail the test."""
    context, tab, errors = _watched_page(browser, live_server)
    yield tab
    context.close()
    assert not errors, f"errors in the browser: {errors}"


@pytest.fixture
def second_page(browser, live_server):
    """(tab, errors): a second fresh context beside `page`, with the same checks. A test that expects a 404
    removes that entry from `errors` itself."""
    context, tab, errors = _watched_page(browser, live_server)
    yield tab, errors
    context.close()
    assert not errors, f"errors in the second browser: {errors}"
