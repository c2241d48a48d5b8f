"""Pytest fixtures for testing a plugin against a live portal, without copying the portal's own test set-up.

Enable them in the plugin's ``conftest.py`` (or a test module) and choose the plugins::

    pytest_plugins = ["portal.testing"]

    @pytest.fixture
    def portal_plugins():
        return ["vo", "voorbeeldregio"]      # enabled by name, as in instance/portal.toml

Every test gets a fresh app on SQLite in its own tmp folder, with every migration applied (the core's and the
enabled plugins') and the password hash at its cheapest cost. The fixtures, all prefixed ``portal_``:

- ``portal_plugins`` (override): the plugin names to enable; default ``[]``.
- ``portal_plugin_modules`` (override): ``{name: module}`` for plugins that are not installed, e.g. the plugin
  module under test in its own source tree; default ``{}``.
- ``portal_settings`` (override): further settings of the app; default ``{}``.
- ``portal_app``: the app, with an app context and the database connected.
- ``portal_client``: a test client that sends a valid CSRF token with every form post, as a browser would.
- ``portal_sector`` (override, default ``"PO"``) and ``portal_school``: a school of that sector.
- ``portal_role`` (override, default ``"zorg"``) and ``portal_user``: a user of that role at ``portal_school``,
  logged in on ``portal_client``.
- ``portal_login``: ``portal_login(role, school=None)`` makes another user and logs in as them.
- ``portal_student``: a student of ``portal_school`` with one parent.

The helpers ``make_school``, ``make_user``, ``make_student`` and ``login`` build the same outside the fixtures;
``move(client, student, action, **fields)`` posts a step of the student's traject as the traject page does
(``start`` with ``signal=...``, ``advance``, ``escalate`` with ``target`` and ``justification``, ...);
``travel("2027-03-01")`` moves the portal's clock to that Amsterdam day (a context manager, the clock standing
still at noon); ``run_job(app, "core.reminders")`` runs one of the scheduler's jobs now, as ``portal scheduler``
would, and returns whether it succeeded (the reminders a job sends land in the outbox and the bell).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from portal import migrations, scheduler
from portal.app import create_app
from portal.auth.accounts import add_membership, create_user
from portal.db import database
from portal.schools.models import School
from portal.students.models import Guardian, Student

PASSWORD = "wachtwoord-123"  # every user these helpers make has it
SECRET_KEY = "portal-testing-secret-key-long-enough"
# Real argon2id at its smallest cost: many accounts and logins would otherwise spend minutes hashing.
CHEAP_PASSWORD_HASHING = {"PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024,
                          "PASSWORD_HASH_PARALLELISM": 1}
_seq = itertools.count(1)


class PortalClient(FlaskClient):
    """A test client that sends a valid CSRF token with every form post, like a browser would."""

    def csrf_token(self) -> str:
        with self.session_transaction() as sess:
            raw = sess.setdefault("csrf_token", os.urandom(20).hex())
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def open(self, *args, **kwargs):
        method = kwargs.get("method", "GET")
        data = kwargs.get("data")
        if method in ("POST", "PUT", "PATCH", "DELETE") and kwargs.pop("csrf", True):
            if data is None:
                kwargs["data"] = data = {}
            if isinstance(data, dict) and "csrf_token" not in data:
                data["csrf_token"] = self.csrf_token()
        # A fresh app context per request, as in production: the test's own context would otherwise share `g`
        # (and flask-login's cached user) between requests.
        with self.application.app_context():
            return super().open(*args, **kwargs)


# --- builders -----------------------------------------------------------------------------------------------


def make_school(name: str = "De Regenboog", sector: str = "PO"):
    n = next(_seq)
    return School.create(name=f"{name} {n}", brin=f"{n % 100:02d}{chr(65 + n // 100 % 26)}T", sector=sector)


def make_user(role: str | None = None, school=None, *, is_admin: bool = False, name: str | None = None):
    """A user with ``PASSWORD``; with a role and a school, a member of that school in that role."""
    n = next(_seq)
    account = create_user(email=f"plugin-test-{n}@example.nl", name=name or f"Medewerker {n}", password=PASSWORD,
                          is_admin=is_admin)
    if role and school is not None:
        add_membership(account, school, role)
    return account


def make_student(school, *, first: str = "Sanne", last: str = "de Vries", mentor=None, group=None):
    """A student of ``school`` with one parent who has parental authority."""
    pupil = Student.create(school=school, student_number=f"T{next(_seq):05d}", first_name=first, last_name=last,
                           birth_date=dt.date(2014, 3, 1), group=group, mentor=mentor)
    Guardian.create(student=pupil, name=f"Ouder van {first}", email=f"ouder{pupil.id}@example.nl",
                    has_authority=True)
    return pupil


def move(client, student, action: str, **fields):
    """Post a step of the student's traject through its form; 303 when it was taken, 422 with the reasons when not."""
    return client.post(f"/leerlingen/{student.id}/traject/overgang", data={"action": action, **fields})


def travel(day: str | dt.date):
    """Move the portal's clock to noon of this Europe/Amsterdam day, standing still (a context manager)."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), ZoneInfo("Europe/Amsterdam")), tick=False)


def run_job(app, key: str) -> bool:
    """Run the scheduler's job ``key`` once, now (e.g. "core.reminders"); True when it succeeded."""
    job = app.extensions["registry"].jobs[key]
    return scheduler.run_job(app, job)


def login(client, user, password: str = PASSWORD):
    """Log in through the login form; returns the response (a redirect when it worked)."""
    return client.post("/login", data={"email": user.email, "password": password})


def create_test_app(tmp_path, plugins=(), plugin_modules=None, **settings):
    """An app on SQLite in ``tmp_path`` with every migration applied; the database is left connected."""
    os.environ.setdefault("PORTAL_TESTING", "1")
    instance = tmp_path / "instance"
    (instance / "attachments").mkdir(parents=True, exist_ok=True)
    app = create_app({
        "TESTING": True, "SECRET_KEY": SECRET_KEY, "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}",
        "INSTANCE_PATH": str(instance), "MAIL_HOST": None, "PLUGINS": list(plugins),
        "EXTRA_PLUGIN_MODULES": dict(plugin_modules or {}), **CHEAP_PASSWORD_HASHING,
        "SECOND_FACTOR_ROLES": [],  # password only, unless the settings opt in
        **settings,
    })
    app.test_client_class = PortalClient
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrations.apply(list(app.extensions["registry"].migrations))
    return app


# --- fixtures ----------------------------------------------------------------------------------------------


@pytest.fixture
def portal_plugins() -> list[str]:
    return []


@pytest.fixture
def portal_plugin_modules() -> dict:
    return {}


@pytest.fixture
def portal_settings() -> dict:
    return {}


@pytest.fixture
def portal_app(tmp_path, portal_plugins, portal_plugin_modules, portal_settings):
    app = create_test_app(tmp_path / "portal", portal_plugins, portal_plugin_modules, **portal_settings)
    with app.app_context():
        database.connect(reuse_if_open=True)
        yield app
        if not database.is_closed():
            database.close()


@pytest.fixture
def portal_client(portal_app):
    return portal_app.test_client()


@pytest.fixture
def portal_sector() -> str:
    return "PO"


@pytest.fixture
def portal_school(portal_app, portal_sector):
    return make_school(sector=portal_sector)


@pytest.fixture
def portal_role() -> str:
    return "zorg"


@pytest.fixture
def portal_login(portal_client, portal_school):
    """``portal_login(role, school=None, is_admin=False)``: a new user, logged in on ``portal_client``."""

    def log_in(role: str | None = "zorg", school=None, *, is_admin: bool = False):
        user = make_user(role, school if school is not None else portal_school, is_admin=is_admin)
        portal_client.post("/logout")
        response = login(portal_client, user)
        assert response.status_code in (302, 303), f"login failed ({response.status_code})"
        return user

    return log_in


@pytest.fixture
def portal_user(portal_login, portal_role):
    return portal_login(portal_role)


@pytest.fixture
def portal_student(portal_school):
    return make_student(portal_school)
