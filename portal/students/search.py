"""Student search: every word of the term occurs in the first name, last name or student number.

Words of three characters or more are found through a trigram index keyed by school (migration m0012), so a
search in one school reads that school's part of the index only: on SQLite the FTS5 table ``student_search``
(trigram tokenizer, case-insensitive; SQLite before 3.45 cannot ignore diacritics, so there "Ozturk" does not find
"Öztürk", "öztürk" does), on PostgreSQL the GIN index on ``school_id`` and the trigrams of
``portal_unaccent(first || ' ' || last || ' ' || number)`` (case- and diacritic-insensitive). The caller keeps
every other filter (the policy's scope, group, mentor, status): the index only narrows what the scope allows.
"""

from __future__ import annotations

import peewee as pw

from portal.db import is_sqlite
from portal.students.models import Student

TRIGRAM = 3  # a trigram index cannot look up fewer characters


def matches(term: str, school_id: int | None = None):
    """A condition over Student for ``term`` (None when it has no words). ``school_id``: the one school the
    caller's scope lies within, when it does; it narrows the index lookup, it does not replace the scope."""
    words = term.split()
    indexed = [word for word in words if len(word) >= TRIGRAM]
    conditions = [_backend().indexed(indexed, school_id)] if indexed else []
    # Shorter words cannot use a trigram index: the plain LIKE as before, bounded by the caller's scope (one
    # school's students; fewer when a long word narrowed them through the index first).
    conditions += [_contains(word) for word in words if len(word) < TRIGRAM]
    condition = None
    for part in conditions:
        condition = part if condition is None else condition & part
    return condition


def _contains(word: str):
    return (Student.first_name.contains(word) | Student.last_name.contains(word)
            | Student.student_number.contains(word))


class _Sqlite:
    """FTS5: the rowid is (school_id << 32) + student id (m0012)."""

    STUDENT_ID = 0xFFFFFFFF

    @classmethod
    def indexed(cls, words: list[str], school_id: int | None):
        # Each word one quoted phrase, a string in FTS5's syntax: *, -, ^, :, NEAR, AND, OR and parentheses are
        # plain characters there and a " is doubled. Phrases side by side must all match, each in any column.
        query = " ".join('"' + word.replace('"', '""') + '"' for word in words)
        sql, params = f"SELECT rowid & {cls.STUDENT_ID} FROM student_search WHERE student_search MATCH ?", [query]
        if school_id is not None:
            sql += " AND rowid BETWEEN ? AND ?"
            params += [school_id << 32, (school_id << 32) + cls.STUDENT_ID]
        return Student.id.in_(pw.SQL(f"({sql})", params))


class _Postgres:
    """pg_trgm: ILIKE '%word%' on the indexed expression itself, written as the index is (m0012) so the planner
    can use it, the pattern folded by the same function; the school comes from the scope's own condition."""

    TEXT = pw.fn.portal_unaccent(Student.first_name.concat(" ").concat(Student.last_name).concat(" ")
                                 .concat(Student.student_number))

    @classmethod
    def indexed(cls, words: list[str], school_id: int | None):
        condition = None
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")  # LIKE's wildcards
            part = pw.Expression(cls.TEXT, pw.OP.ILIKE, pw.fn.portal_unaccent(f"%{escaped}%"))
            condition = part if condition is None else condition & part
        return condition


def _backend():
    return _Sqlite if is_sqlite() else _Postgres
