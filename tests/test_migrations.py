"""Migrations are frozen history: building the schema from the migrations gives exactly what the
models describe, on SQLite and PostgreSQL, and a database made by the first migrations only upgrades in place."""

from __future__ import annotations

import importlib
import os
import pkgutil
from urllib.parse import urlparse, urlunparse

import peewee as pw
import psycopg2
import pytest

import portal
from portal import migrations
from portal.db import BaseModel, database, open_database

PLUGIN_MIGRATIONS: list = []  # the bundled plugins bring no tables of their own

# What no peewee model can declare: the student search index of m0012, an FTS5 virtual table
# with its shadow tables on SQLite, a GIN index on the school and a trigram expression on PostgreSQL. The
# migrations must build exactly this; the comparison with the models checks it is there and then sets it aside.
SEARCH_TABLES = {"student_search", "student_search_config", "student_search_data", "student_search_docsize",
                 "student_search_idx"}
SEARCH_INDEX = ("school_id", "portal_unaccent((((first_name::text || ' '::text) || last_name::text) || ' '::text) "
                "|| student_number::text)")


def _all_models() -> list[type[BaseModel]]:
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        if module.name.endswith(".models") or module.name in {"portal.versioning", "portal.migrations"}:
            importlib.import_module(module.name)
    found, todo = [], list(BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        found.append(model)
        todo.extend(model.__subclasses__())
    return sorted(found, key=lambda m: m._meta.table_name)


def _fresh_url(backend: str, tmp_path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / (name + '.db')}"
    base = os.environ.get("PORTAL_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("no PostgreSQL server")
    parsed = urlparse(base)
    db_name = f"{parsed.path.lstrip('/')}_{name}_{os.environ.get('PORTAL_TEST_DB_TAG', '')}" \
              f"{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}"
    conn = psycopg2.connect(base)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
        cur.execute(f'CREATE DATABASE "{db_name}"')
    conn.close()
    return urlunparse(parsed._replace(path=f"/{db_name}"))


def _schema(db: pw.Database) -> dict:
    schema = {}
    for table in db.get_tables():
        if table == "schema_migration":
            continue
        columns = {(c.name, c.data_type.lower(), c.null, c.primary_key) for c in db.get_columns(table)}
        indexes = {(tuple(i.columns), i.unique) for i in db.get_indexes(table)}
        fks = {(f.column, f.dest_table, f.dest_column) for f in db.get_foreign_keys(table)}
        schema[table] = {"columns": columns, "indexes": indexes, "foreign_keys": fks}
    return schema


@pytest.fixture
def use_database():
    opened = []

    def use(url: str) -> pw.Database:
        db = open_database(url)
        database.initialize(db)
        db.connect()
        opened.append(db)
        return db

    yield use
    for db in opened:
        if not db.is_closed():
            db.close()


def test_migrations_build_exactly_the_models_schema(backend, tmp_path, use_database):
    """Applying every migration to an empty database gives the tables, columns, types, indexes and foreign keys
    that the models declare (so a model change without its migration fails here)."""
    db = use_database(_fresh_url(backend, tmp_path, "mig"))
    migrations.apply(migrations.core_migrations() + PLUGIN_MIGRATIONS)
    from_migrations = _schema(db)
    if backend == "sqlite":
        assert SEARCH_TABLES <= set(from_migrations)
        from_migrations = {t: v for t, v in from_migrations.items() if t not in SEARCH_TABLES}
    else:
        from_migrations["student"]["indexes"].remove((SEARCH_INDEX, False))  # KeyError when it is missing
    db.close()

    db = use_database(_fresh_url(backend, tmp_path, "models"))
    db.create_tables(_all_models())
    from_models = _schema(db)

    assert sorted(from_migrations) == sorted(from_models)
    for table, expected in from_models.items():
        assert from_migrations[table] == expected, table


def test_a_migration_listed_twice_is_applied_once(backend, tmp_path, use_database):
    """The core's migrations now come through the registry; a caller that still adds them itself
    (as the benchmark did) gets each migration applied once, not a 'table already exists'."""
    use_database(_fresh_url(backend, tmp_path, "twice"))
    core = migrations.core_migrations()
    applied = migrations.apply(core + core)
    assert len(applied) == len(core) == len(set(applied))
    assert migrations.apply(core) == []


def test_a_database_made_by_the_first_migrations_upgrades_in_place(backend, tmp_path, use_database):
    """A database created by the first migrations only, with data in it, takes the later ones and keeps its rows."""
    use_database(_fresh_url(backend, tmp_path, "upgrade"))
    every = migrations.core_migrations()
    assert migrations.apply(every[:1]) == ["core.m0001_initial"]
    database.execute_sql(
        "INSERT INTO school (name, brin, sector, active, created_at) VALUES ('Oude school', '01AB', 'PO', %s, %s)"
        .replace("%s", "?" if backend == "sqlite" else "%s"), (True, "2025-01-01 08:00:00"))
    applied = migrations.apply(every)
    assert applied == [f"core.{m.name}" for m in every[1:]]
    assert migrations.pending(every) == []
    assert database.execute_sql("SELECT name FROM school").fetchall() == [("Oude school",)]


def test_no_migration_imports_a_live_model():
    """A migration never imports a model module: its schema is frozen in the migration itself."""
    folder = os.path.dirname(migrations.__file__)
    for name in os.listdir(folder):
        if name.startswith("m") and name.endswith(".py"):
            text = open(os.path.join(folder, name), encoding="utf-8").read()
            assert ".models import" not in text and "versioning import" not in text, name


def test_the_search_index_takes_in_the_students_already_there(backend, tmp_path, use_database):
    """A database with students from before m0012 finds them by the new index at once (SQLite:
    the FTS5 table is rebuilt from the student table; PostgreSQL: the index is built over the existing rows)."""
    from portal.students import search
    from portal.students.models import Student

    use_database(_fresh_url(backend, tmp_path, "search"))
    every = migrations.core_migrations()
    before = [m for m in every if m.name < "m0012"]
    migrations.apply(before)
    mark = "?" if backend == "sqlite" else "%s"
    database.execute_sql(
        f"INSERT INTO school (name, brin, sector, active, created_at) VALUES ('Oude school', '01AB', 'VO', "
        f"{mark}, '2025-01-01 08:00:00')", (True,))
    database.execute_sql(
        "INSERT INTO student (school_id, student_number, first_name, last_name, birth_date, enrolled_on, created_at, "
        "version) SELECT id, 'OUD-4711', 'Bram', 'Oudgediende', '2012-05-01', '2024-08-20', '2025-01-01 08:00:00', 1 "
        "FROM school")
    migrations.apply(every)
    school_id = database.execute_sql("SELECT id FROM school").fetchone()[0]
    for narrowed in (None, school_id):
        found = Student.select(Student.first_name).where(search.matches("gedien 4711", narrowed))
        assert [s.first_name for s in found] == ["Bram"]
    if backend == "sqlite":  # the FTS5 key holds the school: another school's range does not have Bram
        assert not Student.select().where(search.matches("gedien", school_id + 1)).exists()
    assert not Student.select().where(search.matches("gedien 4712")).exists()
