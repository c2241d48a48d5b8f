"""Stored HTML injection. Every free-text field of every model holds a payload; every page and
htmx fragment reachable by every demo role, the meeting PDF (the HTML fed to WeasyPrint) and every mail must show
it escaped (HTML) or as literal text (plain-text mail), never as markup and never evaluated as a template.

The field table is exhaustive: a new CharField or TextField fails test_every_text_field_is_classified until it is
listed as free text (gets the payload) or as a key (an internal value a form never takes as free text).
"""

from __future__ import annotations

import ast
import csv
import io
import email
import pathlib

import peewee as pw
import pytest

from portal import demo
from portal.db import BaseModel
from portal import pdf
from portal.students.models import Guardian, Student
from tests import factories, walk
from tests.forms import harvest

pytestmark = pytest.mark.usefixtures("fast_hashing")

# Distinctive payloads: a redirecting meta tag, an attribute break-out with an event handler, template syntax.
META = '<meta http-equiv=refresh content="0;url=//evil.example">'
SVG = '"><svg onload=alert(1)>'
SSTI = "X7{{7*7}}"
FORMULA = "="  # a spreadsheet formula's start: every payload opens with it, so a CSV cell must neutralise it
BIDI = "\u202e"  # a right-to-left override: shown as stored it turns a name around ("B1\u202egpj.pdf")
RAW = ("<meta http-equiv=refresh", "<svg onload=alert(1)>", BIDI)
EVALUATED = "X749"
PASSWORD = factories.DEMO_PASSWORD

# model name -> free-text fields (filled with the payload)
FREE_TEXT = {
    "Action": ["description"], "AgendaItem": ["title"], "Attachment": ["filename"], "Consent": ["recipient"],
    "Contribution": ["text"], "Entry": ["title", "body", "withdrawn_reason"], "Group": ["name"],
    "Guardian": ["name", "relation", "address"], "Meeting": ["location", "cancel_reason"], "MeetingSession": ["title", "location"],
    "Notification": ["title"], "OutboxMail": ["subject", "body", "error"],
    "Participant": ["name", "organisation", "role"],
    "PhaseVisit": ["note", "goals", "interventions", "worked", "not_worked", "parent_view", "student_view",
                   "next_steps"],
    "Report": ["summary", "parent_view", "student_view", "decisions"], "School": ["name"],
    "SchoolPhaseSetting": ["label"], "Student": ["first_name", "last_name"], "Traject": ["signal"],
    "Transition": ["justification"], "User": ["name", "organisation"], "SchedulerRun": ["detail"], "SchedulerProblem": ["message"],
    "Advice": ["text", "signed_name"], "Advisor": ["organisation"], "Application": ["receiving_school"],
    "ApplicationStep": ["reason"], "Signature": ["name", "view"],
    "Objection": ["filer_name", "grounds", "late_reason", "excusable_reason", "committee_reference",
                  "committee_advice", "extension_reason", "outcome_motivation"],
    "SwvSettings": ["name", "address", "objection_address", "signatory", "signatory_role"],
    "Opp": ["perspective_level", "rationale", "promoting_factors", "hindering_factors", "consultation_with",
            "support", "deviation"], "OppResponse": ["name", "view"], "OppEvaluation": ["with_whom", "outcome"],
}
# model name -> internal values: keys, hashes, addresses, JSON, validated formats (BRIN, school year, e-mail, URL)
KEYS = {
    "Attachment": ["content_type", "sha256", "storage_name"],
    "AuditEvent": ["actor_type", "action", "kind", "object_type", "ip"], "AuthToken": ["purpose", "token_hash"],
    "Consent": ["given_by", "purpose"], "Entry": ["section", "kind", "source_type"], "Group": ["school_year"],
    "Guardian": ["email", "phone"], "LoginThrottle": ["key"],
    "Meeting": ["phase_key", "type_key", "video_url", "status", "ical_uid"], "Membership": ["role"],
    "Notification": ["kind", "link", "event_key"], "NotificationPreference": ["mail"], "OutboxMail": ["recipient", "pending_message"], "RateLimit": ["key"],
    "UserSession": ["key_hash", "end_reason"], "IdempotencyKey": ["key", "url"],
    "SecondFactor": ["secret"], "RecoveryCode": ["code_hash"],  # encrypted, hashed
    "SchedulerProblem": ["job", "kind", "object_id", "link"],
    "Participant": ["kind", "email", "outside_kind"], "PhaseVisit": ["phase_key", "status"],
    "ReminderClaim": ["kind", "object_id", "link"], "Report": ["status", "opp"], "Revision": ["object_type", "data"],
    "RouteVersion": ["route_key", "version", "digest", "snapshot"], "SchedulerRun": ["job"],
    "SchemaMigration": ["namespace", "name"], "School": ["brin", "sector", "school_type"],
    "SchoolPhaseSetting": ["route_key", "phase_key", "meeting_types"], "ShareCode": ["code_hash"],
    "ShareLink": ["token_hash"], "Student": ["student_number", "gender", "bsn"],
    "Traject": ["status", "current_phase", "entry_point", "stop_reason"],
    "Transition": ["action", "from_phase", "to_phase", "data"],
    "User": ["email", "password_hash", "locale"],
    "Advice": ["need", "conclusion"], "Advisor": ["profession"], "Objection": ["filed_by", "outcome"],
    "Application": ["type_key", "status", "decision", "data", "decision_data"],  # data: JSON of the type's form
    "ApplicationStep": ["action", "from_status", "to_status"], "SharedItem": ["need"], "SwvSettings": ["email"],
    "Opp": ["perspective_direction", "otv_reason", "goals"],  # goals: JSON per domain
    "OppResponse": ["handelingsdeel"],  # a fingerprint
}
# Static files hold no data.
SKIP_ENDPOINTS = {"static"}


def payload_for(field) -> str:
    full = FORMULA + SSTI + SVG + BIDI + META
    limit = getattr(field, "max_length", None)
    limit = None if limit is None else limit - 10  # room for the row id
    if limit is None or limit >= len(full):
        return full
    short = FORMULA + SSTI + SVG
    assert limit >= len(short), f"{field.model.__name__}.{field.name} is too short for a payload: list it in KEYS"
    return short


def _models():
    def subs(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subs(sub)
    return sorted(set(subs(BaseModel)), key=lambda m: m.__name__)


def _text_fields(model):
    return [name for name, f in model._meta.fields.items() if isinstance(f, (pw.CharField, pw.TextField))]


def unescaped(text: str) -> list[str]:
    found = [raw for raw in RAW if raw in text]
    if EVALUATED in text:
        found.append(EVALUATED)
    return found


def formula_cells(text: str) -> list[str]:
    """Cells of a CSV download that a spreadsheet would run as a formula (=, +, -, @ first)."""
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row
            if cell[:1] in ("=", "+", "-", "@")]


def test_every_text_field_is_classified(app):
    """Each CharField/TextField is either free text (the payload suite fills it) or a key."""
    missing = []
    for model in _models():
        for name in _text_fields(model):
            free, key = name in FREE_TEXT.get(model.__name__, ()), name in KEYS.get(model.__name__, ())
            if free == key:
                missing.append(f"{model.__name__}.{name}")
    assert not missing, f"list these fields in FREE_TEXT or KEYS of tests/test_payloads.py: {missing}"


def test_no_lazy_string_is_formatted_with_data():
    """A lazily translated string counts as safe markup (flask_babel's LazyString has __html__),
    so it may only be formatted with constants. Any ``_l(..., name=<expression>)`` outside upper-case constants
    would print its data unescaped; this scans the sources for it."""
    root = pathlib.Path(__file__).resolve().parent.parent
    offenders = []
    for path in [*root.glob("portal/**/*.py"), *root.glob("plugins/**/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_l", "lazy_gettext"):
                for kw in node.keywords:
                    value = kw.value
                    if not (isinstance(value, ast.Constant) or (isinstance(value, ast.Name) and value.id.isupper())):
                        offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not offenders, offenders


def test_guardian_name_in_consent_choice_is_escaped(app, client, auth):
    """The reported case: a guardian's name typed in the guardian form is printed escaped in
    the 'Gegeven door' list of the consent form, so a <meta http-equiv=refresh> cannot redirect the coordinator."""
    school = factories.school()
    care = factories.user("zorg", school)
    student = factories.student(school)
    auth.login(care.email)
    name = META + SVG
    response = client.post(f"/leerlingen/{student.id}/verzorgers/nieuw",
                           data={"name": name, "relation": "moeder", "has_authority": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert Guardian.get((Guardian.student == student.id) & (Guardian.name == name))
    html = client.get(f"/leerlingen/{student.id}/toestemmingen").get_data(as_text=True)
    assert "&lt;meta http-equiv=refresh" in html
    assert not unescaped(html)


def _fill(model) -> int:
    """Every free-text field of every row of the model gets the payload (kept within the field's length)."""
    names = FREE_TEXT.get(model.__name__, [])
    if not names:
        return 0
    # The row id at the end keeps unique columns (a group's name per school year) unique.
    values = {model._meta.fields[name]: pw.Value(payload_for(model._meta.fields[name])).concat(model.id)
              for name in names}
    return model.update(values).execute()


@pytest.fixture
def poisoned(app, monkeypatch, smtp):
    """The demo data with a payload in every free-text field; mails go to the SMTP sink and the outbox."""
    monkeypatch.setenv(demo.PASSWORD_ENV, PASSWORD)
    demo.load(echo=lambda line: None)
    # A share link, a contribution and a second version of an entry, made through the forms, so that those
    # pages have something to show.
    from portal.meetings.models import Meeting
    from portal.dossier.models import Entry

    zorg = factories.logged_in(app, "zorg@esker.demo.nl", PASSWORD)
    coming = Meeting.select().where(Meeting.status == "planned").order_by(Meeting.starts_at.desc()).first()
    entry = Entry.select().join(Student).where(Student.school == coming.school).order_by(Entry.id).first()
    response = zorg.post(f"/leerlingen/{entry.student_id}/dossier/{entry.id}/bewerken",
                         data={"section": entry.section, "kind": entry.kind, "title": SSTI + SVG + META,
                               "body": SSTI + SVG + META, "version": entry.version})
    assert response.status_code in (303, 200, 409, 422)
    rows = {model.__name__: _fill(model) for model in _models()}
    # After the payloads: a mail per kind (invitation, update/cancel with .ics, share link, password reset).
    admin = factories.logged_in(app, "admin@swv.demo.nl", PASSWORD)
    admin.post("/wachtwoord-vergeten", data={"email": "mentor@esker.demo.nl"})
    zorg.post(f"/overleg/{coming.id}/annuleren")
    return rows


def test_payload_never_unescaped(app, poisoned, smtp, monkeypatch, backend, record_property):
    """Every GET route (page and htmx fragment) for every demo role and anonymous, the HTML of
    the meeting PDF, and every mail: the payload is escaped in HTML, literal in plain text, never evaluated."""
    assert sum(poisoned.values()) > 100
    assert not walk.unknown_arguments(app), walk.unknown_arguments(app)
    fed_to_pdf: list[str] = []
    real_render = pdf.render
    monkeypatch.setattr(pdf, "render", lambda html, *args: (fed_to_pdf.append(html), real_render(html, *args))[1]
                        if len(fed_to_pdf) < 1 else (fed_to_pdf.append(html), b"%PDF-1.4")[1])
    ctxs, base = walk.contexts(), walk.globals_()
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in SKIP_ENDPOINTS]
    # One account per demo role and school (the second and third mentor of a school see what the first sees).
    actors = [None] + list({(role, tuple(s.key for s in schools)): email
                            for email, _name, role, schools in reversed(demo.ACCOUNTS)}
                           .values())
    checked, shown, wrong = 0, 0, []
    for actor in actors:
        client = factories.logged_in(app, actor, PASSWORD) if actor else app.test_client()
        for rule in rules:
            for url in walk.urls(app, rule, ctxs, base, per_rule=2):
                for headers in ({}, {"HX-Request": "true"}):
                    response = client.get(url, headers=headers)
                    checked += 1
                    body = response.get_data(as_text=True) if response.mimetype.startswith("text/") else ""
                    if response.mimetype == "text/csv":  # a download, never rendered: no formula may start a cell
                        if formula_cells(body):
                            wrong.append(f"{actor or 'anonymous'} GET {url}: CSV cells {formula_cells(body)[:3]}")
                        continue
                    shown += "&lt;svg onload" in body or "&#34;&gt;&lt;svg" in body
                    if response.status_code >= 500 or unescaped(body):
                        wrong.append(f"{actor or 'anonymous'} GET {url} {headers}: {response.status_code} "
                                     f"{unescaped(body)}")
    for html in fed_to_pdf:
        checked += 1
        if unescaped(html):
            wrong.append(f"meeting PDF HTML: {unescaped(html)}")
    mails = [email.message_from_bytes(raw) if isinstance(raw, bytes) else raw for raw in smtp.messages]
    for message in mails:
        for part in message.walk():
            if part.is_multipart():
                continue
            text = part.get_payload(decode=True).decode("utf-8", "replace")
            checked += 1
            if part.get_content_type() == "text/html" and unescaped(text) or EVALUATED in text \
                    or EVALUATED in str(message["Subject"]):
                wrong.append(f"mail {message['Subject']!r} part {part.get_content_type()}: {unescaped(text)}")
    walk.report(record_property, "payloads (pages, fragments, PDF, mail)", backend, checked, len(wrong))
    print(f"\npayloads [{backend}]: {checked} responses/documents checked, {shown} showed the payload escaped, "
          f"{len(fed_to_pdf)} PDF, {len(mails)} mails, {len(wrong)} unescaped")
    assert fed_to_pdf, "the walk rendered no meeting PDF"
    assert mails, "the walk sent no mail"
    assert shown > 100, "the payload was hardly ever shown: the walk does not reach the data"
    assert not wrong, "\n".join(wrong[:50])


def test_payload_typed_into_every_form(app, poisoned, backend, record_property):
    """Every free-text field of every form the portal renders (for staff of both schools and the
    SWV administrator) gets the payload and is submitted; the answer (the form again with its Dutch messages, or
    the page redirected to) shows it escaped, never as markup."""
    staff = []
    for email in ("zorg@esker.demo.nl", "ib@regenboog.demo.nl", "beheerder@esker.demo.nl", "admin@swv.demo.nl"):
        staff.append(factories.logged_in(app, email, PASSWORD))
    texts: dict[str, set] = {}
    forms = harvest(app, staff, texts)
    # Forms that end the session or the actor's access are left out: they would stop the pass, not test it.
    skip = ("/logout", "/uit-dienst", "/afsluiten")
    checked, posted, wrong = 0, 0, []
    for path, variants in sorted(forms.items()):
        names = texts.get(path, set())
        if not names or path.endswith(skip):
            continue
        fields, _files = variants[0]
        for client in staff:
            data = {**fields, **{name: SSTI + SVG + BIDI + META for name in names}}
            response = client.post(path, data=data, follow_redirects=True)
            posted += 1
            for body in (response.get_data(as_text=True),):
                checked += 1
                if response.status_code >= 500 or unescaped(body):
                    wrong.append(f"POST {path} {sorted(names)}: {response.status_code} {unescaped(body)}")
    walk.report(record_property, "payloads (typed into every form)", backend, checked, len(wrong))
    print(f"\npayload forms [{backend}]: {len(forms)} form actions, {posted} posts, {len(wrong)} unescaped")
    assert posted > 20
    assert not wrong, "\n".join(wrong[:50])
