"""What a new user trips over: labels, local time, the transition form, consent,
the meetings list, sector wording, the favicon."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

import pytest
import time_machine

from portal import demo, tokens
from portal.auth.models import User
from portal.consent.models import Consent
from portal.db import utcnow
from portal.meetings.models import Meeting, Participant
from portal.route.models import Traject
from portal.schools.models import School
from portal.sharing.models import ShareLink
from portal.students.models import Guardian, Student
from tests import factories

# Internal keys a user must never read: word_word, word.word (not e-mail addresses, hosts or file names),
# a seed reference, "Object 8".
INTERNAL = [
    re.compile(r"\b[a-z]+_[a-z_]+\b"),
    re.compile(r"(?<![@\w.])[a-z]+\.[a-z_]+(?:\.[a-z_]+)*\b(?![@\w.-]*@)"),
    re.compile(r"seed 0"),
    re.compile(r"\bObject \d"),
]
_EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")
_FILE = re.compile(r"\b[\w-]+\.(pdf|png|jpe?g|docx?|ics|nl|com|org)\b")


def visible_text(page: str) -> str:
    """The text a reader sees: no tags, attributes, scripts or <code> (deliberately technical names)."""
    page = re.sub(r"<(script|style|code)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    text = html_module.unescape(page)
    return _FILE.sub(" ", _EMAIL.sub(" ", text))


def internal_keys(page: str) -> list[str]:
    text = visible_text(page)
    return sorted({m.group(0) for pattern in INTERNAL for m in pattern.finditer(text)})


@pytest.fixture
def demo_data(app, monkeypatch):
    monkeypatch.setenv(demo.PASSWORD_ENV, factories.DEMO_PASSWORD)
    demo.load(echo=lambda *_: None)
    return {"vo": School.get(School.brin == demo.VO.brin), "po": School.get(School.brin == demo.PO.brin)}


def _guest_reads_report(client_factory, meeting: Meeting) -> Participant:
    """Pieter Smit of GGD Drenthe opens his share link and reads the shared report (through the real guest pages)."""
    person = Participant.create(meeting=meeting, kind="external", name="Pieter Smit", organisation="GGD Drenthe",
                                email="p.smit@ggd.demo.nl")
    chair = User.get_by_id(meeting.chair_id)
    # A parent's consent names the parent with gezag (one naming nobody does not count).
    parent = Guardian.get((Guardian.student == meeting.student_id) & Guardian.has_authority)
    Consent.create(student=meeting.student_id, given_by="guardian", guardian=parent, purpose="overleg",
                   recipient="GGD Drenthe", given_on=dt.date(2020, 1, 1), recorded_by=chair)
    Meeting.update(report_shared_at=utcnow()).where(Meeting.id == meeting.id).execute()
    token = tokens.new_token()
    ShareLink.create(meeting=meeting, participant=person, token_hash=tokens.digest(token), created_by=chair)
    guest = client_factory()
    page = guest.get(f"/gast/{token}")
    assert page.status_code == 200
    return person


def test_demo_pages_show_no_internal_keys(app, client, demo_data):
    """The dossier, inzage, route and beheer pages of the demo data show labels, never an
    internal key (meeting_report, entry.view, seed 004, core.digest, Object 8) and no English hook texts."""
    vo = demo_data["vo"]
    held = Meeting.select().where(Meeting.school == vo).order_by(Meeting.starts_at).first()
    _guest_reads_report(app.test_client, held)

    factories.login(client, f"zorg@{demo.VO.domain}", factories.DEMO_PASSWORD)
    traject_students = list(Student.select().join(Traject).where(Student.school == vo))
    pages = {}
    for student in {s.id: s for s in traject_students + [held.student]}.values():
        timeline = client.get(f"/leerlingen/{student.id}/dossier")
        pages[f"dossier {student.id}"] = timeline
        for entry_id in re.findall(rf"/leerlingen/{student.id}/dossier/(\d+)\"", timeline.get_data(as_text=True)):
            pages[f"entry {entry_id}"] = client.get(f"/leerlingen/{student.id}/dossier/{entry_id}")
        pages[f"traject {student.id}"] = client.get(f"/leerlingen/{student.id}/traject")
        pages[f"toestemmingen {student.id}"] = client.get(f"/leerlingen/{student.id}/toestemmingen")
    client.get(f"/overleg/{held.id}")  # a staff read of the meeting, so the inzage-log has one
    pages["inzage"] = client.get(f"/leerlingen/{held.student_id}/inzage")
    pages["overleg"] = client.get("/overleg")
    pages["route"] = client.get("/ondersteuningsroute")
    client.post("/logout")
    factories.login(client, f"ib@{demo.PO.domain}", factories.DEMO_PASSWORD)  # and the primary school's route pages
    for traject in list(Traject.select().join(Student).where(Student.school == demo_data["po"])):
        pages[f"po dossier {traject.student_id}"] = client.get(f"/leerlingen/{traject.student_id}/dossier")
        pages[f"po traject {traject.student_id}"] = client.get(f"/leerlingen/{traject.student_id}/traject")
        pages[f"po inzage {traject.student_id}"] = client.get(f"/leerlingen/{traject.student_id}/inzage")
    pages["po leerlingen"] = client.get("/leerlingen/")
    client.post("/logout")
    factories.login(client, f"admin@{demo.SWV_DOMAIN}", factories.DEMO_PASSWORD)
    pages["plugins"] = client.get("/beheer/plugins")
    pages["herinneringen"] = client.get("/beheer/herinneringen")

    found = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        keys = internal_keys(response.get_data(as_text=True))
        if keys:
            found[name] = keys
    assert not found, found
    assert len([n for n in pages if n.startswith("entry")]) >= 3

    inzage = visible_text(pages["inzage"].get_data(as_text=True))
    day = held.starts_at.strftime("%d-%m")
    assert "Pieter Smit (GGD Drenthe) via gedeelde link" in inzage
    assert f"las het verslag van {day}" in inzage
    route_pages = " ".join(visible_text(pages[k].get_data(as_text=True)) for k in pages if k.startswith("traject"))
    assert "Bron: Ondersteuningsroute SWV 22.02, §2" in " ".join(route_pages.split())
    plugins = pages["plugins"].get_data(as_text=True)
    assert "Ondersteuningsroutes die de plugin definieert." in plugins and "Support routes" not in plugins


def test_internal_key_check_catches_what_it_must():
    """The standing check itself finds internal keys such as these (and ignores e-mail and files)."""
    sample = ("<p>meeting_report · entry.view (entry 159) · Bron: seed 004 · core.digest · Object 8</p>"
              "<p>jan@school.demo.nl verslag.pdf <code>register_routes</code></p>")
    assert internal_keys(sample) == ["Object 8", "core.digest", "entry.view", "meeting_report", "seed 0"]


# --- Europe/Amsterdam everywhere ----------------------------------------------------------------------------


@pytest.mark.parametrize("moment, local_hour", [
    (dt.datetime(2026, 1, 15, 12, 5), "13:05"),  # winter: CET, UTC+1
    (dt.datetime(2026, 7, 15, 12, 5), "14:05"),  # summer: CEST, UTC+2
])
def test_every_page_shows_amsterdam_time(client, auth, vo_world, moment, local_hour):
    """A dossier note, a route step and the inzage-log written at 12:05 UTC show 13:05 in
    winter and 14:05 in summer, on the timeline, the entry page, the traject page and the inzage-log."""
    student = vo_world["student"]
    with time_machine.travel(moment.replace(tzinfo=dt.UTC), tick=False):
        auth.login(vo_world["zorg"].email)
        assert client.post(f"/leerlingen/{student.id}/dossier/nieuw", data={
            "section": "support", "kind": "note", "title": "Gesprek met Daan",
            "body": "Daan vertelt over zijn week."}).status_code == 303
        assert client.post(f"/leerlingen/{student.id}/traject/overgang", data={
            "action": "start", "signal": "Daan trekt zich terug in de klas."}).status_code == 303
        timeline = client.get(f"/leerlingen/{student.id}/dossier").get_data(as_text=True)
        entry_id = re.search(rf"/leerlingen/{student.id}/dossier/(\d+)\"", timeline).group(1)
        pages = {
            "timeline": timeline,
            "entry": client.get(f"/leerlingen/{student.id}/dossier/{entry_id}").get_data(as_text=True),
            "traject": client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True),
            "inzage": client.get(f"/leerlingen/{student.id}/inzage").get_data(as_text=True),
        }
    stamp = f"{moment:%d-%m-%Y} {local_hour}"
    for name, page in pages.items():
        assert stamp in page, name
        assert f"{moment:%d-%m-%Y} 12:05" not in page, name


def test_clock_shows_meeting_times_as_agreed():
    """A meeting time is stored as Amsterdam wall-clock time and shown unchanged."""
    from portal import clock

    assert clock.show(dt.datetime(2026, 7, 1, 14, 30), stored=clock.LOCAL_STORED) == "01-07-2026 14:30"
    assert clock.show(dt.datetime(2026, 7, 1, 14, 30)) == "01-07-2026 16:30"
    assert clock.show(dt.datetime(2026, 12, 31, 23, 30), "date") == "01-01-2027"
    assert clock.show(dt.date(2026, 3, 29), "date") == "29-03-2026"


# --- one rule for leaving a phase, and a form that shows what the chosen action needs ----------------------


def test_leaving_an_unevaluated_phase_has_one_rule_and_one_named_way():
    """From an unevaluated phase, 'next', 'skip' to the next phase and 'skip' over two phases are
    all refused with the same advice (evaluate first), which then works; only acute nood leaves unevaluated."""
    from portal.route.engine import Action, apply, check, new_traject
    from tests.factories import EVAL, SIGNAL, TOY_ROUTE, WHY

    started = apply(new_traject(TOY_ROUTE), Action.START, data=SIGNAL)
    attempts = {"next": (Action.ADVANCE, None), "skip to next": (Action.SKIP, "t.b"), "skip two": (Action.SKIP, "t.d")}
    for name, (action, target) in attempts.items():
        reasons = check(started, action, target, WHY)
        assert len(reasons) == 1, (name, reasons)
        assert "nog niet geëvalueerd" in reasons[0] and "Leg eerst de evaluatie vast" in reasons[0], name
        assert reasons[0].field == "action"

    evaluated = apply(started, Action.EVALUATE, data=EVAL)
    assert apply(evaluated, Action.ADVANCE).current == "t.b"  # the advice for 'next' works
    assert apply(evaluated, Action.SKIP, "t.d", WHY).current == "t.d"  # and for 'skip two'
    [advice] = check(evaluated, Action.SKIP, "t.b", WHY)  # skipping to the next phase skips nothing
    assert "Kies 'Naar de volgende fase'" in advice and apply(evaluated, Action.ADVANCE).current == "t.b"
    assert apply(started, Action.ESCALATE, "t.c", WHY).current == "t.c"  # acute nood: without evaluation


def _traject(client, student):
    return client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True)


def _field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]+)</p>', page)
    return html_module.unescape(found.group(1)) if found else ""


def test_transition_errors_appear_next_to_their_field(client, auth, vo_world):
    """A refused step shows each reason beside the field it concerns, keeps what was typed,
    and the form groups its fields per action with a legend (all visible without JavaScript)."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    page = _traject(client, student)
    assert re.search(r'<fieldset data-actions="start">\s*<legend>Bij de start</legend>', page)
    assert client.post(f"/leerlingen/{student.id}/traject/overgang", data={"action": "start"}).status_code == 422
    refused = client.post(f"/leerlingen/{student.id}/traject/overgang", data={"action": "start", "signal": " "})
    assert "Beschrijf het signaal" in _field_error(refused.get_data(as_text=True), "signal")

    client.post(f"/leerlingen/{student.id}/traject/overgang", data={"action": "start", "signal": "Daan is stil."})
    refused = client.post(f"/leerlingen/{student.id}/traject/overgang",
                          data={"action": "advance"}).get_data(as_text=True)
    assert "nog niet geëvalueerd" in _field_error(refused, "action")
    refused = client.post(f"/leerlingen/{student.id}/traject/overgang", data={
        "action": "stop", "justification": "kort"}).get_data(as_text=True)
    assert "Kies een reden om te stoppen" in _field_error(refused, "reason")
    assert "Licht het stoppen toe" in _field_error(refused, "justification")
    assert re.search(r">\s*kort</textarea>", refused)  # nothing typed is lost
    for group in ('data-actions="advance skip escalate"', 'data-actions="stop"', 'data-actions="skip escalate stop"'):
        assert group in refused
    scripts = re.findall(r"<script\b[^>]*>", refused)
    assert scripts and all("src=" in tag for tag in scripts)  # no inline script (CSP)
    assert "/static/js/transition-form.js" in refused
    assert client.get("/static/js/transition-form.js").status_code == 200


# --- the running phase, and a stopped traject ------------------------------------------------------------


def test_running_phase_and_stopped_traject_read_as_what_they_are(client, auth, vo_world):
    """The phase in progress reads "loopt nu" (not "doorlopen"); a stopped traject offers one way
    on ("Nieuw traject starten", no "Nieuwe cyclus") and no editable plan."""
    student = vo_world["student"]
    auth.login(vo_world["zorg"].email)
    client.post(f"/leerlingen/{student.id}/traject/overgang", data={"action": "start", "signal": "Daan is stil."})
    page = _traject(client, student)
    assert "loopt nu" in page and "doorlopen" not in page
    assert "Plan en evaluatie van deze fase" in page
    assert client.post(f"/leerlingen/{student.id}/traject/overgang", data={
        "action": "stop", "reason": "goal_reached",
        "justification": "Daan maakt zijn huiswerk weer zelfstandig af."}).status_code == 303
    page = _traject(client, student)
    options = re.findall(r'<option[^>]*value="([a-z_]+)"', page.split('name="action"')[1].split("</select>")[0])
    assert options == ["start"]
    assert "Nieuw traject starten" in page and "Nieuwe cyclus starten" not in page
    assert "Plan opslaan" not in page and "Plan en evaluatie van deze fase" not in page


# --- consent for the student's own route, recipient picked from the meeting -------------------------------


def test_consent_offers_the_students_route_and_the_meetings_recipients(app, client, demo_data):
    """The purposes are those of the student's own route, each once (no PO types at a VO
    school); the recipient is picked from the outside participants of the student's meetings, so the consent
    matches the meeting exactly and its share link is no longer blocked."""
    from portal.sharing import services as sharing

    held = Meeting.select().where(Meeting.school == demo_data["vo"]).order_by(Meeting.starts_at).first()
    outsider = Participant.get((Participant.meeting == held.id) & (Participant.kind == "external"))
    factories.login(client, f"zorg@{demo.VO.domain}", factories.DEMO_PASSWORD)
    url = f"/leerlingen/{held.student_id}/toestemmingen"
    page = client.get(url).get_data(as_text=True)
    purposes = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>',
                          page.split('name="purpose"')[1].split("</select>")[0])
    keys = [k for k, _label in purposes]
    labels = [html_module.unescape(label).strip().casefold() for _key, label in purposes]
    assert "overleg" in keys and held.type_key in keys
    assert not [k for k in keys if k.startswith("po.")] and len(labels) == len(set(labels))
    registry = app.extensions["registry"]
    with app.test_request_context():  # sharing, the application types and the OPP are purposes too
        from portal.applications import services as applications

        others = {"overleg", "delen", "opp.handelingsdeel"} | {t.key for t in applications.available_types(held.student)}
    assert {"delen", "opp.handelingsdeel", "vo.tlv_vso"} <= set(keys)
    assert set(keys) - others <= set(registry.routes["drenthe.route"].meeting_type_keys())
    drenthe = registry.routes["drenthe.route"]
    requests = {k for k in drenthe.form_keys() if getattr(registry.forms[k], "consent_purpose", False)}
    assert requests and requests <= set(keys)  # a DOA VO or RET request needs a consent of its own
    assert f'value="{outsider.organisation}"' in page.split('name="known_recipient"')[1].split("</select>")[0]

    with app.test_request_context():
        assert sharing.refusal(held, outsider) is not None  # blocked before
    meeting_page = client.get(f"/overleg/{held.id}").get_data(as_text=True)
    prefilled = html_module.unescape(re.search(r'class="consent-link" href="([^"]+)"', meeting_page).group(1))
    form = client.get(prefilled).get_data(as_text=True)
    for value in (held.type_key, outsider.organisation):
        assert re.search(rf'<option selected value="{re.escape(value)}"|<option value="{re.escape(value)}" selected',
                         form), value
    guardian = held.student.guardians.where(Student.guardians.rel_model.has_authority).first()
    response = client.post(url, data={"given_by": f"guardian:{guardian.id}", "purpose": held.type_key,
                                      "known_recipient": outsider.organisation, "recipient": "",
                                      "given_on": dt.date.today().isoformat(), "valid_until": ""})
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    assert Consent.get(Consent.student == held.student_id).recipient == outsider.organisation
    with app.test_request_context():
        assert sharing.refusal(held, outsider) is None  # the share link can be made now

    neither = client.post(url, data={"given_by": f"guardian:{guardian.id}", "purpose": "overleg",
                                     "known_recipient": "", "recipient": " ", "given_on": "2026-01-05"})
    assert neither.status_code == 422
    assert "Kies de organisatie die de gegevens mag ontvangen" in neither.get_data(as_text=True)


# --- held meetings, the plan button, the leerkracht, the favicon --------------------------------------------


def test_meetings_list_shows_held_meetings_with_filters(client, demo_data):
    """/overleg lists coming meetings by default and held ones on request (latest first, with
    the state of the report), filtered by meeting type and student; the traject has an "Overleg plannen" button."""
    vo = demo_data["vo"]
    meetings = list(Meeting.select().where(Meeting.school == vo).order_by(Meeting.starts_at))
    held, coming = meetings[0], meetings[-1]
    factories.login(client, f"zorg@{demo.VO.domain}", factories.DEMO_PASSWORD)

    def shown(query=""):
        page = client.get(f"/overleg{query}").get_data(as_text=True)
        return {int(i) for i in re.findall(r'href="/overleg/(\d+)"', page)}, page

    ids, _page = shown()
    assert coming.id in ids and held.id not in ids
    ids, page = shown("?periode=gehouden")
    assert held.id in ids and coming.id not in ids and "verslag vastgesteld" in page
    ids, _page = shown("?periode=alle")
    assert {held.id, coming.id} <= ids
    ids, _page = shown(f"?periode=alle&soort={held.type_key}")
    assert held.id in ids and all(Meeting.get_by_id(i).type_key == held.type_key for i in ids)
    ids, _page = shown(f"?periode=alle&q={held.student.last_name.split()[-1]}")
    assert held.id in ids and coming.id not in ids or coming.student.last_name == held.student.last_name
    fragment = client.get("/overleg?periode=gehouden", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="meeting-results"')

    traject = client.get(f"/leerlingen/{held.student_id}/traject").get_data(as_text=True)
    assert f'href="/leerlingen/{held.student_id}/overleg/nieuw"' in traject and "Overleg plannen" in traject


def test_meeting_type_filter_offers_the_schools_own_route_once(client, demo_data):
    """The type filter of /overleg offers the meeting types of the
    school's own route, each label once; a primary school sees no secondary or Drenthe types."""
    factories.login(client, f"ib@{demo.PO.domain}", factories.DEMO_PASSWORD)
    page = client.get("/overleg").get_data(as_text=True)
    select = re.search(r'<select id="soort".*?</select>', page, re.S)[0]
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select)
    assert options and all(key.startswith("po.") for key, _label in options), options
    labels = [label for _key, label in options]
    assert len(labels) == len(set(labels))


def test_primary_student_list_names_the_leerkracht(client, demo_data):
    """In primary education the column is "Leerkracht" (a word from the po plugin's route, not
    a sector check in the core) and shows the group's teacher; the filter finds the teacher's pupils."""
    factories.login(client, f"ib@{demo.PO.domain}", factories.DEMO_PASSWORD)
    page = client.get("/leerlingen/").get_data(as_text=True)
    header = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert "Leerkracht" in header and "Mentor" not in header
    teacher = User.get(User.email == f"leerkracht2@{demo.PO.domain}")
    assert teacher.name in page.split("<tbody>")[1]
    filtered = client.get(f"/leerlingen/?mentor={teacher.id}").get_data(as_text=True)
    assert "0 leerlingen gevonden" not in filtered and teacher.name in filtered.split("<tbody>")[1]
    client.post("/logout")
    factories.login(client, f"zorg@{demo.VO.domain}", factories.DEMO_PASSWORD)
    header = re.findall(r'<th scope="col">([^<]+)</th>', client.get("/leerlingen/").get_data(as_text=True))
    assert "Mentor" in header and "Leerkracht" not in header


def test_favicon(client):
    """The portal has a favicon, linked from the pages and at /favicon.ico."""
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/login").get_data(as_text=True)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
