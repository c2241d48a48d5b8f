"""Versioned records with edit-conflict detection, shared by dossier entries, meeting reports and OPPs.

A versioned model has an integer ``version`` column and a ``VERSIONED_FIELDS`` tuple. Every save stores the
previous state as a Revision and bumps the version with a conditional UPDATE, so of two people who opened
version 3, only the first save succeeds; the second gets an EditConflict holding the current state.
"""

from __future__ import annotations

import json

import peewee as pw

from portal.db import BaseModel, database, utcnow


class Revision(BaseModel):
    object_type = pw.CharField(max_length=40)
    object_id = pw.IntegerField()
    version = pw.IntegerField()
    data = pw.TextField()  # JSON of the versioned fields as they were at this version
    author_id = pw.IntegerField(null=True)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("object_type", "object_id", "version"), True),)

    @property
    def fields(self) -> dict:
        return json.loads(self.data)


class EditConflict(Exception):
    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


def _snapshot(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.VERSIONED_FIELDS}


def record_revision(obj, author_id: int | None) -> None:
    Revision.create(object_type=obj._meta.table_name, object_id=obj.id, version=obj.version,
                    data=json.dumps(_snapshot(obj), default=str), author_id=author_id)


def save_version(obj, expected_version: int, changes: dict, author_id: int | None, extra: dict | None = None):
    """Apply ``changes`` if nobody saved since ``expected_version``; returns the fresh object."""
    model = type(obj)
    with database.atomic():
        current = model.get_by_id(obj.id)
        if current.version != expected_version:
            raise EditConflict(current)
        record_revision(current, author_id)
        values = {getattr(model, k): v for k, v in {**changes, **(extra or {})}.items()}
        values[model.version] = expected_version + 1
        updated = (model.update(values)
                   .where((model.id == obj.id) & (model.version == expected_version))
                   .execute())
        if updated != 1:
            raise EditConflict(model.get_by_id(obj.id))
    return model.get_by_id(obj.id)


def history(obj) -> list[Revision]:
    return list(Revision.select()
                .where((Revision.object_type == obj._meta.table_name) & (Revision.object_id == obj.id))
                .order_by(Revision.version.desc()))
