"""Student search (issue 12 item 2): every word of the term occurs in the first name, last name or student number.

Words of three characters or more are found through a trigram index (migration m0012): on SQLite the FTS5 table
``student_search`` (trigram tokenizer, case-insensitive; SQLite before 3.45 cannot ignore diacritics, so "Ozturk"
does not find "Öztürk" there, "öztürk" does), on PostgreSQL the GIN trigram index on
``portal_unaccent(first || ' ' || last || ' ' || number)`` (case- and diacritic-insensitive). The caller keeps
every other filter (school scope, group, mentor, status), so the index only narrows what the scope allows.
"""

from __future__ import annotations

import peewee as pw

from portal.db import is_sqlite
from portal.students.models import Student

TRIGRAM = 3  # a trigram index cannot look up fewer characters


def matches(term: str):
    """A condition over Student for ``term`` (None when the term has no words)."""
    words = term.split()
    indexed = [word for word in words if len(word) >= TRIGRAM]
    conditions = [_backend().indexed(indexed)] if indexed else []
    # Shorter words cannot use a trigram index: the plain LIKE as before, which the caller's school scope bounds
    # to one school's students (the index, when a long word is there too, narrows them first).
    conditions += [_contains(word) for word in words if len(word) < TRIGRAM]
    condition = None
    for part in conditions:
        condition = part if condition is None else condition & part
    return condition


def _contains(word: str):
    return (Student.first_name.contains(word) | Student.last_name.contains(word)
            | Student.student_number.contains(word))


class _Sqlite:
    @staticmethod
    def indexed(words: list[str]):
        """The rowids the FTS5 table matches for all words: each word one quoted phrase (a string in FTS5 syntax,
        so ``*``, ``-``, NEAR, AND and parentheses are plain characters; a ``"`` is doubled), implicitly ANDed,
        any column each."""
        query = " ".join('"' + word.replace('"', '""') + '"' for word in words)
        return Student.id.in_(pw.SQL("(SELECT rowid FROM student_search WHERE student_search MATCH ?)", (query,)))


class _Postgres:
    TEXT = pw.fn.portal_unaccent(Student.first_name.concat(" ").concat(Student.last_name).concat(" ")
                                 .concat(Student.student_number))

    @classmethod
    def indexed(cls, words: list[str]):
        """ILIKE '%word%' on the indexed expression itself (written the same way as the index, so the planner
        can use it), the pattern folded by the same function; LIKE's own wildcards in a word are escaped."""
        condition = None
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            part = pw.Expression(cls.TEXT, pw.OP.ILIKE, pw.fn.portal_unaccent(f"%{escaped}%"))
            condition = part if condition is None else condition & part
        return condition


def _backend():
    return _Sqlite if is_sqlite() else _Postgres
