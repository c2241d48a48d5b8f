"""The one home of test builders: schools, staff and students; logging in; trajecten standing in
a phase; meetings planned through the form with their report and attendance; share links with consent, the mailed
token and code; the toy route of the engine tests. Test modules import builders from here, never from each other;
shared fixtures (the ``*_world`` ones) are in tests/fixtures.py. Every user's password is PASSWORD."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import socket
import uuid

import time_machine
from flask import current_app

from portal import clock, policy
from portal.applications import services as application_services
from portal.applications.models import Advisor, Application, SwvSettings
from portal.applications.workflow import Action
from portal.auth.accounts import add_membership, create_user
from portal.consent.models import Consent
from portal.meetings.models import AgendaItem, Meeting, Participant
from portal.dossier.models import Entry
from portal.opp.models import Opp
from portal.route.definition import EntryPoint, Phase, Route
from portal.route.models import PhaseVisit, RouteVersion, Traject
from portal.schools.models import School
from portal.students.models import Group, GroupTeacher, Guardian, Student
from tests.plugin_example import desk_types

PASSWORD = "wachtwoord-123"
DEMO_PASSWORD = "demo-wachtwoord-123"  # the demo data's accounts, loaded with portal.demo in tests
_seq = itertools.count(1)


# --- schools, staff and students -------------------------------------------------------------------------------

def school(name: str = "De Regenboog", sector: str = "PO", brin: str | None = None) -> School:
    n = next(_seq)
    # A BRIN is two digits and two letters: stay in that shape however many schools one test process makes.
    default_brin = f"{n % 100:02d}{chr(65 + n // 100 % 26)}B"
    return School.create(name=f"{name} {n}", brin=brin or default_brin, sector=sector)


def user(role: str | None = None, school_obj: School | None = None, *, is_admin: bool = False, name=None):
    n = next(_seq)
    account = create_user(email=f"user{n}@example.nl", name=name or f"Medewerker {n}", password=PASSWORD,
                          is_admin=is_admin)
    if role and school_obj:
        add_membership(account, school_obj, role)
    return account


def group(school_obj: School, name: str | None = None, teachers=()) -> Group:
    g = Group.create(school=school_obj, name=name or f"groep {next(_seq)}")
    for teacher in teachers:
        GroupTeacher.create(group=g, user=teacher)
    return g


def student(school_obj: School, group_obj: Group | None = None, *, first="Sanne", last="de Vries",
            birth_date=dt.date(2014, 3, 1), mentor=None, number=None) -> Student:
    s = Student.create(school=school_obj, student_number=number or f"{next(_seq):05d}", first_name=first,
                       last_name=last, birth_date=birth_date, group=group_obj, mentor=mentor)
    Guardian.create(student=s, name=f"Ouder van {first}", email=f"ouder{s.id}@example.nl", has_authority=True)
    return s


def school_with_staff(*, personal_mentor: bool = False) -> dict:
    """A school with a mentor (teacher of the student's group), two care coordinators, a beheerder and one
    student, Daan Jansen; with ``personal_mentor`` the mentor is also the student's own mentor."""
    school_obj = school()
    mentor = user("mentor", school_obj, name="Meester Bakker")
    care = user("zorg", school_obj, name="Juf Zorg")
    care2 = user("zorg", school_obj, name="Meneer Tweede")
    admin = user("beheerder", school_obj)
    group_obj = group(school_obj, "Groep 7a", teachers=[mentor])
    pupil = student(school_obj, group_obj, first="Daan", last="Jansen", mentor=mentor if personal_mentor else None)
    return {"school": school_obj, "mentor": mentor, "care": care, "care2": care2, "admin": admin,
            "group": group_obj, "student": pupil}


def po_school() -> dict:
    """De Regenboog (PO): a mentor teaching groep 5, a care coordinator, and Sanne de Vries in that group, with the
    mentor as her own mentor."""
    school_obj = school("De Regenboog", sector="PO")
    mentor = user("mentor", school_obj)
    care = user("zorg", school_obj)
    group_obj = group(school_obj, "groep 5", teachers=[mentor])
    pupil = student(school_obj, group_obj, first="Sanne", last="de Vries", mentor=mentor)
    return {"school": school_obj, "mentor": mentor, "zorg": care, "group": group_obj, "student": pupil}


def vo_school() -> dict:
    """Het Drents College (VO, on the Drenthe route): a care coordinator, a mentor teaching 2B, Daan Bakker in 2B
    and Lotte Smit in no group."""
    school_obj = school("Het Drents College", sector="VO")
    care = user("zorg", school_obj)
    mentor = user("mentor", school_obj)
    group_obj = group(school_obj, "2B", teachers=[mentor])
    pupil = student(school_obj, group_obj, first="Daan", last="Bakker")
    other = student(school_obj, None, first="Lotte", last="Smit")
    return {"school": school_obj, "zorg": care, "mentor": mentor, "student": pupil, "other": other}


def wel_school() -> dict:
    """WEL in Ontwikkeling: the SWV-held "school" record for young people enrolled at no school (seed 004 §2.4).
    An SWV employee holds the file (role zorg there) and leads the DOA VO (role swv there); Noor has no group."""
    school_obj = school("WEL in Ontwikkeling (SWV)", sector="VO")
    keeper = user("zorg", school_obj, name="Medewerker WEL")
    add_membership(keeper, school_obj, "swv")
    pupil = student(school_obj, None, first="Noor", last="Visser", birth_date=dt.date(2010, 5, 1))
    return {"school": school_obj, "keeper": keeper, "student": pupil}


def swv_lead(student_obj, type_key: str = "drenthe.aanvraag_doa_vo", *, status: str = "in_review", handler=None):
    """An SWV user handling a lead request (DOA VO, RET) of this student: they see and move its traject."""
    from portal.applications.models import Application

    handler = handler or user("swv", student_obj.school)
    application = Application.create(student=student_obj, school=student_obj.school_id, type_key=type_key,
                                     status=status, handler=handler, created_by=handler,
                                     submitted_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
    return handler, application


def evaluate_phase(client, student_obj) -> None:
    """Evaluate the traject's current phase through the phase form (goals, what worked, both views)."""
    from portal.route.models import PhaseVisit, Traject

    visit = (PhaseVisit.select().join(Traject).where(Traject.student == student_obj.id)
             .order_by(PhaseVisit.seq.desc()).first())
    response = client.post(f"/leerlingen/{student_obj.id}/traject/fase/{visit.id}", data={
        "version": visit.version, "goals": "Rustig kunnen werken in de klas.", "worked": "Vaste werkplek hielp.",
        "parent_view": "Ouders herkennen het beeld.", "student_view": "Prettiger zo.", "evaluate": "1"})
    assert response.status_code == 303, response.get_data(as_text=True)


def agreed_opp(student_obj, care_user):
    """The student's OPP, agreed by a parent with gezag and registered in the ROD (the demo's, through the OPP's
    services): what the Drenthe route's phase 2.2 (additional support) asks before it is left."""
    from portal import policy
    from portal.opp import demo as opp_demo

    actor = policy.Actor(kind="user", user=care_user, school_id=student_obj.school_id, roles=frozenset({"zorg"}))
    return opp_demo.agreed_opp(student_obj, actor)


def student_form(group_obj: Group, mentor, **changes) -> dict:
    """The student form filled in for a new student, Sem de Boer (L-100), in ``group_obj`` with ``mentor``."""
    data = {"student_number": "L-100", "first_name": "Sem", "last_name": "de Boer", "birth_date": "2015-04-02",
            "gender": "m", "group": str(group_obj.id), "mentor": str(mentor.id), "enrolled_on": "2022-08-20"}
    return {**data, **changes}


# --- logging in through the real login form ---------------------------------------------------------------

def login(client, user_obj, password: str = PASSWORD) -> None:
    """Log ``client`` out, then in as ``user_obj`` (a user or an e-mail address)."""
    client.post("/logout")
    _log_in(client, user_obj, password)


def logged_in(app, user_obj, password: str = PASSWORD):
    """A new browser (test client) logged in as ``user_obj`` (a user or an e-mail address)."""
    client = app.test_client()
    _log_in(client, user_obj, password)
    return client


def _log_in(client, user_obj, password: str) -> None:
    email = getattr(user_obj, "email", user_obj)
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 303, email


# --- files and ports ------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a server a test starts (SMTP sink, portal serve, a built wheel)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- trajecten ------------------------------------------------------------------------------------------------

def traject_step(client, student_obj, action: str, **fields):
    """Post a step (start, advance, skip, escalate, stop, new_cycle) to the traject page's transition form."""
    return client.post(f"/leerlingen/{student_obj.id}/traject/overgang", data={"action": action, **fields})


def enter_phase(student_obj, route_key, phase_key, *, entered, by, evaluation_date=None, status="active"):
    """A traject standing in one phase since ``entered`` (set up directly: the route module tests the moves)."""
    route = current_app.extensions["registry"].routes[route_key]
    traject = Traject.create(student=student_obj, route_version=RouteVersion.for_route(route), status=status,
                             current_phase=phase_key, cycle=0, started_by=by)
    return PhaseVisit.create(traject=traject, seq=0, phase_key=phase_key, cycle=0, status="visited",
                             evaluation_date=evaluation_date, entered_at=entered)


def phase_evaluation(world: dict, date: str = "2027-01-20") -> PhaseVisit:
    """The world's student in the PO route's first phase since 1 December 2026, its evaluation planned on ``date``."""
    return enter_phase(world["student"], "po.route", "po.signaleren", entered=dt.datetime(2026, 12, 1),
                       by=world["mentor"], evaluation_date=dt.date.fromisoformat(date))


def drenthe_route() -> str:
    """The key of the Drenthe plugin's route."""
    return next(k for k in current_app.extensions["registry"].routes if k.startswith("drenthe."))


def at(day: str):
    """Travel to 08:00 UTC of ``day`` (ISO date), with the clock standing still."""
    return time_machine.travel(dt.datetime.fromisoformat(day + "T08:00:00+00:00"), tick=False)


# --- meetings planned through the form (on the meeting_world fixture) -----------------------------------------

def plan_data(world: dict, *, days: int = 7, type_key: str = "drenthe.oudercontact", **overrides) -> dict:
    """The planning form filled in for the world's student: coordinator chairs, mentor takes minutes, a parent,
    the student and an outside professional (Fatima Yilmaz, wijkteam) take part."""
    day = dt.date.today() + dt.timedelta(days=days)
    guardian = Guardian.get(Guardian.student == world["student"].id)
    data = {
        "type_key": type_key, "date": day.isoformat(), "start": "14:30", "duration": "45",
        "location": "Spreekkamer 1", "video_url": "", "chair": str(world["zorg"].id),
        "minute_taker": str(world["mentor"].id), "staff": [str(world["zorg"].id), str(world["mentor"].id)],
        "guardians": [str(guardian.id)], "with_student": "y",
        "externals-0-name": "Fatima Yilmaz", "externals-0-organisation": "Wijkteam Assen",
        "externals-0-role": "wijkcoach", "externals-0-email": "f.yilmaz@wijkteam.example.nl",
        "agenda": "Hoe gaat het thuis\nAfspraken over huiswerk", "session": "0", "new_session": "",
    }
    data.update(overrides)
    return data


def plan_meeting(client, world: dict, **overrides) -> Meeting:
    """Plan through the form; ``days`` < 0 plans it ahead, then moves it back in the database: a meeting that was
    held (the portal refuses planning in the past)."""
    days = overrides.pop("days", 7)
    response = client.post(f"/leerlingen/{world['student'].id}/overleg/nieuw",
                           data=plan_data(world, days=max(days, 1), **overrides))
    if response.status_code != 303:
        from tests.conftest import form_errors  # not at the top: conftest imports this module's fixtures' module

        raise AssertionError(form_errors(response.get_data(as_text=True)))
    meeting = Meeting.get_by_id(int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1]))
    if days < 1:
        start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=days), dt.time(14, 30))
        Meeting.update(starts_at=start).where(Meeting.id == meeting.id).execute()
        meeting = Meeting.get_by_id(meeting.id)
    return meeting


def report_data(meeting: Meeting, version: int, **fields) -> dict:
    """The report form of a planned meeting: summary, views, decisions and two actions (the chair's and the outside
    professional's), based on ``version``."""
    owners = {p.kind: p.id for p in Participant.select().where(Participant.meeting == meeting.id)
              if p.role != "notulist"}  # staff: the chair
    due = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    data = {
        "version": str(version), "summary": "Daan loopt vast bij plannen.",
        "parent_view": "Moeder ziet thuis hetzelfde.", "student_view": "Daan wil een weekplanner.",
        "decisions": "Mentor begeleidt het plannen wekelijks.", "next_evaluation_date": due, "opp": "draw_up",
        "actions-0-action_id": "", "actions-0-description": "Weekplanner invoeren",
        "actions-0-owner": str(owners["staff"]), "actions-0-due_date": due,
        "actions-1-action_id": "", "actions-1-description": "Gesprek thuis over rust",
        "actions-1-owner": str(owners["external"]), "actions-1-due_date": due,
        "actions-2-action_id": "", "actions-2-description": "", "actions-2-owner": "0", "actions-2-due_date": "",
    }
    data.update(fields)
    return data


def record_attendance(client, meeting: Meeting, absent: int = 0) -> None:
    """Attendance comes before a final report: everyone present but the last ``absent``."""
    ids = [p.id for p in Participant.select().where(Participant.meeting == meeting.id).order_by(Participant.id)]
    present = ids[:len(ids) - absent]
    assert client.post(f"/overleg/{meeting.id}/aanwezigheid",
                       data={"present": [str(i) for i in present]}).status_code == 303


# --- share links (on a meeting made directly in the database) ---------------------------------------------------

def build_meeting(days_ahead: float = 3, type_key: str = "po.mdo") -> dict:
    """A school with a chair (mentor), a care coordinator, a student, and an MDO with an outside participant."""
    school_obj = school()
    chair = user("mentor", school_obj, name="Meester Voorzitter")
    care = user("zorg", school_obj, name="Juf Zorg")
    group_obj = group(school_obj, teachers=[chair])
    pupil = student(school_obj, group_obj, first="Daan", last="Jansen")
    starts = (dt.datetime.now() + dt.timedelta(days=days_ahead)).replace(second=0, microsecond=0)
    meeting = Meeting.create(school=school_obj, student=pupil, type_key=type_key, starts_at=starts,
                             location="Lokaal 12", chair=chair, created_by=chair, ical_uid=uuid.uuid4().hex)
    AgendaItem.create(meeting=meeting, position=1, title="Opening en kennismaking")
    AgendaItem.create(meeting=meeting, position=2, title="Zorgen over de thuissituatie")
    Participant.create(meeting=meeting, kind="staff", user=chair, name=chair.name, role="voorzitter")
    external = Participant.create(meeting=meeting, kind="external", name="Petra Wijk",
                                  organisation="Wijkteam Assen", role="wijkteam", email="petra@wijkteam.example")
    return {"school": school_obj, "chair": chair, "care": care, "student": pupil, "meeting": meeting,
            "external": external}


def give_consent(s: dict, purpose: str = "overleg", recipient: str = "Wijkteam Assen") -> Consent:
    """The guardian's consent, given yesterday, to share with ``recipient`` for ``purpose``."""
    guardian = s["student"].guardians.first()
    return Consent.create(student=s["student"], given_by="guardian", guardian=guardian, purpose=purpose,
                          recipient=recipient, given_on=dt.date.today() - dt.timedelta(days=1),
                          recorded_by=s["care"])


def create_link(client, s: dict, code: bool = False):
    """Post the form that makes (and mails) the outside participant's link."""
    data = {"code_required": "y"} if code else {}
    return client.post(f"/overleg/{s['meeting'].id}/links/deelnemer/{s['external'].id}", data=data)


def mailed_link(client, s: dict, smtp, *, code: bool = False) -> str:
    """The link made by whoever is logged in on ``client`` (consent given): the token from the mail it sent."""
    sent = len(smtp.messages)
    assert create_link(client, s, code=code).status_code == 303
    smtp.wait_for(sent + 1)
    return token_from(smtp)


def token_from(smtp, index: int = -1) -> str:
    """The share-link token in a received mail (the last one by default)."""
    return re.search(r"/gast/([A-Za-z0-9_-]+)", smtp.body(smtp.messages[index])).group(1)


def code_from(smtp) -> str:
    """The six-digit code in the last received mail."""
    return re.search(r"\b(\d{6})\b", smtp.body(smtp.messages[-1])).group(1)


def open_with_code(guest, smtp, token: str) -> None:
    """Open the link as a guest, ask for the code and enter it from the received mail."""
    assert guest.get(f"/gast/{token}").status_code == 200
    count = len(smtp.messages)
    assert guest.post(f"/gast/{token}/code").status_code == 303
    smtp.wait_for(count + 1)
    assert guest.post(f"/gast/{token}/code/controle", data={"code": code_from(smtp)}).status_code == 303


# --- the toy route of the engine tests: four phases t.a-t.d and an entry point into t.c -------------------------

TOY_ROUTE = Route(
    key="t.route", label="Testroute", sector="VO", version="1",
    phases=tuple(Phase(f"t.{k}", k.upper(), "doel", ("mentor",), order=10 * (i + 1)) for i, k in enumerate("abcd")),
    entry_points=(EntryPoint("t.ingang", "Ingang", "Zonder school", "t.c", "test"),),
)
SIGNAL = {"signal": "Leerling verzuimt veel en haalt lage cijfers"}
WHY = {"justification": "Veiligheidsrisico thuis; wachten op de tussenliggende fasen schaadt de leerling"}
EVAL = {"evaluation": "Extra begeleiding werkte deels; verzuim bleef"}
STOP = {"reason": "goal_reached", "explanation": "De leerling functioneert weer goed in de klas"}


# --- the OPP over HTTP -------------------------------------------------------------------------------------

OPP_PERSPECTIVE = {"perspective_level": "vmbo kader", "perspective_direction": "vervolgonderwijs",
               "rationale": "Toetsen wijzen op kaderniveau met structuur.", "promoting_factors": "Gemotiveerd.",
               "hindering_factors": "Snel overprikkeld.", "consultation_on": "2026-11-02",
               "consultation_with": "moeder en de leerling"}
OPP_SUPPORT = "Twee keer per week begeleiding bij plannen en een rustige werkplek."


def opp_url(student, suffix=""):
    return f"/leerlingen/{student.id}/opp{suffix}"


def opp_of(student) -> Opp:
    return Opp.get(Opp.student == student.id)


def opp_save(client, student, part, **values):
    return client.post(opp_url(student, f"/{part}"), data={"version": opp_of(student).version, **values})


def opp_drawn_up(client, student, support=OPP_SUPPORT):
    """An OPP with its perspective, consultation and handelingsdeel, but no instemming yet."""
    assert client.post(opp_url(student), data={"support_start": "2026-10-01"}).status_code == 303
    assert opp_save(client, student, "perspectief", **OPP_PERSPECTIVE).status_code == 303
    assert opp_save(client, student, "handelingsdeel", support=support).status_code == 303
    return opp_of(student)


def opp_respond(client, student, who, agrees=True, view="", given_on=None):
    return client.post(opp_url(student, "/instemming"), data={
        "who": str(who), "given_on": given_on or clock.today().isoformat(), "agrees": "ja" if agrees else "nee",
        "view": view})


def opp_page(client, student) -> str:
    return client.get(opp_url(student)).get_data(as_text=True)


def parent_with_gezag(student) -> Guardian:
    return Guardian.get((Guardian.student == student.id) & Guardian.has_authority)


# --- the SWV's desk ----------------------------------------------------------------------------------------

def desk_actor(user, school, role):
    return policy.Actor(kind="user", user=user, school_id=school.id, roles=frozenset({role}))


def desk_world():
    """Two schools with a care coordinator and a student each; the SWV's office with a staff member, the SWV
    administrator, and three deskundigen (an orthopedagoog, a pedagoog and a psycholoog)."""
    office = school("SWV-bureau")
    a, b = school("De Regenboog"), school("Het Kompas")
    care_a, care_b = user("zorg", a, name="Juf Zorg"), user("zorg", b, name="Meester Zorg")
    pupil_a = student(a, first="Daan", last="Jansen")
    pupil_b = student(b, first="Lotte", last="Smit")
    swv = user("swv", office, name="Sara SWV")
    admin = user(is_admin=True, name="Beheer SWV")
    ortho = desk_advisor("Olga Ortho", "orthopedagoog", office)
    peda = desk_advisor("Piet Peda", "pedagoog", office)
    psy = desk_advisor("Paula Psy", "psycholoog", office)
    SwvSettings.create(name="SWV De Brug", address="Postbus 1, 9400 AA Assen",
                                         objection_address="Commissie bezwaar, Postbus 2, 9400 AB Assen",
                                         signatory="J. Directeur", signatory_role="directeur-bestuurder",
                                         email="info@swv.example.nl")
    return {"office": office, "a": a, "b": b, "care_a": care_a, "care_b": care_b, "pupil_a": pupil_a,
            "pupil_b": pupil_b, "swv": swv, "admin": admin, "ortho": ortho, "peda": peda, "psy": psy}


def desk_advisor(name, profession, school):
    account = user("deskundige", school, name=name)
    return Advisor.create(user=account, profession=profession, organisation="Expertisecentrum")


def desk_application(student, care, *, submit=True, secret_too=False) -> Application:
    """A TLV of the student drawn up by the care coordinator: one shared entry (the OPP), the guardian's
    signature, submitted. With ``secret_too`` the dossier holds a second entry and an attachment not shared."""
    actor = desk_actor(care, student.school, "zorg")
    application = Application.create(student=student, school=student.school_id, type_key=desk_types.KEY,
                                     created_by=care, data='{"request": "Kleine groep, veel structuur."}')
    opp = Entry.create(student=student, section="support", title="OPP van Daan", body="Het perspectief: vso.",
                       author=care)
    application_services.share(application, entry_id=opp.id, need="opp", actor=actor)
    if secret_too:
        Entry.create(student=student, section="support", title="Niet gedeeld verslag", body="GEHEIM", author=care)
    guardian = Guardian.get(Guardian.student == student.id)
    application_services.record_signature(application, guardian_id=guardian.id, name="", signed_on=clock.today(), agrees=True,
                              view="Wij steunen de aanvraag.", actor=actor)
    if submit:
        application = application_services.act(application, Action.SUBMIT, {}, actor=actor)
    return application


def desk_client(app, user):
    return logged_in(app, user)


# --- the Drenthe requests over HTTP ---------------------------------------------------------------------------

DOA = "drenthe.aanvraag_doa_vo"
RET = "drenthe.aanvraag_ret"
REQUEST_WHY = "De leerling zit al weken thuis en de hulp van school en wijkteam komt niet op gang."
DOA_FORM = {"question": "Daan zit structureel vast: verzuim, conflicten thuis en op school, geen passend aanbod.",
            "situation": "Onderwijs: 2B, veel verzuim. Zorg: wijkteam betrokken. Leerplicht: melding gedaan.",
            "parents_view": "Ouders willen graag meedenken en zien dat het thuis en op school vastloopt.",
            "student_view": "Daan wil weer naar school maar vindt de klas te druk en te groot.",
            "parents_attend": "y", "student_attends": "y"}
ANALYSIS = "Verzuim, spanningen thuis en een te grote klas versterken elkaar; Daan trekt zich terug."
BOARD = {"board_name": "J. de Bestuurder", "board_function": "Voorzitter college van bestuur",
         "board_signed_on": "2026-11-20"}


def drenthe_request_world() -> dict:
    """A VO school with its care coordinator, a student with an agreed OPP, and two SWV staff members."""
    w = vo_school()
    w["swv"] = user("swv", w["school"], name="Sanne SWV")
    w["swv_other"] = user("swv", w["school"], name="Ander SWV")
    agreed_opp(w["student"], w["zorg"])  # phase 2.2 is additional support: it has its OPP
    return w


def through_the_school_phases(client, student):
    """Start and complete 2.1, 2.2 and 2.3 (each evaluated), as the care coordinator."""
    assert traject_step(client, student, "start", signal="Daan verzuimt veel en trekt zich terug.").status_code == 303
    for _phase in range(2):
        evaluate_phase(client, student)
        assert traject_step(client, student, "advance").status_code == 303
    evaluate_phase(client, student)
    assert Traject.get(Traject.student == student.id).current_phase == "drenthe.extern_extra"


def request_new(client, student, key=DOA) -> Application:
    response = client.post(f"/leerlingen/{student.id}/aanvragen", data={"type_key": key})
    assert response.status_code == 303, response.get_data(as_text=True)
    return Application.get_by_id(int(re.search(r"/aanvragen/(\d+)", response.headers["Location"])[1]))


def request_fill(client, application, **values):
    application = Application.get_by_id(application.id)
    response = client.post(f"/aanvragen/{application.id}", data={**values, "version": application.version})
    assert response.status_code == 303, response.get_data(as_text=True)


def request_sign(client, application, student):
    guardian = student.guardians.first()
    response = client.post(f"/aanvragen/{application.id}/ondertekening", data={
        "who": str(guardian.id), "signed_on": "2026-11-20", "agrees": "ja", "view": "Wij willen meedenken."})
    assert response.status_code == 303, response.get_data(as_text=True)


def request_consent(world, purpose=DOA):
    student = world["student"]
    return Consent.create(student=student, given_by="guardian", guardian=student.guardians.first(), purpose=purpose,
                          recipient="Samenwerkingsverband 22.02", given_on=clock.today(),
                          recorded_by=world["zorg"])


def request_submit(client, application):
    return client.post(f"/aanvragen/{application.id}/stap", data={"action": "submit"})


def request_desk_step(client, application, action, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/swv/aanvragen/{application.id}/stap", data=data)


# --- an application of the test plugin's TLV over HTTP -------------------------------------------------------

def example_tlv_new(client, world) -> Application:
    response = client.post(f"/leerlingen/{world['student'].id}/aanvragen", data={"type_key": "example.tlv"})
    assert response.status_code == 303
    return Application.get(Application.id == int(re.search(r"/aanvragen/(\d+)", response.headers["Location"])[1]))


def example_tlv_fill(client, application, **changes):
    data = {"needs": "Sanne heeft een kleine groep en veel structuur nodig.", "setting": "sbo",
            "parents_involved": "y", "receiving_school": "SBO De Wissel", "version": application.version,
            **changes}
    return client.post(f"/aanvragen/{application.id}", data=data)


def guardian_of(world, authority=True) -> Guardian:
    return Guardian.get((Guardian.student == world["student"].id) & (Guardian.has_authority == authority))


def example_tlv_ready(client, world) -> Application:
    """A filled-in concept with the OPP shared and a parent's signature: ready to submit."""
    application = example_tlv_new(client, world)
    assert example_tlv_fill(client, application).status_code == 303
    shared = client.post(f"/aanvragen/{application.id}/delen",
                         data={"items": [f"entry:{world['entry'].id}"], "need": "opp"})
    assert shared.status_code == 303
    signed = client.post(f"/aanvragen/{application.id}/ondertekening",
                         data={"who": str(guardian_of(world).id), "signed_on": "2026-11-20", "agrees": "ja",
                               "view": "Wij steunen de aanvraag."})
    assert signed.status_code == 303
    return application
