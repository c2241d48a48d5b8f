"""The `portal` console script, driven as an administrator would: a real process per command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg2
import pytest

from tests.conftest import BACKENDS, _postgres_url
from tests.factories import free_port

PORTAL = Path(sys.executable).with_name("portal")
DEMO_PASSWORD = "demo-wachtwoord-123"
COUNTED = ("school", "users", "membership", "student", "guardian", "entry")


def _env(instance: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_INSTANCE_PATH=str(instance), PORTAL_DEMO_PASSWORD=DEMO_PASSWORD, **extra)
    return env


def portal(instance: Path, *args: str, expect: int = 0, **env) -> subprocess.CompletedProcess:
    result = subprocess.run([str(PORTAL), *args], env=_env(instance, **env), capture_output=True, text=True,
                            timeout=120, cwd=instance.parent)
    assert result.returncode == expect, (args, result.stdout, result.stderr)
    return result


def _sqlite_counts(instance: Path) -> dict[str, int]:
    with sqlite3.connect(instance / "portal.db") as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in COUNTED}


@pytest.fixture(scope="module")
def demo_instance(tmp_path_factory) -> Path:
    instance = tmp_path_factory.mktemp("cli") / "instance"
    portal(instance, "init-db")
    portal(instance, "demo")
    return instance


def test_init_migrate_demo_are_idempotent(tmp_path):
    """init-db creates instance, secret key and schema; migrate and demo can run again without changes."""
    instance = tmp_path / "instance"
    out = portal(instance, "init-db").stdout
    assert "Database klaar" in out
    key = instance / "secret_key"
    assert key.exists() and key.stat().st_mode & 0o077 == 0 and len(key.read_text().strip()) >= 32
    assert (instance / "portal.toml").exists()
    for _ in range(2):
        assert "Geen nieuwe migraties." in portal(instance, "migrate").stdout
    first = portal(instance, "demo").stdout
    assert "ib@regenboog.demo.nl" in first and DEMO_PASSWORD not in first
    counts = _sqlite_counts(instance)
    assert counts["student"] >= 30 and counts["school"] == 2
    assert "niets toegevoegd" in portal(instance, "demo").stdout
    assert _sqlite_counts(instance) == counts


def test_create_user(demo_instance):
    """create-user makes an account with a school role; duplicates and unknown roles get a Dutch error;
    the account and its role are audited, as the server's administrator, under the school."""
    args = ("create-user", "--email", "Nieuw@Regenboog.demo.nl", "--name", "Nieuwe Collega",
            "--school", "09RB", "--role", "mentor", "--password", "lang-genoeg-123")
    assert "nieuw@regenboog.demo.nl aangemaakt" in portal(demo_instance, *args).stdout
    assert "Er bestaat al een account" in portal(demo_instance, *args, expect=1).stderr
    bad_role = portal(demo_instance, "create-user", "--email", "x@regenboog.demo.nl", "--name", "X",
                      "--school", "09RB", "--role", "directeur", "--password", "lang-genoeg-123", expect=1)
    assert "Onbekende rol" in bad_role.stderr
    with sqlite3.connect(demo_instance / "portal.db") as conn:
        role = conn.execute("SELECT m.role FROM membership m JOIN users u ON u.id = m.user_id "
                            "WHERE u.email = 'nieuw@regenboog.demo.nl'").fetchone()
        events = conn.execute("SELECT a.action, a.actor_type, a.school_id FROM audit_event a JOIN users u "
                              "ON a.object_type = 'user' AND a.object_id = u.id "
                              "WHERE u.email = 'nieuw@regenboog.demo.nl'").fetchall()
        school_id = conn.execute("SELECT id FROM school WHERE brin = '09RB'").fetchone()[0]
        grants = conn.execute("SELECT count(*) FROM audit_event WHERE action = 'role.grant' AND actor_type = 'cli'"
                              ).fetchone()[0]
    assert role == ("mentor",)
    assert events == [("user.create", "cli", school_id)] and grants == 1


def _pg_count(url: str, table: str) -> int:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(f'SELECT count(*) FROM "{table}"')
        return cur.fetchone()[0]


def _pg_execute(url: str, sql: str) -> None:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(sql)


@pytest.mark.parametrize("backend", BACKENDS)
def test_backup_and_restore(backend, tmp_path):
    """backup writes one archive; restore --yes puts the deleted students and the attachments back."""
    instance = tmp_path / "instance"
    env = {}
    if backend == "postgres":
        env["PORTAL_DATABASE_URL"] = url = _postgres_url()
        _pg_execute(url, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        count = lambda: _pg_count(url, "entry")  # noqa: E731
        wipe = lambda: _pg_execute(url, "DELETE FROM entry")  # noqa: E731
    else:
        count = lambda: _sqlite_counts(instance)["entry"]  # noqa: E731

        def wipe():
            with sqlite3.connect(instance / "portal.db") as conn:
                conn.execute("DELETE FROM entry")

    portal(instance, "demo", **env)
    (instance / "attachments" / "bijlage.bin").write_bytes(b"inhoud")
    entries = count()
    archive = tmp_path / "portal-backup.tar.gz"
    assert "Back-up geschreven" in portal(instance, "backup", str(archive), **env).stdout
    wipe()
    (instance / "attachments" / "bijlage.bin").unlink()
    assert count() == 0
    assert "teruggezet" in portal(instance, "restore", "--yes", str(archive), **env).stdout
    assert count() == entries
    assert (instance / "attachments" / "bijlage.bin").read_bytes() == b"inhoud"
    if backend == "postgres":
        _pg_execute(url, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")


@pytest.mark.parametrize("key", ["", "changeme", "kort"])
def test_run_refuses_unsafe_secret_key(tmp_path, key):
    """Outside debug, a missing or well-known secret key stops the server with a clear message."""
    result = portal(tmp_path / "instance", "run", "--port", "1", expect=2, PORTAL_SECRET_KEY=key)
    assert "Geen veilige geheime sleutel" in result.stderr


def test_run_refuses_missing_migrations(tmp_path):
    result = portal(tmp_path / "instance", "run", "--port", "1", expect=2)
    assert "portal migrate" in result.stderr


def test_serve_refuses_missing_migrations(tmp_path):
    """`portal serve` (gunicorn) starts no worker on a database that lacks migrations."""
    result = portal(tmp_path / "instance", "serve", "--bind", "127.0.0.1:1", expect=2)
    assert "portal migrate" in result.stderr


def test_run_serves_with_waitress(demo_instance):
    """`portal run --host --port` serves /healthz with waitress (not the Werkzeug development server)."""
    port = free_port()
    proc = subprocess.Popen([str(PORTAL), "run", "--host", "127.0.0.1", "--port", str(port)],
                            env=_env(demo_instance), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    status, server, body = response.status, response.headers.get("Server"), response.read()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "portal run did not answer within 30 s"
                time.sleep(0.2)
        assert status == 200 and b"ok" in body
        assert server == "portal"  # waitress' ident; Werkzeug would name itself
    finally:
        proc.terminate()
        proc.wait(timeout=10)
