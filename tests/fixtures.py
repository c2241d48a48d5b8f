"""Fixtures shared by several test modules, registered in tests/conftest.py. Each ``*_world`` is
a named set of data for one family of tests; the builders they use are in tests/factories.py."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from portal import demo
from portal.auth import accounts
from portal.consent.models import Consent
from portal.meetings.models import Meeting, Participant
from portal.students.models import Guardian
from tests import factories

# The demo accounts that the standing suites (fuzz, CSRF) walk the portal as.
DEMO_ACTORS = ("zorg@esker.demo.nl", "beheerder@esker.demo.nl", "admin@swv.demo.nl", "mentor@esker.demo.nl")


@pytest.fixture
def fast_hashing(monkeypatch):
    """Many accounts with one password: hash it once per test process instead of once per account and login."""
    monkeypatch.setattr(accounts, "hash_password", functools.lru_cache(maxsize=4)(accounts.hash_password))


@pytest.fixture
def meeting_world(app, client):
    """A VO school on the Drenthe route: coordinator, mentor with a group, a student with a started traject (the
    meeting tests plan meetings for Daan Bakker with factories.plan_meeting)."""
    school = factories.school("Het Drents College", sector="VO")
    zorg = factories.user("zorg", school, name="Annemiek Drenth")
    mentor = factories.user("mentor", school, name="Wouter de Haan")
    other_mentor = factories.user("mentor", school, name="Samira el Idrissi")
    swv = factories.user("swv", school, name="Bert Kuiper")
    group = factories.group(school, "2B", teachers=[mentor])
    factories.group(school, "3A", teachers=[other_mentor])
    student = factories.student(school, group, first="Daan", last="Bakker")
    Guardian.update(name="Marieke Bakker").where(Guardian.student == student.id).execute()
    other = factories.student(school, group, first="Lotte", last="Smit")
    factories.login(client, zorg)
    assert factories.traject_step(client, student, "start", signal="Daan haalt zijn huiswerk niet.").status_code == 303
    client.post("/logout")
    return {"school": school, "zorg": zorg, "mentor": mentor, "other_mentor": other_mentor, "swv": swv,
            "student": student, "other": other}


@pytest.fixture
def reminder_world(app):
    """factories.po_school() (key ``po`` for the school) and a VO school with a coordinator, a mentor and Daan
    Bakker, and an SWV administrator: who receives which reminder."""
    po = factories.po_school()
    vo = factories.school("Het Drents College", sector="VO")
    vo_zorg = factories.user("zorg", vo)
    vo_mentor = factories.user("mentor", vo)
    vo_student = factories.student(vo, None, first="Daan", last="Bakker", mentor=vo_mentor)
    admin = factories.user(is_admin=True)
    return dict(po=po["school"], mentor=po["mentor"], zorg=po["zorg"], student=po["student"], vo=vo,
                vo_zorg=vo_zorg, vo_mentor=vo_mentor, vo_student=vo_student, admin=admin)


@pytest.fixture
def vo_world(app):
    """factories.vo_school(): a VO school on the Drenthe route, for the traject pages."""
    return factories.vo_school()


@pytest.fixture
def demo_world(app, monkeypatch, smtp, fast_hashing):
    """The demo data with a logged-in client per DEMO_ACTORS, and a guest holding a real share link for the coming
    meeting (consent first), so the walks reach the guest pages too."""
    monkeypatch.setenv(demo.PASSWORD_ENV, factories.DEMO_PASSWORD)
    demo.load(echo=lambda line: None)
    clients = {email: factories.logged_in(app, email, factories.DEMO_PASSWORD) for email in DEMO_ACTORS}
    meeting = Meeting.select().where(Meeting.status == "planned").first()
    external = Participant.get((Participant.meeting == meeting.id) & (Participant.kind == "external"))
    Consent.create(student=meeting.student_id, given_by="guardian", guardian=meeting.student.guardians.first(),
                   purpose="overleg", recipient=external.organisation, given_on=dt.date.today(),
                   recorded_by=meeting.chair)
    before = len(smtp.messages)
    clients[DEMO_ACTORS[0]].post(f"/overleg/{meeting.id}/links/deelnemer/{external.id}", data={})
    smtp.wait_for(before + 1)
    token = factories.token_from(smtp)
    guest = app.test_client()
    assert guest.get(f"/gast/{token}").status_code == 200
    return {"clients": clients, "guest": guest, "token": token}
