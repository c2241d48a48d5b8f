"""Numbered schema migrations, from the first release on.

A migration is a module ``mNNNN_name.py`` with ``up(db)``. Migrations are frozen history: the first ones carry
their own DDL (``ddl.run``), later ones use ``playhouse.migrate`` operations (``ddl.migrator``) or their own DDL,
never a live model class, so changing a model never changes what an old migration creates. Plugins contribute their own list under their
namespace (hook ``register_migrations``), and so does the core: ``portal.core_plugin`` answers
``core_migrations()`` under "core", so the registry's ``migrations`` is the whole, ordered list. Applied migrations are recorded in ``schema_migration``; running
again applies only what is new, so ``portal migrate`` is idempotent.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

import peewee as pw

from portal.db import BaseModel, database, utcnow


class SchemaMigration(BaseModel):
    namespace = pw.CharField(max_length=60)
    name = pw.CharField(max_length=120)
    applied_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "schema_migration"
        indexes = ((("namespace", "name"), True),)


@dataclass(frozen=True)
class Migration:
    namespace: str
    name: str
    up: Callable[[pw.Database], None]


def core_migrations() -> list[Migration]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("m"))
    return [Migration("core", name, importlib.import_module(f"{__name__}.{name}").up) for name in names]


def apply(migrations: list[Migration]) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction; returns their names."""
    db = database.obj
    db.create_tables([SchemaMigration], safe=True)
    done = {(m.namespace, m.name) for m in SchemaMigration.select()}
    applied = []
    for migration in migrations:
        if (migration.namespace, migration.name) in done:
            continue
        with db.atomic():
            migration.up(db)
            SchemaMigration.create(namespace=migration.namespace, name=migration.name)
        done.add((migration.namespace, migration.name))  # listed twice by a caller: still applied once
        applied.append(f"{migration.namespace}.{migration.name}")
    return applied


def pending(migrations: list[Migration]) -> list[str]:
    db = database.obj
    if not db.table_exists("schema_migration"):
        return [f"{m.namespace}.{m.name}" for m in migrations]
    done = {(m.namespace, m.name) for m in SchemaMigration.select()}
    return [f"{m.namespace}.{m.name}" for m in migrations if (m.namespace, m.name) not in done]
