"""Data safety outside meetings (issue 8): simultaneous saves, versioned students/guardians/route settings,
idempotent create forms, and a scheduler that isolates one bad item."""

from __future__ import annotations

import threading

import pytest

from portal import versioning
from portal.dossier.models import Entry
from portal.versioning import Revision
from tests import factories
from tests.conftest import form_errors  # noqa: F401


@pytest.fixture
def setup(app):
    school = factories.school()
    mentor = factories.user("mentor", school, name="Meester Bakker")
    care = factories.user("zorg", school, name="Juf Zorg")
    care2 = factories.user("zorg", school, name="Meneer Tweede")
    admin = factories.user("beheerder", school)
    group = factories.group(school, "Groep 7a", teachers=[mentor])
    student = factories.student(school, group, first="Daan", last="Jansen", mentor=mentor)
    return {"school": school, "mentor": mentor, "care": care, "care2": care2, "admin": admin, "group": group,
            "student": student}


def logged_in(app, user):
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    return client


def both_read_first(monkeypatch, parties: int = 2):
    """Make two saves interleave the worst way: each waits after reading the stored version until the other
    has read it too. With immediate transactions the second cannot read before the first committed, so the
    wait gives up (a timeout on the wait, not an assertion) and the saves run one after the other."""
    barrier = threading.Barrier(parties)
    original = versioning._snapshot

    def snapshot(obj):
        try:
            barrier.wait(timeout=1.5)
        except threading.BrokenBarrierError:
            pass
        return original(obj)

    monkeypatch.setattr(versioning, "_snapshot", snapshot)


def run_in_threads(*calls):
    results, errors = [None] * len(calls), []

    def run(i, call):
        try:
            results[i] = call()
        except BaseException as exc:  # noqa: BLE001  (reported by the test)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_two_simultaneous_entry_saves_give_one_save_and_one_conflict(app, setup, monkeypatch):
    """Issue 8 item 6: two people save the same dossier entry at the same moment, in two real threads against
    the file database: one save wins, the other gets the conflict screen with both texts; never "database is
    locked" or another error page."""
    s = setup
    entry = Entry.create(student=s["student"], author=s["care"], section="support", kind="note", title="Plan",
                         body="Oud")
    first, second = logged_in(app, s["care"]), logged_in(app, s["care2"])
    url = f"/leerlingen/{s['student'].id}/dossier/{entry.id}/bewerken"
    both_read_first(monkeypatch)

    def save(client, text):
        return lambda: client.post(url, data={"section": "support", "kind": "note", "title": "Plan", "body": text,
                                              "version": "1"})

    responses = run_in_threads(save(first, "Tekst van Juf Zorg"), save(second, "Tekst van Meneer Tweede"))
    codes = sorted(r.status_code for r in responses)
    assert codes == [303, 409], [r.get_data(as_text=True)[:500] for r in responses]
    loser = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    stored = Entry.get_by_id(entry.id)
    assert stored.version == 2 and stored.body in ("Tekst van Juf Zorg", "Tekst van Meneer Tweede")
    assert stored.body in loser  # their saved text is shown ...
    other = ({"Tekst van Juf Zorg", "Tekst van Meneer Tweede"} - {stored.body}).pop()
    assert other in loser  # ... next to the loser's own text, which is kept
    assert Revision.select().where(Revision.object_id == entry.id).count() == 1


def test_two_simultaneous_service_saves_raise_a_conflict_not_an_error(app, setup, monkeypatch):
    """Issue 8 item 6, at the service level: of two threads calling save_version with the same base version,
    one succeeds and the other gets EditConflict holding the winner's state."""
    s = setup
    entry = Entry.create(student=s["student"], author=s["care"], section="support", kind="note", title="Plan",
                         body="Oud")
    both_read_first(monkeypatch)

    def save(text):
        def call():
            from portal.db import database

            with app.app_context():
                database.connect(reuse_if_open=True)
                try:
                    versioning.save_version(Entry.get_by_id(entry.id), 1, {"body": text}, s["care"].id)
                    return "saved"
                except versioning.EditConflict as conflict:
                    return f"conflict:{conflict.current.body}"
                finally:
                    database.close()
        return call

    results = run_in_threads(save("A"), save("B"))
    assert sorted(r[:5] for r in results) == ["confl", "saved"]
    winner = Entry.get_by_id(entry.id).body
    assert f"conflict:{winner}" in results
