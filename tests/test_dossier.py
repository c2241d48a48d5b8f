"""The dossier: timeline per section, entries with versions and edit conflicts, withdrawal, confidentiality,
access rules and the inzage-log."""

from __future__ import annotations

import re

import pytest

from portal.audit.models import AuditEvent
from portal.dossier.models import Entry
from portal.dossier.sections import CORE_SECTIONS
from portal.versioning import Revision
from tests import factories


@pytest.fixture
def setup(app):
    return factories.school_with_staff()


def _entry(student, author, **values) -> Entry:
    data = {"section": "support", "kind": "note", "title": "Plan", "body": "Tekst", **values}
    return Entry.create(student=student, author=author, **data)


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/leerlingen/\d+/dossier/\d+">([^<]+)</a>', html)


def test_sections_and_new_entry_flow(client, auth, setup):
    """R-DRE-B1: the six sections of annex 1 are offered; R-DRE-1: the same sections for every school.
    The labels the browser journey uses (Nieuwe aantekening, Sectie, Titel, Tekst, Opslaan) exist."""
    s = setup
    sid = s["student"].id
    auth.login(s["mentor"].email)
    timeline = client.get(f"/leerlingen/{sid}/dossier").get_data(as_text=True)
    assert "Nieuwe aantekening" in timeline
    form = client.get(f"/leerlingen/{sid}/dossier/nieuw").get_data(as_text=True)
    for label, target in (("Sectie", "section"), ("Titel", "title"), ("Tekst", "body")):
        assert f'<label for="{target}">{label}</label>' in form
    for section in CORE_SECTIONS:
        assert f'value="{section.key}"' in form
    assert "Vertrouwelijk" not in form  # a mentor cannot make entries only care roles see
    assert ">Opslaan</button>" in form
    missing = client.post(f"/leerlingen/{sid}/dossier/nieuw", data={"section": "support", "kind": "note",
                                                                     "title": "", "body": "Mijn tekst"})
    html = missing.get_data(as_text=True)
    assert "Vul een titel in." in html and "Mijn tekst" in html
    response = client.post(f"/leerlingen/{sid}/dossier/nieuw", data={"section": "support", "kind": "note",
                                                                      "title": "Gesprek met ouders",
                                                                      "body": "Afspraken gemaakt."})
    assert response.status_code == 303
    assert "Gesprek met ouders" in _titles(client.get(response.headers["Location"]).get_data(as_text=True))
    entry = Entry.get(Entry.title == "Gesprek met ouders")
    event = AuditEvent.get((AuditEvent.action == "entry.create"))
    assert (event.kind, event.object_id, event.student_id) == ("write", entry.id, sid)


def test_timeline_newest_first_and_section_filter(client, auth, setup):
    """R-DRE-B1: timeline filterable by section; the htmx request gets only the timeline block."""
    s = setup
    _entry(s["student"], s["care"], title="Oud", section="education")
    _entry(s["student"], s["care"], title="Nieuw", section="support")
    auth.login(s["care"].email)
    sid = s["student"].id
    assert _titles(client.get(f"/leerlingen/{sid}/dossier").get_data(as_text=True)) == ["Nieuw", "Oud"]
    assert _titles(client.get(f"/leerlingen/{sid}/dossier?sectie=education").get_data(as_text=True)) == ["Oud"]
    assert len(_titles(client.get(f"/leerlingen/{sid}/dossier?sectie=onzin").get_data(as_text=True))) == 2
    partial = client.get(f"/leerlingen/{sid}/dossier?sectie=support", headers={"HX-Request": "true"})
    assert partial.get_data(as_text=True).lstrip().startswith('<section id="dossier-timeline"')
    reads = AuditEvent.select().where((AuditEvent.action == "dossier.view") & (AuditEvent.kind == "read"))
    assert reads.count() == 4


def test_access_rules(client, auth, setup):
    """R-DRE-AVG: dossier data only for those who guide the student. Beheerder without care role: 403;
    mentor of another group: 404; staff of another school: 404."""
    s = setup
    sid = s["student"].id
    entry = _entry(s["student"], s["care"])
    auth.login(s["admin"].email)
    assert client.get(f"/leerlingen/{sid}/dossier").status_code == 403
    assert client.get(f"/leerlingen/{sid}/dossier/{entry.id}").status_code == 403
    auth.logout()
    other_mentor = factories.user("mentor", s["school"])
    auth.login(other_mentor.email)
    assert client.get(f"/leerlingen/{sid}/dossier").status_code == 404
    assert client.get(f"/leerlingen/{sid}/dossier/{entry.id}").status_code == 404
    auth.logout()
    stranger = factories.user("zorg", factories.school())
    auth.login(stranger.email)
    for url in (f"/leerlingen/{sid}/dossier", f"/leerlingen/{sid}/dossier/{entry.id}",
                f"/leerlingen/{sid}/inzage", f"/leerlingen/{sid}/dossier/{entry.id}/geschiedenis"):
        assert client.get(url).status_code == 404, url
    # an entry id of another student through this student's URL
    own = factories.student(stranger_school := factories.school())
    zorg = factories.user("zorg", stranger_school)
    auth.logout()
    auth.login(zorg.email)
    assert client.get(f"/leerlingen/{own.id}/dossier/{entry.id}").status_code == 404


def test_confidential_hidden_from_mentor(client, auth, setup):
    s = setup
    sid = s["student"].id
    secret = _entry(s["student"], s["care"], title="Geheim verslag", confidential=True)
    _entry(s["student"], s["care"], title="Gewoon verslag")
    auth.login(s["mentor"].email)
    assert _titles(client.get(f"/leerlingen/{sid}/dossier").get_data(as_text=True)) == ["Gewoon verslag"]
    assert client.get(f"/leerlingen/{sid}/dossier/{secret.id}").status_code == 404
    assert client.get(f"/leerlingen/{sid}/dossier/{secret.id}/bewerken").status_code == 404
    auth.logout()
    auth.login(s["care"].email)
    assert "Geheim verslag" in _titles(client.get(f"/leerlingen/{sid}/dossier").get_data(as_text=True))
    response = client.post(f"/leerlingen/{sid}/dossier/nieuw", data={
        "section": "support", "kind": "note", "title": "Nog geheimer", "body": "", "confidential": "y"})
    assert response.status_code == 303
    assert Entry.get(Entry.title == "Nog geheimer").confidential is True


def test_edit_keeps_history(client, auth, setup):
    """Every edit keeps the previous version, visible on the history page."""
    s = setup
    sid = s["student"].id
    entry = _entry(s["student"], s["care"], title="Eerste titel", body="Eerste tekst")
    auth.login(s["care"].email)
    form = client.get(f"/leerlingen/{sid}/dossier/{entry.id}/bewerken").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form
    response = client.post(f"/leerlingen/{sid}/dossier/{entry.id}/bewerken", data={
        "section": "support", "kind": "note", "title": "Tweede titel", "body": "Tweede tekst", "version": "1"})
    assert response.status_code == 303
    stored = Entry.get_by_id(entry.id)
    assert (stored.title, stored.version, stored.updated_by_id) == ("Tweede titel", 2, s["care"].id)
    history = client.get(f"/leerlingen/{sid}/dossier/{entry.id}/geschiedenis").get_data(as_text=True)
    assert "Eerste tekst" in history and "Tweede tekst" in history and "Versie 1" in history
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.object_id == entry.id)
               .order_by(AuditEvent.id)]
    assert actions == ["entry.view", "entry.update", "entry.history"]


def test_edit_conflict_shows_both_texts_and_does_not_overwrite(client, auth, setup, app):
    """Two people edit the same entry: the second save is refused with both texts shown."""
    s = setup
    sid = s["student"].id
    entry = _entry(s["student"], s["care"], title="Plan", body="Origineel")
    other = factories.logged_in(app, s["care2"])
    auth.login(s["care"].email)
    for c in (client, other):
        assert c.get(f"/leerlingen/{sid}/dossier/{entry.id}/bewerken").status_code == 200
    first = other.post(f"/leerlingen/{sid}/dossier/{entry.id}/bewerken", data={
        "section": "support", "kind": "note", "title": "Plan", "body": "Hun tekst", "version": "1"})
    assert first.status_code == 303
    second = client.post(f"/leerlingen/{sid}/dossier/{entry.id}/bewerken", data={
        "section": "support", "kind": "note", "title": "Plan", "body": "Mijn tekst", "version": "1"})
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Hun tekst" in html and "Mijn tekst" in html and "Meneer Tweede" in html
    assert 'name="version" type="hidden" value="2"' in html
    assert Entry.get_by_id(entry.id).body == "Hun tekst"
    # saving again after seeing both texts is a deliberate new version
    again = client.post(f"/leerlingen/{sid}/dossier/{entry.id}/bewerken", data={
        "section": "support", "kind": "note", "title": "Plan", "body": "Samengevoegd", "version": "2"})
    assert again.status_code == 303
    assert Entry.get_by_id(entry.id).version == 3
    assert Revision.select().where(Revision.object_id == entry.id).count() == 2


def test_withdraw_with_reason(client, auth, setup):
    """A misfiled entry is withdrawn with a reason: kept in history, hidden from the timeline."""
    s = setup
    sid = s["student"].id
    entry = _entry(s["student"], s["mentor"], title="Verkeerde leerling", body="Hoort bij een ander")
    auth.login(s["mentor"].email)
    refused = client.post(f"/leerlingen/{sid}/dossier/{entry.id}/intrekken", data={"reason": "  "})
    assert "Geef een reden op" in refused.get_data(as_text=True)
    assert Entry.get_by_id(entry.id).withdrawn_at is None
    assert client.post(f"/leerlingen/{sid}/dossier/{entry.id}/intrekken",
                       data={"reason": "Verkeerd dossier"}).status_code == 303
    stored = Entry.get_by_id(entry.id)
    assert stored.withdrawn_reason == "Verkeerd dossier" and stored.withdrawn_by_id == s["mentor"].id
    assert _titles(client.get(f"/leerlingen/{sid}/dossier").get_data(as_text=True)) == []
    assert client.get(f"/leerlingen/{sid}/dossier/{entry.id}").status_code == 404
    assert client.get(f"/leerlingen/{sid}/dossier/ingetrokken").status_code == 403
    auth.logout()
    auth.login(s["care"].email)
    listing = client.get(f"/leerlingen/{sid}/dossier/ingetrokken").get_data(as_text=True)
    assert "Verkeerde leerling" in listing and "Verkeerd dossier" in listing
    history = client.get(f"/leerlingen/{sid}/dossier/{entry.id}/geschiedenis").get_data(as_text=True)
    assert "Hoort bij een ander" in history and "Verkeerd dossier" in history
    assert AuditEvent.get(AuditEvent.action == "entry.withdraw").kind == "write"


def test_csrf_required(client, auth, setup):
    s = setup
    auth.login(s["care"].email)
    response = client.post(f"/leerlingen/{s['student'].id}/dossier/nieuw", csrf=False, data={
        "section": "support", "kind": "note", "title": "X"})
    assert response.status_code == 400 and Entry.select().count() == 0


def test_inzage_log_lists_readers(client, auth, setup):
    """R-DRE-AVG / R-LAW-AVG-1: the care coordinator sees who read this dossier, when, what, read or write."""
    s = setup
    sid = s["student"].id
    auth.login(s["mentor"].email)
    client.get(f"/leerlingen/{sid}/dossier")
    assert client.get(f"/leerlingen/{sid}/inzage").status_code == 403
    auth.logout()
    auth.login(s["care"].email)
    html = client.get(f"/leerlingen/{sid}/inzage").get_data(as_text=True)
    assert "Wie heeft dit dossier ingezien" in html
    assert "Meester Bakker" in html and "bekeek het dossier" in html and "inzage" in html  # words, not keys
    events = list(AuditEvent.select().where(AuditEvent.student_id == sid))
    assert all(e.ip for e in events if e.actor_type == "user")


def test_timeline_query_count_is_constant(client, auth, setup, monkeypatch):
    """Authors and attachments are loaded with the timeline, not per entry."""
    from portal.db import database
    from portal.dossier.models import Attachment

    s = setup
    auth.login(s["care"].email)

    def add(n):
        for i in range(n):
            entry = _entry(s["student"], s["mentor"], title=f"Aantekening {i}")
            Attachment.create(student=s["student"], entry=entry, filename="a.pdf", content_type="application/pdf",
                              size=1, sha256="0" * 64, storage_name=f"naam-{entry.id}", uploaded_by=s["care"])

    def count() -> int:
        calls = []
        original = database.obj.execute_sql
        monkeypatch.setattr(database.obj, "execute_sql",
                            lambda sql, params=None, *a, **kw: calls.append(sql) or original(sql, params, *a, **kw))
        assert client.get(f"/leerlingen/{s['student'].id}/dossier").status_code == 200
        monkeypatch.undo()
        return len(calls)

    add(1)
    few = count()
    add(10)
    assert count() == few


def test_a_long_dossier_pages_newest_first_with_and_without_htmx(client, auth, setup):
    """A dossier of 60 entries shows the newest 25; "Oudere aantekeningen" leads to the next 25
    (a page of its own without JavaScript, only the next items for htmx), then the last 10, nothing twice; the
    section filter pages the same way."""
    import datetime as dt

    s = setup
    sid = s["student"].id
    start = dt.datetime(2026, 1, 1, 8, 0)
    for i in range(60):
        section = "support" if i % 2 else "communication"
        Entry.create(student=s["student"], author=s["mentor"], section=section, kind="note", title=f"Notitie {i:02d}",
                     body="Tekst", created_at=start + dt.timedelta(hours=i // 2))  # pairs share a moment
    auth.login(s["care"].email)
    seen, url = [], f"/leerlingen/{sid}/dossier"
    for expected in (25, 25, 10):
        html = client.get(url).get_data(as_text=True)
        titles = _titles(html)
        assert len(titles) == expected and "<h1>" in html  # a whole page: works without JavaScript
        seen += titles
        more = re.search(r'<li class="timeline-more">\s*.*?<a href="([^"]+)"', html, flags=re.S)
        url = more[1].replace("&amp;", "&") if more else None
    assert url is None and len(seen) == len(set(seen)) == 60
    assert seen == [f"Notitie {i:02d}" for i in range(59, -1, -1)]  # newest first; same moment: later made first
    first = client.get(f"/leerlingen/{sid}/dossier").get_data(as_text=True)
    cursor = re.search(r"voor=(\d+)", first)[1]
    fragment = client.get(f"/leerlingen/{sid}/dossier?voor={cursor}", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<h1>" not in body and len(_titles(body)) == 25 and 'class="timeline-more"' in body
    assert not set(_titles(body)) & set(_titles(first))
    support = client.get(f"/leerlingen/{sid}/dossier?sectie=support").get_data(as_text=True)
    assert len(_titles(support)) == 25 and all(int(t[-2:]) % 2 for t in _titles(support))
    assert client.get(f"/leerlingen/{sid}/dossier?voor=99999999").status_code == 200  # an unknown cursor: page 1
    assert client.get(f"/leerlingen/{sid}/dossier?voor=abc").status_code == 200
