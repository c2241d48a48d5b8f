"""Student search by an index (issue 12 item 2): partial names and student numbers without scanning.

SQLite: an FTS5 table with the trigram tokenizer over the student table (external content, keyed by the student's
rowid), kept in step by triggers and filled from the rows already there. PostgreSQL: pg_trgm and unaccent (both
trusted extensions, so the database owner may create them; they ship with PostgreSQL's contrib) and a GIN trigram
index on the folded "first last number" text. portal/students/search.py queries exactly these structures.
"""

from __future__ import annotations

from portal.migrations.ddl import run

SQLITE = [
    """CREATE VIRTUAL TABLE student_search USING fts5(
        first_name, last_name, student_number, content='student', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER student_search_insert AFTER INSERT ON student BEGIN
        INSERT INTO student_search (rowid, first_name, last_name, student_number)
        VALUES (new.id, new.first_name, new.last_name, new.student_number);
    END""",
    # External content: the index forgets a row by being told the values it indexed ('delete' command).
    """CREATE TRIGGER student_search_delete AFTER DELETE ON student BEGIN
        INSERT INTO student_search (student_search, rowid, first_name, last_name, student_number)
        VALUES ('delete', old.id, old.first_name, old.last_name, old.student_number);
    END""",
    """CREATE TRIGGER student_search_update AFTER UPDATE OF first_name, last_name, student_number ON student BEGIN
        INSERT INTO student_search (student_search, rowid, first_name, last_name, student_number)
        VALUES ('delete', old.id, old.first_name, old.last_name, old.student_number);
        INSERT INTO student_search (rowid, first_name, last_name, student_number)
        VALUES (new.id, new.first_name, new.last_name, new.student_number);
    END""",
    "INSERT INTO student_search (student_search) VALUES ('rebuild')",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is only STABLE (its dictionary could change), so an index cannot use it directly; this wrapper
    # names the dictionary explicitly and is declared IMMUTABLE, the usual way to index unaccented text.
    """CREATE OR REPLACE FUNCTION portal_unaccent(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, value) $$""",
    """CREATE INDEX student_search_trgm ON student USING gin (
        portal_unaccent(first_name || ' ' || last_name || ' ' || student_number) gin_trgm_ops)""",
]


def up(db):
    run(db, sqlite=SQLITE, postgres=POSTGRES)
