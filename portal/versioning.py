"""Versioned records with edit-conflict detection, shared by dossier entries, students, guardians, phase plans,
meeting reports and OPPs.

A versioned model has an integer ``version`` column and a ``VERSIONED_FIELDS`` tuple. Every save stores the
previous state as a Revision and bumps the version with a conditional UPDATE, so of two people who opened
version 3, only the first save succeeds; the second gets an EditConflict holding the current state.

How a form uses it (see the dossier entry, student and guardian forms):

- the edit form carries the version it was loaded at in a hidden field (``version``);
- the view passes ``parse_version(form.version.data)`` to its service, which calls ``save_version``;
- on ``EditConflict`` the view answers 409 with the form (your text kept) next to ``conflict.current`` (their
  saved text), and puts ``conflict.current.version`` in the hidden field: saving again then deliberately
  replaces their version, and their version stays in the history.

Records that are a set of rows rather than one row (a school's route settings) use ``fingerprint`` instead of a
version column: the form carries the fingerprint of what it showed and ``check_fingerprint`` raises the same
EditConflict when the stored rows changed in the meantime.

On SQLite every transaction begins IMMEDIATE (portal.db), so the second of two simultaneous saves waits for the
first and then sees its new version: a conflict, never "database is locked". Should the wait run out, the save
is answered as a conflict too (nothing is written, the user sees the stored state and may save again).
"""

from __future__ import annotations

import hashlib
import json

import peewee as pw

from portal.auth.models import User
from portal.db import BaseModel, database, is_busy, utcnow


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


def parse_version(value) -> int:
    """The version a form was loaded at; an unknown version is -1: a conflict, never a silent overwrite."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def snapshot(obj) -> dict:
    """The versioned fields of a record as stored (foreign keys as ids): "their" side of a conflict."""
    return _snapshot(obj)


def _snapshot(obj) -> dict:
    """The versioned fields; a foreign key as its id (never a query for the related row)."""
    values = {}
    for name in obj.VERSIONED_FIELDS:
        field = obj._meta.fields.get(name)
        values[name] = obj.__data__.get(name) if isinstance(field, pw.ForeignKeyField) else getattr(obj, name)
    return values


def record_revision(obj, author_id: int | None, snapshot: dict | None = None) -> None:
    Revision.create(object_type=obj._meta.table_name, object_id=obj.id, version=obj.version,
                    data=json.dumps(snapshot if snapshot is not None else _snapshot(obj), default=str),
                    author_id=author_id)


def save_version(obj, expected_version: int, changes: dict, author_id: int | None, extra: dict | None = None):
    """Apply ``changes`` if nobody saved since ``expected_version``; returns the fresh object.

    The conditional UPDATE comes before the Revision insert: on PostgreSQL the UPDATE waits for a concurrent
    save of the same row and then matches nothing (a conflict), where inserting the revision first would hit
    the unique revision key (an error).
    """
    model = type(obj)
    try:
        with database.atomic():
            current = model.get_by_id(obj.id)
            if current.version != expected_version:
                raise EditConflict(current)
            snapshot = _snapshot(current)
            values = {getattr(model, k): v for k, v in {**changes, **(extra or {})}.items()}
            values[model.version] = expected_version + 1
            updated = (model.update(values)
                       .where((model.id == obj.id) & (model.version == expected_version))
                       .execute())
            if updated != 1:
                raise EditConflict(model.get_by_id(obj.id))
            record_revision(current, author_id, snapshot)
    except pw.OperationalError as exc:
        if not is_busy(exc):
            raise
        raise EditConflict(model.get_by_id(obj.id)) from exc
    return model.get_by_id(obj.id)


def fingerprint(data) -> str:
    """A short digest of a JSON-able state, standing in for a version where there is no version column."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]


def check_fingerprint(current_state, expected: str | None) -> None:
    """Raise EditConflict(current_state) unless the stored state is still the one the form was loaded with.

    Call it inside the transaction that writes. A form without a fingerprint is taken to have shown the
    initial (empty) state.
    """
    if (expected or fingerprint(None)) != fingerprint(current_state):
        raise EditConflict(current_state)


def conflict_rows(form, theirs: dict, yours: dict) -> list[tuple[str, str, str]]:
    """For a conflict screen: (label, their saved value, your value) of every form field where they differ.

    Values are shown as the form shows them: the label of a chosen option, a date as dd-mm-jjjj, ja/nee.
    """
    from flask_babel import gettext as _

    def shown(field, value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("ja") if value else _("nee")
        if hasattr(value, "strftime"):
            return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
        for choice, label in getattr(field, "choices", None) or ():
            if str(choice) == str(value):
                return str(label)
        return str(value)

    rows = []
    for name, mine in yours.items():
        if name not in form:
            continue
        field, stored = form[name], theirs.get(name)
        if shown(field, stored) != shown(field, mine):
            rows.append((str(field.label.text), shown(field, stored), shown(field, mine)))
    return rows


def history(obj) -> list[Revision]:
    return list(Revision.select()
                .where((Revision.object_type == obj._meta.table_name) & (Revision.object_id == obj.id))
                .order_by(Revision.version.desc()))


def last_editor_name(record) -> str:
    """The name of who saved ``record``'s current version (its latest revision's author), or ""."""
    last = Revision.select().where((Revision.object_type == record._meta.table_name)
                                   & (Revision.object_id == record.id)
                                   & (Revision.version == record.version - 1)).first()
    user = User.get_or_none(User.id == last.author_id) if last and last.author_id else None
    return user.name if user else ""
