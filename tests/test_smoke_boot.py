"""The app boots on both databases and answers its health check."""

import peewee
import pytest

from portal.audit.models import AuditEvent
from portal.db import database
from tests import factories


def test_healthz_ok(client):
    """GET /healthz answers 200 when the database is reachable."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_login_and_see_students(client, auth):
    school = factories.school()
    care = factories.user("zorg", school)
    factories.student(school, first="Daan", last="Jansen")
    response = auth.login(care.email)
    assert response.status_code == 303
    page = client.get("/leerlingen/")
    assert "Daan Jansen" in page.get_data(as_text=True)



@pytest.mark.parametrize("app_overrides, expected", [({"TRUSTED_PROXIES": 0}, "10.0.0.2"),
                                                     ({"TRUSTED_PROXIES": 1}, "203.0.113.7")], ids=["direct", "proxy"])
def test_audit_ip_behind_a_trusted_proxy(client, auth, expected):
    """The audit log records the client's address; X-Forwarded-For counts only behind a trusted proxy."""
    school = factories.school()
    coordinator = factories.user("zorg", school)
    student = factories.student(school)
    client.environ_base.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    auth.login(coordinator.email)
    assert client.get(f"/leerlingen/{student.id}/dossier").status_code == 200
    event = AuditEvent.select().where(AuditEvent.student_id == student.id).order_by(AuditEvent.id.desc()).first()
    assert event.ip == expected


@pytest.mark.parametrize("app_overrides", [{"DATABASE_POOL_SIZE": 2}], ids=["pool"])
def test_postgres_connections_are_reused_with_a_pool(client, auth, backend):
    """With DATABASE_POOL_SIZE, PostgreSQL connections outlive a request and are reused; SQLite ignores it."""
    school = factories.school()
    auth.login(factories.user("zorg", school).email)
    for _ in range(3):
        assert client.get("/leerlingen/").status_code == 200
    if backend == "sqlite":
        assert isinstance(database.obj, peewee.SqliteDatabase)
        return
    pids = set()
    for _ in range(3):
        database.close()
        database.connect()
        pids.add(database.execute_sql("SELECT pg_backend_pid()").fetchone()[0])
    assert len(pids) == 1
