"""Student search by an index: partial names and student numbers without scanning.

SQLite: an FTS5 table with the trigram tokenizer over the student table (external content, keyed by school and
student), kept in step by triggers and filled from the rows already there. PostgreSQL: pg_trgm, unaccent and
btree_gin (trusted extensions, so the database owner may create them; they ship with PostgreSQL's contrib) and a
GIN index on the school and the trigrams of the unaccented "first last number" text. portal/students/search.py
queries exactly these structures.
"""

from __future__ import annotations

from portal.migrations.ddl import run

# The index is keyed by school: its rowid is (school_id << 32) + student id, so a search within one school reads
# only that school's stretch of the index (FTS5 narrows a MATCH by a rowid range) and its cost does not grow with
# the install; a term common across the SWV ("jan", "van", a year in the number) stays cheap. The view gives FTS5
# that key over the student table for 'rebuild' and 'integrity-check'.
KEY = "(({row}.school_id << 32) + {row}.id)"
NEW, OLD = KEY.format(row="new"), KEY.format(row="old")
INSERT = ("INSERT INTO student_search (rowid, first_name, last_name, student_number) "
          f"VALUES ({NEW}, new.first_name, new.last_name, new.student_number);")
# External content: the index forgets a row by being told the values it indexed ('delete' command).
DELETE = ("INSERT INTO student_search (student_search, rowid, first_name, last_name, student_number) "
          f"VALUES ('delete', {OLD}, old.first_name, old.last_name, old.student_number);")

SQLITE = [
    f"""CREATE VIEW student_search_source AS
        SELECT {KEY.format(row="student")} AS search_key, first_name, last_name, student_number FROM student""",
    """CREATE VIRTUAL TABLE student_search USING fts5(first_name, last_name, student_number,
        content='student_search_source', content_rowid='search_key', tokenize='trigram')""",
    f"CREATE TRIGGER student_search_insert AFTER INSERT ON student BEGIN {INSERT} END",
    f"CREATE TRIGGER student_search_delete AFTER DELETE ON student BEGIN {DELETE} END",
    "CREATE TRIGGER student_search_update AFTER UPDATE OF first_name, last_name, student_number, school_id "
    f"ON student BEGIN {DELETE} {INSERT} END",
    "INSERT INTO student_search (student_search) VALUES ('rebuild')",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",  # school_id in the same GIN index as the trigrams
    # unaccent() is only STABLE (its dictionary could change), so an index cannot use it directly; this wrapper
    # names the dictionary explicitly and is declared IMMUTABLE, the usual way to index unaccented text.
    """CREATE OR REPLACE FUNCTION portal_unaccent(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, value) $$""",
    # School first, like the SQLite key: the planner narrows to one school's matches in one index scan, or keeps
    # the plain school index when the term is too common to be worth it.
    """CREATE INDEX student_search_trgm ON student USING gin (school_id,
        portal_unaccent(first_name || ' ' || last_name || ' ' || student_number) gin_trgm_ops)""",
]


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
