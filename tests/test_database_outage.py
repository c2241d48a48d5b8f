"""The database gone (serving): pages answer 503 with a Dutch message instead of a stack trace, nothing
half-done is kept, and the portal recovers by itself when the database returns.

The app talks to the real PostgreSQL server through a TCP forwarder (tests/tcpproxy.py) that the test cuts and
restores, so the server itself keeps serving the other tests.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from portal.students.models import Student
from tests import factories
from tests.conftest import make_app
from tests.tcpproxy import TcpProxy

MESSAGE = "Het portaal kan de gegevens op dit moment niet bereiken"


@pytest.fixture
def proxied(app, backend, database_url, tmp_path):
    """A second app on the same PostgreSQL database, reaching it only through the forwarder."""
    if backend != "postgres":
        pytest.skip("SQLite is a file: it cannot go away while the process runs")
    parsed = urlparse(database_url)
    proxy = TcpProxy(parsed.hostname, parsed.port or 5432).start()
    url = parsed._replace(netloc=f"{parsed.username}:{parsed.password}@127.0.0.1:{proxy.port}").geturl()
    other = make_app(url, tmp_path / "proxied", DATABASE_POOL_SIZE=2)
    yield other, proxy
    proxy.stop()


def test_pages_answer_503_in_dutch_while_the_database_is_gone_and_recover(proxied):
    """The database gone: 503 with a Dutch message and Retry-After, for a page, a form post and the
    health check; back again: the same session works without a restart."""
    other, proxy = proxied
    world = factories.po_school()
    client = other.test_client()
    factories.login(client, world["zorg"])
    assert client.get("/leerlingen/").status_code == 200

    proxy.stop()
    page = client.get("/leerlingen/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    text = page.get_data(as_text=True)
    assert MESSAGE in text and "Traceback" not in text and "psycopg2" not in text
    edit = client.post(f"/leerlingen/{world['student'].id}/bewerken", data={"first_name": "Nieuw"})
    assert edit.status_code == 503 and MESSAGE in edit.get_data(as_text=True)
    assert other.test_client().get("/healthz").status_code == 503

    proxy.start()
    assert client.get("/leerlingen/").status_code == 200  # the first request after the outage already works
    assert other.test_client().get("/healthz").status_code == 200
    assert Student.get_by_id(world["student"].id).first_name == "Sanne"  # nothing half-saved


def test_a_programming_error_on_sqlite_is_not_hidden_as_unavailable(app, backend, client, monkeypatch):
    """Only a database that cannot be reached is a 503: an SQL error on SQLite stays a logged 500."""
    if backend != "sqlite":
        pytest.skip("the SQLite side of the rule")
    import peewee

    from portal import db

    assert not db.is_unavailable(peewee.OperationalError("no such column: x"))
    assert db.is_busy(peewee.OperationalError("database is locked"))


def test_sqlite_connections_are_reused_with_a_pool(backend, database_url, tmp_path):
    """With PORTAL_DATABASE_POOL_SIZE an SQLite connection (WAL, foreign keys, busy timeout set
    once) is returned to the pool after a request and taken again by the next, instead of opening the file and
    setting the pragmas on every request."""
    if backend != "sqlite":
        pytest.skip("the SQLite pool; PostgreSQL's is used throughout test_serving")
    from portal import migrations
    from portal.db import database

    app = make_app(database_url, tmp_path, DATABASE_POOL_SIZE=2)
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrations.apply(list(app.extensions["registry"].migrations))
        world = factories.po_school()
        database.close()
    client = app.test_client()
    factories.login(client, world["zorg"])
    assert client.get("/leerlingen/").status_code == 200
    pooled = list(database.obj._connections)
    assert len(pooled) == 1  # handed back, not closed
    assert client.get(f"/leerlingen/{world['student'].id}").status_code == 200
    assert [c[-1] for c in database.obj._connections] == [c[-1] for c in pooled]  # the same connection again
    with app.app_context():
        database.connect(reuse_if_open=True)
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        database.close()
