"""`portal demo`: one PO and one VO school, an account per role, 30+ students, entries in every section."""

from __future__ import annotations

import pytest

from portal import clock, demo, policy
from portal.auth.models import Membership, User
from portal.dossier.models import Entry
from portal.dossier.sections import CORE_SECTIONS
from portal.schools.models import School
from portal.students.models import Group, GroupTeacher, Guardian, Student
from tests import factories

PASSWORD = "demo-wachtwoord-123"


def _counts() -> dict[str, int]:
    return {model.__name__: model.select().count()
            for model in (School, User, Membership, Group, GroupTeacher, Student, Guardian, Entry)}


@pytest.fixture
def loaded(app, monkeypatch):
    monkeypatch.setenv(demo.PASSWORD_ENV, PASSWORD)
    lines: list[str] = []
    assert demo.load(echo=lines.append) is True
    return lines


def test_second_load_adds_nothing(loaded):
    """Running the demo command twice does not duplicate anything."""
    before = _counts()
    lines: list[str] = []
    assert demo.load(echo=lines.append) is False
    assert _counts() == before
    assert "niets toegevoegd" in lines[0]


def test_schools_accounts_and_roles(loaded):
    """One PO and one VO school; every role of the policy has a demo account; one SWV administrator."""
    assert sorted(s.sector for s in School.select()) == ["PO", "VO"]
    roles = {m.role for m in Membership.select()}
    assert roles == set(policy.ROLES)
    assert User.select().where(User.is_admin).count() == 1
    for school in School.select():
        school_roles = {m.role for m in Membership.select().where(Membership.school == school)}
        assert {"beheerder", "mentor", "zorg"} <= school_roles
    # Every group has a teacher.
    assert not Group.select().where(Group.id.not_in(GroupTeacher.select(GroupTeacher.group))).exists()
    # The accounts the README lists exist.
    for email in ("admin@swv.demo.nl", "ib@regenboog.demo.nl", "zorg@esker.demo.nl", "mentor@esker.demo.nl"):
        assert User.get_or_none(User.email == email) is not None


def test_students_fit_their_sector(loaded):
    """30+ students with Dutch names incl. tussenvoegsels; PO 4-12, VO 12-18 with some 16+; guardians with
    and without gezag, so the 16+ and gezag rules (R-LAW-AVG-1) can be tried on demo data."""
    today = clock.utc_now().date()
    assert Student.select().count() >= 30
    students = list(Student.select(Student, School).join(School))
    assert any(" " in s.last_name and s.last_name.split()[0] in {"de", "van", "ter", "in"} for s in students)
    assert len({s.first_name for s in students}) >= 20
    for s in students:
        age = s.age_on(today)
        assert (4 <= age <= 13) if s.school.sector == "PO" else (12 <= age <= 18), (s.full_name, age)
    assert any(s.age_on(today) >= 16 for s in students if s.school.sector == "VO")
    assert any(s.left_on for s in students)
    guardians = list(Guardian.select())
    assert any(g.has_authority for g in guardians) and any(not g.has_authority for g in guardians)


def test_entries_in_every_section(loaded):
    """Each school has dossier entries in every core section (R-DRE-B1); confidential ones by a care role."""
    for school in School.select():
        sections = {e.section for e in Entry.select().join(Student).where(Student.school == school)}
        assert sections == {s.key for s in CORE_SECTIONS}
    confidential = list(Entry.select().where(Entry.confidential))
    assert confidential
    for entry in confidential:
        roles = {m.role for m in Membership.select().where(Membership.user == entry.author_id)}
        assert policy.CARE_ROLES & roles
    assert all(e.body and "{" not in e.body for e in Entry.select())


def test_demo_accounts_log_in(loaded, auth, client):
    """The demo password from PORTAL_DEMO_PASSWORD works for every listed account."""
    for email in ("ib@regenboog.demo.nl", "admin@swv.demo.nl"):
        response = auth.login(email, PASSWORD)
        assert response.status_code == 303, email
        auth.logout()
    assert auth.login("ib@regenboog.demo.nl", "fout-wachtwoord").status_code == 200


def test_random_password_printed_once(app, monkeypatch, auth):
    """Without PORTAL_DEMO_PASSWORD the password is random, printed once, and works."""
    monkeypatch.delenv(demo.PASSWORD_ENV, raising=False)
    lines: list[str] = []
    demo.load(echo=lines.append)
    password = lines[-1].rsplit(": ", 1)[1]
    assert len(password) >= 12
    assert any("ib@regenboog.demo.nl" in line for line in lines)
    assert auth.login("ib@regenboog.demo.nl", password).status_code == 303
    again: list[str] = []
    demo.load(echo=again.append)
    assert password not in "".join(again)


def test_too_short_password_creates_nothing(app, monkeypatch):
    """A PORTAL_DEMO_PASSWORD below the minimum length stops the demo with a message; nothing is half-made."""
    monkeypatch.setenv(demo.PASSWORD_ENV, "kort")
    with pytest.raises(SystemExit, match=demo.PASSWORD_ENV):
        demo.load(echo=lambda *_: None)
    assert School.select().count() == 0 and User.select().count() == 0


def test_applications_of_every_type_in_several_states(loaded, client):
    """The demo holds a decided TLV SO with two signed advices and its letter in the dossier,
    a PrO with its calculation, one waiting for an addition, and an LWOO concept; the SWV's queue lists the
    submitted ones and never the concept."""
    from portal.applications.models import Advice, Application
    from portal.dossier.models import Attachment, Entry

    states = {(a.type_key, a.status) for a in Application.select()}
    assert states == {("po.tlv_sbo_so", "granted"), ("vo.tlv_vso", "addition_requested"),
                      ("vo.tlv_pro", "in_review"), ("vo.lwoo", "concept"), ("drenthe.otv", "granted"),
                      ("drenthe.aanvraag_doa_vo", "granted")}
    tlv = Application.get(Application.type_key == "po.tlv_sbo_so")
    assert Advice.select().where((Advice.application == tlv.id) & Advice.signed_at.is_null(False)).count() == 2
    decision = Entry.get((Entry.source_type == "application_decision") & (Entry.source_id == tlv.id))
    assert Attachment.select().where(Attachment.entry == decision.id).count() == 1  # the letter, kept once
    factories.login(client, "swv@swv.demo.nl", PASSWORD)
    queue = client.get("/swv/aanvragen").get_data(as_text=True)
    concept = Application.get(Application.type_key == "vo.lwoo").student
    assert tlv.student.full_name in queue and concept.full_name not in queue
    pro = Application.get(Application.type_key == "vo.tlv_pro")
    page = client.get(f"/swv/aanvragen/{pro.id}").get_data(as_text=True)
    assert "Voldoet aan de criteria voor" in page and "Leerachterstand = (DL − DLE) / DL" in page


def test_an_otv_with_its_evaluations(loaded, client):
    """At the VO school an OTV with evaluations, in the care coordinator's task list."""
    from portal.applications.models import Application

    otv = Application.get(Application.type_key == "drenthe.otv")
    factories.login(client, "zorg@esker.demo.nl", PASSWORD)
    assert f"Evaluatie van de OTV van {otv.student.full_name}" in client.get("/mijn-acties").get_data(as_text=True)
    page = client.get(f"/aanvragen/{otv.id}").get_data(as_text=True)
    assert "Medische aandoening" in page and "toegekend" in page


def test_a_withdrawn_consent_at_the_vo_school(loaded, client):
    """The VO school's demo holds one withdrawn consent (recorded and withdrawn through the services,
    both in the audit trail), shown as withdrawn in the student's register."""
    from portal.audit.models import AuditEvent
    from portal.consent.models import Consent

    consent = Consent.get(Consent.withdrawn_at.is_null(False))
    assert Consent.select().where(Consent.withdrawn_at.is_null(False)).count() == 1
    assert School.get_by_id(consent.student.school_id).sector == "VO"
    assert {e.action for e in AuditEvent.select().where(AuditEvent.object_id == consent.id)
            if e.object_type == "consent"} == {"consent.record", "consent.withdraw"}
    factories.login(client, "zorg@esker.demo.nl", PASSWORD)
    page = client.get(f"/leerlingen/{consent.student_id}/toestemmingen").get_data(as_text=True)
    assert "ingetrokken op" in page and "Wijkteam Emmen" in page


def test_a_doa_vo_with_its_binding_advice_at_the_vo_school(loaded, client):
    """At the VO school a DOA VO request decided with its binding advice, shown on the traject to
    the SWV user who handled it (and to the school)."""
    from portal.applications.models import Application

    doa = Application.get(Application.type_key == "drenthe.aanvraag_doa_vo")
    factories.login(client, "swv@swv.demo.nl", PASSWORD)
    page = client.get(f"/leerlingen/{doa.student_id}/traject").get_data(as_text=True)
    assert "Advies dat de volgende stappen bindt" in page and "3.3 RET-Drenthe" in page
