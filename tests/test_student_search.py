"""Student search by a trigram index, through the student list as a user searches it, on SQLite
(FTS5 trigram table kept by triggers) and PostgreSQL (pg_trgm GIN index): partial names and numbers, several
words, case, renames, short terms and search syntax in the term, with the list's scope and filters unchanged.
No requirement ID names search itself; the scope tests prove R-DRE-AVG (only the students one needs to see)."""

from __future__ import annotations

import html
import re

import pytest

from portal.db import database
from portal.students.models import Student
from tests import factories


@pytest.fixture
def world(app):
    school = factories.school()
    care = factories.user("zorg", school, name="Juf Zorg")
    mentor = factories.user("mentor", school, name="Meester Bakker")
    own = factories.group(school, "Groep 7a", teachers=[mentor])
    other = factories.group(school, "Groep 8b")
    students = {
        "daan": factories.student(school, own, first="Daan", last="Jansen", number="L2024-0815"),
        "emma": factories.student(school, other, first="Emma", last="Jansen", number="L2024-0816"),
        "anders": factories.student(school, other, first="Daan", last="Anders", number="L2023-0001"),
        "sanne": factories.student(school, other, first="Sanne", last="de Vries", number="L2023-0002"),
        "oneil": factories.student(school, other, first="Kees", last="O'Neil", number="L2023-0003"),
        "ozturk": factories.student(school, other, first="Elif", last="Öztürk", number="L2023-0004"),
    }
    stranger = factories.student(factories.school(), first="Daan", last="Jansen", number="L2024-0815")
    return {"school": school, "care": care, "mentor": mentor, "own": own, "stranger": stranger, **students}


def _names(client, query: str) -> list[str]:
    response = client.get("/leerlingen/", query_string={"q": query})
    assert response.status_code == 200, query
    found = re.findall(r'<a href="/leerlingen/\d+">([^<]+)</a>', response.get_data(as_text=True))
    return [html.unescape(name) for name in found]


def test_partial_names_numbers_and_several_words(client, auth, world):
    """R-DRE-AVG: a piece from the middle of a name or a number finds the student, every word must
    match somewhere (first name, last name or number), case does not matter, and the namesake at another school is
    never found."""
    auth.login(world["care"].email)
    assert _names(client, "anse") == ["Daan Jansen", "Emma Jansen"]  # in the middle of the last name
    assert _names(client, "aan") == ["Daan Anders", "Daan Jansen"]  # the first name, exactly three characters
    assert _names(client, "024-081") == ["Daan Jansen", "Emma Jansen"]  # the student number
    assert _names(client, "0815") == ["Daan Jansen"]
    assert _names(client, "daan jans") == ["Daan Jansen"]  # two words: first and last name
    assert _names(client, "JANSEN 0816") == ["Emma Jansen"]  # a name and a number, shouted
    assert _names(client, "daan visser") == []  # each word must match
    assert _names(client, "de vries") == ["Sanne de Vries"]  # a short and a long word
    assert _names(client, "öztürk") == ["Elif Öztürk"] and _names(client, "ÖZTÜ") == ["Elif Öztürk"]


def test_diacritics_are_ignored_where_the_database_can(client, auth, world, backend):
    """PostgreSQL folds diacritics (unaccent), so "Ozturk" finds "Öztürk"; SQLite's trigram
    tokenizer can only do so from SQLite 3.45 (remove_diacritics), so there the letters must be typed as stored."""
    auth.login(world["care"].email)
    assert _names(client, "Ozturk") == (["Elif Öztürk"] if backend == "postgres" else [])
    assert _names(client, "zt") == ["Elif Öztürk"]  # a short word: the plain LIKE, as before


def test_scope_group_and_status_filters_still_apply(client, auth, world):
    """R-DRE-AVG: the index only narrows what the list's scope allows: a mentor finds only the students of their
    own group, the group and status filters combine with the search, and the count and paging follow the search."""
    auth.login(world["care"].email)
    response = client.get("/leerlingen/", query_string={"q": "jans", "groep": world["own"].id})
    assert "Daan Jansen" in response.get_data(as_text=True) and "Emma Jansen" not in response.get_data(as_text=True)
    assert "2 leerlingen gevonden" in client.get("/leerlingen/?q=jansen").get_data(as_text=True)
    auth.logout()
    auth.login(world["mentor"].email)
    assert _names(client, "jansen") == ["Daan Jansen"]
    assert _names(client, "emma") == []


def test_paging_of_a_search(client, auth, world, app):
    """A search with more hits than a page pages as the list did."""
    app.config["PAGE_SIZE"] = 3
    for n in range(7):
        factories.student(world["school"], first=f"Kind{n}", last="Zoekpagina")
    auth.login(world["care"].email)
    first = client.get("/leerlingen/?q=zoekpag").get_data(as_text=True)
    third = client.get("/leerlingen/?q=zoekpag&pagina=3").get_data(as_text=True)
    assert "7 leerlingen gevonden" in first and "Pagina 1 van 3" in first
    assert re.findall(r'<a href="/leerlingen/\d+">([^<]+)</a>', third) == ["Kind6 Zoekpagina"]


def test_a_renamed_student_is_found_by_the_new_name_only(client, auth, world):
    """The index follows an edit (the update trigger on SQLite): the new name and number find the
    student, the old ones no longer do."""
    auth.login(world["care"].email)
    daan = world["daan"]
    saved = client.post(f"/leerlingen/{daan.id}/bewerken", data=factories.student_form(
        world["own"], world["mentor"], first_name="Daniël", last_name="Hendriksen", student_number="L2025-7777",
        version="1"))
    assert saved.status_code == 303
    assert _names(client, "hendrik") == ["Daniël Hendriksen"]
    assert _names(client, "025-777") == ["Daniël Hendriksen"]
    assert _names(client, "daniël") == ["Daniël Hendriksen"]
    assert _names(client, "jansen") == ["Emma Jansen"]
    assert _names(client, "0815") == []


def test_new_unenrolled_and_deleted_students(client, auth, world):
    """A student added through the form is found at once (insert trigger); an unenrolled one
    only with status "uitgeschreven", as before; a removed row leaves the index (delete trigger)."""
    auth.login(world["care"].email)
    added = client.post("/leerlingen/nieuw", data=factories.student_form(world["own"], world["mentor"]))
    assert added.status_code == 303
    assert _names(client, "boer") == ["Sem de Boer"]
    assert client.post(f"/leerlingen/{world['emma'].id}/uitschrijven").status_code == 303
    assert _names(client, "jansen") == ["Daan Jansen"]
    response = client.get("/leerlingen/", query_string={"q": "jansen", "status": "uitgeschreven"})
    assert "Emma Jansen" in response.get_data(as_text=True) and "Daan Jansen" not in response.get_data(as_text=True)
    Student.delete().where(Student.id == world["anders"].id).execute()  # no route removes a student
    assert _names(client, "anders") == []
    assert _names(client, "daan") == ["Daan Jansen"]


def test_the_sqlite_index_stays_consistent_with_the_student_table(client, auth, world, backend):
    """After inserts, edits and deletes the FTS5 table agrees with its content table (FTS5's own
    integrity check compares them); PostgreSQL's index is maintained by the server itself."""
    if backend != "sqlite":
        pytest.skip("an FTS5 table exists on SQLite only")
    Student.update(last_name="Jansen-Bakker").where(Student.id == world["emma"].id).execute()
    Student.delete().where(Student.id == world["anders"].id).execute()
    database.execute_sql("INSERT INTO student_search (student_search, rank) VALUES ('integrity-check', 1)")
    auth.login(world["care"].email)
    assert _names(client, "jansen-bak") == ["Emma Jansen-Bakker"]


SYNTAX = ['"', '""', "'", "o'ne", '"daan', 'daan"', "*", "jan*", "NEAR", "NEAR(daan jansen)", "daan NEAR jansen",
          "-jansen", "daan -jansen", "%", "%%%", "_", "j_n", "a%n", "jan OR emma", "AND", "(daan)", "^daan",
          "daan:", "first_name:daan", "{first_name}:daan", "+", "\\", "\\%", "x\\y%", "🙂🙂🙂", "\x00daan", "' OR 1=1 --"]


@pytest.mark.parametrize("term", SYNTAX)
def test_search_syntax_in_the_term_is_plain_text(client, auth, world, term):
    """Quotes, ``*``, ``-``, NEAR, AND/OR, column filters and LIKE's ``%`` and ``_`` are searched
    as the characters they are: a list (often empty), never an error page."""
    auth.login(world["care"].email)
    names = _names(client, term)
    if "%" in term or "_" in term:
        assert names == []  # no wildcard: no name here contains % or _
    if term == "o'ne":
        assert names == ["Kees O'Neil"]


def test_wildcards_and_quotes_match_literally(client, auth, world):
    """A student whose name holds the characters is found by them, and only that one."""
    factories.student(world["school"], first="Test", last='100%_"kwoot"', number="X_1")
    auth.login(world["care"].email)
    assert _names(client, '0%_"kw') == ['Test 100%_"kwoot"']
    assert _names(client, "x_1") == ['Test 100%_"kwoot"']
    assert _names(client, "0%") == ['Test 100%_"kwoot"']

