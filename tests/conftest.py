"""Test harness: every test runs against SQLite and against a real PostgreSQL server.

PostgreSQL comes from ``PORTAL_TEST_POSTGRES_URL`` (scripts/test.sh starts a server and sets it). Without it the
suite fails, unless ``PORTAL_TEST_SKIP_POSTGRES=1`` says explicitly to run on SQLite only.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest

os.environ.setdefault("PORTAL_TESTING", "1")
pytest.register_assert_rewrite("portal.testing")  # a pytest plugin too (tests/plugin_example); imported below

from portal import migrations  # noqa: E402
from portal.app import create_app  # noqa: E402
from portal.db import database  # noqa: E402
from portal.testing import CHEAP_PASSWORD_HASHING, PortalClient  # noqa: E402  (shared with plugin authors)

# Fixtures shared by several test modules; their builders are in tests/factories.py.
pytest_plugins = ["tests.fixtures"]

TEST_SECRET = "test-secret-key-that-is-long-enough"
BACKENDS = ["sqlite"] if os.environ.get("PORTAL_TEST_SKIP_POSTGRES") == "1" else ["sqlite", "postgres"]


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


def _postgres_url() -> str:
    base = os.environ.get("PORTAL_TEST_POSTGRES_URL")
    if not base:
        pytest.fail("PORTAL_TEST_POSTGRES_URL is not set: run the suite with scripts/test.sh, or set "
                    "PORTAL_TEST_SKIP_POSTGRES=1 to test on SQLite only.", pytrace=False)
    parsed = urlparse(base)
    # PORTAL_TEST_DB_TAG keeps concurrent test runs on one server apart (one database per run and worker).
    name = f"{parsed.path.lstrip('/')}_{os.environ.get('PORTAL_TEST_DB_TAG', '')}{_worker()}"
    conn = psycopg2.connect(base)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return urlunparse(parsed._replace(path=f"/{name}"))


def _truncate_all() -> None:
    db = database.obj
    tables = [t for t in db.get_tables() if t != "schema_migration"]
    if tables:
        quoted = ", ".join(f'"{t}"' for t in tables)
        db.execute_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'portal.db'}"
    return _postgres_url()


def make_app(database_url: str, tmp_path, **overrides):
    settings = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "PLUGINS": ["po", "vo", "drenthe"],
        "MAIL_HOST": None,
        **CHEAP_PASSWORD_HASHING,  # the production cost is PASSWORD_HASH_* in portal/config.py
        "SECOND_FACTOR_ROLES": [],  # password only, unless a test opts in (tests/test_second_factor.py)
        **overrides,
    }
    (tmp_path / "instance" / "attachments").mkdir(parents=True, exist_ok=True)
    app = create_app(settings)
    app.test_client_class = PortalClient
    return app


@pytest.fixture
def app_overrides() -> dict:
    """Override in a test module to change settings of the app fixture."""
    return {}


@pytest.fixture
def app(database_url, backend, tmp_path, app_overrides):
    app = make_app(database_url, tmp_path, **app_overrides)
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrations.apply(list(app.extensions["registry"].migrations))  # applies only what is not applied yet
        if backend == "postgres":
            _truncate_all()  # one database per worker, emptied for every test
        yield app
        if not database.is_closed():
            database.close()


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    """Log in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = "wachtwoord-123"):
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def form_errors(html: str) -> list[str]:
    return re.findall(r'<p class="error"[^>]*>([^<]+)</p>', html)


# --- loopback SMTP server (tests/smtp.py): request `smtp` and the app delivers its mail over it ---------------

@pytest.fixture(scope="session")
def _smtp_server():
    from tests.smtp import SmtpSink

    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp(_smtp_server, app):
    """A real SMTP server on 127.0.0.1: ``smtp.messages``, ``smtp.wait_for(n)``, ``smtp.link_in(msg)``."""
    _smtp_server.clear()
    app.config.update(_smtp_server.settings)
    return _smtp_server


# --- standing suites (tests/walk.py): counts per suite and backend, printed at the end of every run -----------

_suite_counts: dict[tuple[str, str], list[int]] = {}


def pytest_runtest_logreport(report):
    if report.when != "call":  # the teardown report repeats the call's properties
        return
    for name, value in getattr(report, "user_properties", ()):
        if name == "standing_suite":
            suite, backend, tried, failed = value
            counts = _suite_counts.setdefault((suite, backend), [0, 0])
            counts[0] += tried
            counts[1] += failed


def pytest_terminal_summary(terminalreporter):
    if not _suite_counts:
        return
    terminalreporter.section("standing suites")
    for (suite, backend), (tried, failed) in sorted(_suite_counts.items()):
        terminalreporter.line(f"{suite} [{backend}]: {tried} tried, {failed} failed")
