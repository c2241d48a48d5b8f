"""What a guest with a share link reaches: only their own meeting pages. Walks the whole url_map with the guest's
session; checks the contribution window, shared documents and the report. A standing suite: the walk reports its
counts per backend at the end of the run ("guest-link walk")."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from werkzeug.routing.converters import NumberConverter

from portal.audit.models import AuditEvent
from portal.dossier.models import Attachment
from portal.meetings.models import Action, Contribution, Meeting, Participant, Report, SharedDocument
from tests import walk
from tests.factories import PDF, build_meeting, give_consent, mailed_link, open_with_code
# Reachable with a guest session: the guest's own pages and static files. Everything else, including the login
# page, healthz and the public route page, answers 404 so a guest learns nothing about the portal behind the link.
ALLOWED = {"static"}


def _attachment(s, name: str) -> Attachment:
    return Attachment.create(student=s["student"], filename=name, content_type="application/pdf", size=len(PDF),
                             sha256="0" * 64, storage_name=f"{name}-{s['meeting'].id}", uploaded_by=s["chair"])


@pytest.fixture
def world(app, client, auth, smtp):
    """A meeting with a shared and an unshared document, another participant's contribution, and a guest who
    opened the link and entered the mailed code."""
    s = build_meeting()
    give_consent(s)
    folder = app.instance_path + "/attachments/"
    for name in ("verslag-school", "geheim-dossierstuk"):
        with open(folder + f"{name}-{s['meeting'].id}", "wb") as fh:
            fh.write(PDF)
    shared = SharedDocument.create(meeting=s["meeting"], attachment=_attachment(s, "verslag-school"),
                                   shared_by=s["chair"])
    secret = _attachment(s, "geheim-dossierstuk")
    parent = Participant.create(meeting=s["meeting"], kind="guardian", name="Ouder van Daan", role="ouder")
    Contribution.create(meeting=s["meeting"], participant=parent, text="Inbreng van de ouder, niet voor gasten")
    other = build_meeting()
    give_consent(other)
    auth.login(s["chair"].email)
    token = mailed_link(client, s, smtp, code=True)
    auth.logout()
    guest = app.test_client()
    open_with_code(guest, smtp, token)
    return {**s, "token": token, "guest": guest, "shared": shared, "secret": secret, "other": other}


def _urls(rule, w) -> list[str]:
    """Concrete URLs for a rule, with ids of objects that exist (this meeting, its student, another meeting)."""
    ids = [w["meeting"].id, w["student"].id, w["other"]["meeting"].id, w["secret"].id, w["shared"].id]
    if not rule._converters:
        return [rule.build(dict(rule.defaults or {}), append_unknown=False)[1]]
    urls = []
    for value in ids:
        args = dict(rule.defaults or {})
        for name in rule._converters:
            args[name] = value if isinstance(rule._converters[name], NumberConverter) else (
                w["token"] if name == "token" else "x.css" if name == "filename" else "x")
        urls.append(rule.build(args, append_unknown=False)[1])
    return urls


def test_guest_walk_reaches_only_own_pages(app, world, backend, record_property):
    """R-DRE-AVG: with a guest session every URL in the url_map answers 404, for GET and POST, except the guest's
    own pages under /gast/<token> and static files; nothing redirects to the login page."""
    w, guest = world, world["guest"]
    checked, wrong = 0, []
    for rule in app.url_map.iter_rules():
        own = rule.endpoint.startswith("guest.") or rule.endpoint in ALLOWED
        for url in _urls(rule, w):
            for method in sorted(rule.methods & {"GET", "POST"}):
                if own and (method == "POST" or rule.endpoint == "static"):
                    continue  # the guest's own forms are tested below; leaving would end the session
                response = guest.open(url, method=method)
                checked += 1
                if own:
                    ok = response.status_code in (200, 303, 404)
                else:
                    ok = response.status_code == 404 and "Location" not in response.headers
                if not ok:
                    wrong.append(f"{method} {url}: {response.status_code} {response.headers.get('Location', '')}")
    walk.report(record_property, "guest-link walk", backend, checked, len(wrong))
    assert not wrong, "\n".join(wrong)
    assert checked > 100
    assert guest.get(f"/gast/{w['token']}").status_code == 200  # still the guest's own session
    other_token = "y" * 43
    assert guest.get(f"/gast/{other_token}").status_code == 404


def test_guest_sees_only_this_meeting(world):
    """R-ROUTE-8, R-DRE-2.3-c: the guest sees date, place, agenda, participants and shared documents (download
    audited), never another participant's contribution, an unshared attachment or another meeting's documents."""
    w, guest = world, world["guest"]
    html = guest.get(f"/gast/{w['token']}").get_data(as_text=True)
    for text in ("Lokaal 12", "Opening en kennismaking", "Petra Wijk", "Meester Voorzitter", "verslag-school"):
        assert text in html
    assert "Inbreng van de ouder" not in html and "geheim-dossierstuk" not in html
    download = guest.get(f"/gast/{w['token']}/documenten/{w['shared'].id}")
    assert download.status_code == 200 and download.data == PDF
    event = AuditEvent.get(AuditEvent.action == "guest.attachment.download")
    assert (event.actor_type, event.object_id) == ("guest", w["shared"].attachment_id)
    assert guest.get(f"/gast/{w['token']}/documenten/{w['secret'].id}").status_code == 404
    foreign = SharedDocument.create(meeting=w["other"]["meeting"], attachment=w["secret"], shared_by=w["chair"])
    assert guest.get(f"/gast/{w['token']}/documenten/{foreign.id}").status_code == 404


def test_contribution_editable_until_the_meeting_starts(world):
    """R-VO-10, R-ROUTE-8: the guest adds a contribution with one attachment and edits it until the meeting
    starts; after that the change is refused and the text stays as it was."""
    w, guest = world, world["guest"]
    url = f"/gast/{w['token']}/inbreng"
    empty = guest.post(url, data={"text": ""})
    assert empty.status_code == 422 and "Vul uw inbreng in." in empty.get_data(as_text=True)
    assert guest.post(url, data={"text": "Eerste versie", "file": (io.BytesIO(PDF), "advies.pdf")},
                      content_type="multipart/form-data").status_code == 303
    assert guest.post(url, data={"text": "Tweede versie"}, csrf=False).status_code == 400
    assert guest.post(url, data={"text": "Tweede versie", "file": (io.BytesIO(PDF), "advies-2.pdf")},
                      content_type="multipart/form-data").status_code == 303
    own = Contribution.get(Contribution.participant == w["external"].id)
    assert own.text == "Tweede versie" and own.attachment.filename == "advies-2.pdf"
    assert Attachment.select().where(Attachment.filename == "advies.pdf").count() == 0  # replaced
    assert guest.get(f"/gast/{w['token']}/inbreng/bijlage").data == PDF
    Meeting.update(starts_at=dt.datetime.now() - dt.timedelta(hours=1)).where(Meeting.id == w["meeting"].id).execute()
    late = guest.post(url, data={"text": "Te laat"})
    assert late.status_code == 403 and "Het overleg is begonnen" in late.get_data(as_text=True)
    assert Contribution.get_by_id(own.id).text == "Tweede versie"
    assert 'action="' + url not in guest.get(f"/gast/{w['token']}").get_data(as_text=True)
    writes = AuditEvent.select().where((AuditEvent.action == "guest.contribution.save")
                                       & (AuditEvent.actor_type == "guest")).count()
    assert writes == 2


def test_report_and_actions_only_after_sharing(world):
    """R-ROUTE-6: the guest sees the report only once the chair shared it, and their own actions."""
    w, guest = world, world["guest"]
    Report.create(meeting=w["meeting"], status="final", summary="Samenvatting van het MDO", author=w["chair"])
    Action.create(meeting=w["meeting"], description="Gezin bezoeken", owner=w["external"], due_date=dt.date.today())
    parent = Participant.get(Participant.kind == "guardian")
    Action.create(meeting=w["meeting"], description="Actie van de ouder", owner=parent, due_date=dt.date.today())
    html = guest.get(f"/gast/{w['token']}").get_data(as_text=True)
    assert "Samenvatting van het MDO" not in html
    assert "Gezin bezoeken" in html and "Actie van de ouder" not in html
    Meeting.update(report_shared_at=dt.datetime.utcnow()).where(Meeting.id == w["meeting"].id).execute()
    assert "Samenvatting van het MDO" in guest.get(f"/gast/{w['token']}").get_data(as_text=True)
    assert AuditEvent.select().where(AuditEvent.action == "guest.report.view").count() == 1


def test_opening_a_link_ends_a_staff_login_and_leaving_ends_the_guest_session(app, world, auth, client):
    """One browser, one identity: a staff user who opens a share link is logged out and confined like a guest;
    'Afsluiten' ends the guest session, after which the login page is reachable again."""
    w = world
    auth.login(w["care"].email)
    assert client.get("/leerlingen/").status_code == 200
    assert client.get(f"/gast/{w['token']}").status_code == 200
    assert client.get("/leerlingen/").status_code == 404
    assert client.get("/login").status_code == 404
    assert client.post(f"/gast/{w['token']}/afsluiten").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/leerlingen/").status_code == 302
