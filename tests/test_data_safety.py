"""Data safety outside meetings: simultaneous saves, versioned students/guardians/route settings,
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
    return factories.school_with_staff(personal_mentor=True)


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
    """Two people save the same dossier entry at the same moment, in two real threads against
    the file database: one save wins, the other gets the conflict screen with both texts; never "database is
    locked" or another error page."""
    s = setup
    entry = Entry.create(student=s["student"], author=s["care"], section="support", kind="note", title="Plan",
                         body="Oud")
    first, second = factories.logged_in(app, s["care"]), factories.logged_in(app, s["care2"])
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
    """Of two threads calling save_version with the same base version,
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


# --- students, guardians and school route settings are versioned ------------------------------------------------

def _student_data(s, **changes):
    data = {"student_number": s["student"].student_number, "first_name": "Daan", "last_name": "Jansen",
            "birth_date": "2014-03-01", "gender": "", "group": str(s["group"].id), "mentor": str(s["mentor"].id),
            "enrolled_on": "2022-08-20"}
    return {**data, **changes}


def _hidden(html: str, name: str) -> str:
    import re

    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"|type="hidden" name="{name}" value="([^"]*)"'
                      rf'|<input id="{name}" name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return next(group for group in match.groups() if group is not None)


def test_student_edit_conflict_shows_both_and_overwrites_nothing(app, setup):
    """Two people open the same student; the first save wins, the second gets the conflict
    screen with the saved value beside their own, nothing is overwritten, and saving again is a deliberate
    choice that keeps the other version in the history."""
    from portal.students.models import Student

    s = setup
    sid = s["student"].id
    first, second = factories.logged_in(app, s["care"]), factories.logged_in(app, s["care2"])
    url = f"/leerlingen/{sid}/bewerken"
    version_a = _hidden(first.get(url).get_data(as_text=True), "version")
    version_b = _hidden(second.get(url).get_data(as_text=True), "version")
    assert version_a == version_b == "1"
    assert first.post(url, data=_student_data(s, last_name="Jansen-Bakker", version=version_a)).status_code == 303
    clash = second.post(url, data=_student_data(s, last_name="Janssen", version=version_b))
    assert clash.status_code == 409
    html = clash.get_data(as_text=True)
    assert "Iemand anders heeft dit intussen opgeslagen." in html and "Juf Zorg" in html
    assert '<td class="theirs">Jansen-Bakker</td><td class="yours">Janssen</td>' in html
    assert 'value="Janssen"' in html  # the loser's input is kept in the form
    stored = Student.get_by_id(sid)
    assert (stored.last_name, stored.version) == ("Jansen-Bakker", 2)
    again = second.post(url, data=_student_data(s, last_name="Janssen", version=_hidden(html, "version")))
    assert again.status_code == 303
    assert Student.get_by_id(sid).last_name == "Janssen"
    history = [r.fields["last_name"] for r in Revision.select().where(
        (Revision.object_type == "student") & (Revision.object_id == sid)).order_by(Revision.version)]
    assert history == ["Jansen", "Jansen-Bakker"]


def test_student_edit_without_a_version_is_a_conflict_not_an_overwrite(client, auth, setup):
    """A post that does not say which version it edits never silently overwrites."""
    from portal.students.models import Student

    auth.login(setup["care"].email)
    response = client.post(f"/leerlingen/{setup['student'].id}/bewerken", data=_student_data(setup, last_name="X"))
    assert response.status_code == 409
    assert Student.get_by_id(setup["student"].id).last_name == "Jansen"


def test_guardian_edit_conflict(app, setup):
    """Two people editing one guardian: the second sees the conflict, nothing overwritten."""
    from portal.students.models import Guardian

    s = setup
    guardian = Guardian.get(Guardian.student == s["student"].id)
    first, second = factories.logged_in(app, s["care"]), factories.logged_in(app, s["care2"])
    url = f"/leerlingen/{s['student'].id}/verzorgers/{guardian.id}/bewerken"
    version = _hidden(first.get(url).get_data(as_text=True), "version")
    data = {"name": guardian.name, "relation": "moeder", "has_authority": "y", "version": version}
    assert first.post(url, data={**data, "phone": "0592-123456"}).status_code == 303
    clash = second.post(url, data={**data, "phone": "06-12345678"})
    assert clash.status_code == 409
    html = clash.get_data(as_text=True)
    assert '<td class="theirs">0592-123456</td><td class="yours">06-12345678</td>' in html
    assert Guardian.get_by_id(guardian.id).phone == "0592-123456"


@pytest.fixture
def vo(app):
    school = factories.school("Het Drents College", sector="VO")
    return {"school": school, "zorg": factories.user("zorg", school, name="Ans Coördinator"),
            "zorg2": factories.user("zorg", school, name="Bert Tweede")}


def test_school_route_settings_conflict(app, vo):
    """Two coordinators adapt the school's route at once: the second gets the conflict screen
    with the saved label beside theirs; the first one's settings stay."""
    from portal.route.models import SchoolPhaseSetting

    first, second = factories.logged_in(app, vo["zorg"]), factories.logged_in(app, vo["zorg2"])
    url = "/school/ondersteuningsroute"
    base_a = _hidden(first.get(url).get_data(as_text=True), "base")
    base_b = _hidden(second.get(url).get_data(as_text=True), "base")
    key = "drenthe.intern_basis"
    saved = first.post(url, data={"base": base_a, f"label-{key}": "Eerste zorg",
                                  f"meetings-{key}": ["drenthe.mentorgesprek"]})
    assert saved.status_code == 303
    clash = second.post(url, data={"base": base_b, f"label-{key}": "Basiszorg",
                                   f"meetings-{key}": ["drenthe.mentorgesprek"]})
    assert clash.status_code == 409
    html = clash.get_data(as_text=True)
    assert "Iemand anders heeft dit intussen opgeslagen." in html
    assert "Eerste zorg" in html and 'value="Basiszorg"' in html
    assert SchoolPhaseSetting.get(SchoolPhaseSetting.phase_key == key).label == "Eerste zorg"
    again = second.post(url, data={"base": _hidden(html, "base"), f"label-{key}": "Basiszorg",
                                   f"meetings-{key}": ["drenthe.mentorgesprek"]})
    assert again.status_code == 303
    assert SchoolPhaseSetting.get(SchoolPhaseSetting.phase_key == key).label == "Basiszorg"


def test_school_route_label_is_bounded(client, auth, vo):
    """A phase label longer than 200 characters gets a Dutch message, not a silent cut."""
    from portal.route.models import SchoolPhaseSetting

    auth.login(vo["zorg"].email)
    response = client.post("/school/ondersteuningsroute", data={"label-drenthe.intern_basis": "x" * 201})
    assert response.status_code == 422
    assert "Hooguit 200 tekens." in form_errors(response.get_data(as_text=True))
    assert SchoolPhaseSetting.select().count() == 0


# --- create forms carry an idempotency key --------------------------------------------------------------------

def _key(html: str) -> str:
    return _hidden(html, "idempotency_key")


def test_resubmitted_student_create_returns_the_first_student(client, auth, setup):
    """The answer to "Opslaan" got lost and the user submits the same form again: one student,
    and the second submit goes to the first result."""
    from portal.students.models import Student

    auth.login(setup["admin"].email)
    key = _key(client.get("/leerlingen/nieuw").get_data(as_text=True))
    data = _student_data(setup, student_number="L-900", first_name="Sem", idempotency_key=key)
    first = client.post("/leerlingen/nieuw", data=dict(data))
    again = client.post("/leerlingen/nieuw", data=dict(data))
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert Student.select().where(Student.student_number == "L-900").count() == 1
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Dit formulier was al verstuurd" in page
    fresh = _key(client.get("/leerlingen/nieuw").get_data(as_text=True))
    assert fresh != key  # a new form is a new key


def test_idempotency_key_is_per_user(app, setup):
    """A key only replays for the user who used it; another user with the same key creates."""
    from portal.dossier.models import Entry

    url = f"/leerlingen/{setup['student'].id}/dossier/nieuw"
    key = "k" * 32
    data = {"section": "support", "kind": "note", "title": "Gesprek", "body": "Tekst", "idempotency_key": key}
    for user in (setup["care"], setup["care2"]):
        assert factories.logged_in(app, user).post(url, data=dict(data)).status_code == 303
    assert Entry.select().where(Entry.title == "Gesprek").count() == 2


@pytest.mark.parametrize("what", ["guardian", "entry", "consent", "traject"])
def test_resubmitted_create_forms_create_once(client, auth, setup, what):
    """Guardian add, dossier entry, consent and traject start: a resubmit creates nothing new."""
    from portal.consent.models import Consent
    from portal.dossier.models import Entry
    from portal.route.models import Traject, Transition
    from portal.students.models import Guardian

    sid = setup["student"].id
    auth.login(setup["care"].email)
    parent = Guardian.get(Guardian.student == sid)
    cases = {
        "guardian": (f"/leerlingen/{sid}/verzorgers/nieuw", f"/leerlingen/{sid}/verzorgers/nieuw",
                     {"name": "Piet", "relation": "vader"}, lambda: Guardian.select().count()),
        "entry": (f"/leerlingen/{sid}/dossier/nieuw", f"/leerlingen/{sid}/dossier/nieuw",
                  {"section": "support", "kind": "note", "title": "Gesprek", "body": "Tekst"},
                  lambda: Entry.select().count()),
        "consent": (f"/leerlingen/{sid}/toestemmingen", f"/leerlingen/{sid}/toestemmingen",
                    {"given_by": f"guardian:{parent.id}", "purpose": "overleg", "recipient": "Wijkteam Assen",
                     "given_on": "2026-09-01", "valid_until": ""}, lambda: Consent.select().count()),
        "traject": (f"/leerlingen/{sid}/traject", f"/leerlingen/{sid}/traject/overgang",
                    {"action": "start", "signal": "Daan trekt zich terug en haalt zijn huiswerk niet."},
                    lambda: (Traject.select().count(), Transition.select().count())),
    }
    form_url, post_url, data, count = cases[what]
    before = count()
    data = {**data, "idempotency_key": _key(client.get(form_url).get_data(as_text=True))}
    first = client.post(post_url, data=dict(data))
    assert first.status_code == 303, form_errors(first.get_data(as_text=True))
    after_first = count()
    assert after_first != before
    again = client.post(post_url, data=dict(data))
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert count() == after_first


def test_resubmitted_attachment_upload_stores_one_file(client, auth, setup):
    """An attachment uploaded twice with the same form key is stored once."""
    import io

    from portal.dossier.models import Attachment

    sid = setup["student"].id
    auth.login(setup["care"].email)
    key = _key(client.get(f"/leerlingen/{sid}/dossier").get_data(as_text=True))
    for _ in range(2):
        response = client.post(f"/leerlingen/{sid}/dossier/bijlagen", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(factories.PDF), "verslag.pdf"), "idempotency_key": key})
        assert response.status_code == 303
    assert Attachment.select().count() == 1


def test_a_refused_create_releases_its_key(client, auth, setup):
    """When the create is refused (a bad upload), the key is not used up: fixing the form and
    posting it again with the same key creates."""
    import io

    from portal.dossier.models import Attachment

    sid = setup["student"].id
    auth.login(setup["care"].email)
    key = _key(client.get(f"/leerlingen/{sid}/dossier").get_data(as_text=True))
    bad = client.post(f"/leerlingen/{sid}/dossier/bijlagen", content_type="multipart/form-data",
                      data={"file": (io.BytesIO(b"not a pdf"), "verslag.pdf"), "idempotency_key": key})
    assert bad.status_code == 200 and key in bad.get_data(as_text=True)
    good = client.post(f"/leerlingen/{sid}/dossier/bijlagen", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(factories.PDF), "verslag.pdf"), "idempotency_key": key})
    assert good.status_code == 303 and Attachment.select().count() == 1


def test_two_simultaneous_submits_with_one_key_create_once(app, setup):
    """A double click sends the same create form twice at the same moment (two threads, file
    database): one entry, both answers redirect to it, no error page."""
    s = setup
    first, second = factories.logged_in(app, s["care"]), factories.logged_in(app, s["care"])
    url = f"/leerlingen/{s['student'].id}/dossier/nieuw"
    data = {"section": "support", "kind": "note", "title": "Dubbelklik", "body": "Tekst", "idempotency_key": "d" * 32}
    responses = run_in_threads(lambda: first.post(url, data=dict(data)), lambda: second.post(url, data=dict(data)))
    assert [r.status_code for r in responses] == [303, 303]
    assert Entry.select().where(Entry.title == "Dubbelklik").count() == 1


def test_old_idempotency_keys_are_pruned(client, auth, setup):
    """The table of used keys does not grow forever: a user's keys older than 30 days go when
    that user next creates something; recent keys stay (and still replay)."""
    import datetime as dt

    from portal.db import utcnow
    from portal.idempotency.models import IdempotencyKey

    user = setup["care"]
    IdempotencyKey.create(user=user.id, key="o" * 32, url="/oud", created_at=utcnow() - dt.timedelta(days=31))
    IdempotencyKey.create(user=user.id, key="r" * 32, url="/recent", created_at=utcnow() - dt.timedelta(days=2))
    auth.login(user.email)
    url = f"/leerlingen/{setup['student'].id}/dossier/nieuw"
    data = {"section": "support", "kind": "note", "title": "Nieuw", "body": "", "idempotency_key": "n" * 32}
    assert client.post(url, data=data).status_code == 303
    assert sorted(k.key[0] for k in IdempotencyKey.select()) == ["n", "r"]
    replay = client.post(url, data={**data, "idempotency_key": "r" * 32})
    assert replay.headers["Location"] == "/recent"
