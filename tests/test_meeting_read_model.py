"""One read model of a meeting for every viewer, one place for meeting rights; services
take the actor and write stored text in the portal's language.

The same meeting is seen by its chair (a care coordinator), by a mentor of the student's group (a planner, not the
chair) and by guests of share links (an outside participant, who needs consent, and a parent, who does not).
"""

from __future__ import annotations

import ast
import datetime as dt
import uuid
from pathlib import Path

import pytest

from portal import clock, policy, tokens
from portal.audit.models import AuditEvent
from portal.consent.models import Consent
from portal.dossier.models import Entry
from portal.meetings import read, services
from portal.meetings.models import AgendaItem, Contribution, Meeting, Participant, Report
from portal.sharing.models import ShareLink
from tests import factories

STAFF_NOTE = "Zorgpunt van de school over de werkhouding"
DRAFT = "Concepttekst van het verslag"
GUEST_NOTE = "Inbreng van het wijkteam"


def _link(meeting: Meeting, participant: Participant, by) -> str:
    token = tokens.new_token()
    ShareLink.create(meeting=meeting, participant=participant, token_hash=tokens.digest(token), created_by=by)
    return token


def _consent(w: dict) -> None:
    Consent.create(student=w["student"], given_by="guardian", guardian=w["student"].guardians.first(),
                   purpose="overleg", recipient="Wijkteam Assen", given_on=clock.today() - dt.timedelta(days=1),
                   recorded_by=w["care"])


def _actor(user, school, role: str) -> policy.Actor:
    return policy.Actor(kind="user", user=user, school_id=school.id, roles=frozenset({role}))


@pytest.fixture
def w(app):
    """A meeting chaired by the care coordinator, with a staff contribution and a draft report, an outside
    participant and a parent, each with a share link."""
    w = factories.school_with_staff()
    starts = (clock.local_now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    meeting = Meeting.create(school=w["school"], student=w["student"], type_key="po.mdo", starts_at=starts,
                             location="Lokaal 12", chair=w["care"], created_by=w["care"], ical_uid=uuid.uuid4().hex)
    item = AgendaItem.create(meeting=meeting, position=1, title="Zorgen over de thuissituatie")
    chair = Participant.create(meeting=meeting, kind="staff", user=w["care"], name=w["care"].name,
                               role="voorzitter")
    external = Participant.create(meeting=meeting, kind="external", name="Petra Wijk", organisation="Wijkteam Assen",
                                  role="wijkteam", email="petra@wijkteam.example")
    guardian = w["student"].guardians.first()
    parent = Participant.create(meeting=meeting, kind="guardian", guardian=guardian, name=guardian.name,
                                email=guardian.email)
    Contribution.create(meeting=meeting, participant=chair, agenda_item=item, text=STAFF_NOTE)
    Report.create(meeting=meeting, author=w["care"], summary=DRAFT)
    w.update(meeting=meeting, external=external, parent=parent,
             external_token=_link(meeting, external, w["care"]), parent_token=_link(meeting, parent, w["care"]))
    return w


def _login(client, user) -> None:
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code in (302, 303)


def test_each_viewer_sees_what_they_may(app, client, w):
    """The chair sees everything and manages the share links; a mentor of the group may change
    the meeting but not cancel it nor manage links; a guest sees the agenda and the participants but never the
    staff's contributions or the draft report, and the outside participant's link needs consent (the parent's does
    not). The shared final report appears for guests only once the chair shared it."""
    url = f"/overleg/{w['meeting'].id}"
    _login(client, w["care"])
    chair_page = client.get(url).get_data(as_text=True)
    assert STAFF_NOTE in chair_page and DRAFT in chair_page
    assert "Links voor deelnemers zonder account" in chair_page and "Overleg annuleren" in chair_page

    _login(client, w["mentor"])
    mentor_page = client.get(url).get_data(as_text=True)
    assert STAFF_NOTE in mentor_page and "Tijd of plaats wijzigen" in mentor_page
    assert "Links voor deelnemers zonder account" not in mentor_page and "Overleg annuleren" not in mentor_page

    guest = app.test_client()
    assert guest.get(f"/gast/{w['external_token']}").status_code == 404  # no consent: the link does not work
    parent_page = guest.get(f"/gast/{w['parent_token']}")
    assert parent_page.status_code == 200  # the family's own side needs no consent
    _consent(w)
    page = app.test_client().get(f"/gast/{w['external_token']}").get_data(as_text=True)
    for shown in ("Zorgen over de thuissituatie", "Petra Wijk", w["parent"].name):
        assert shown in page and shown in parent_page.get_data(as_text=True)
    assert STAFF_NOTE not in page and DRAFT not in page and "Links voor deelnemers" not in page

    Report.update(status="final").execute()
    assert DRAFT not in app.test_client().get(f"/gast/{w['external_token']}").get_data(as_text=True)
    Meeting.update(report_shared_at=clock.utc_now()).execute()
    assert DRAFT in app.test_client().get(f"/gast/{w['external_token']}").get_data(as_text=True)


def test_the_read_model_per_viewer(app, w):
    """``read.for_viewer`` gives each viewer its own view of the one meeting, with the rights from
    ``policy.meeting_rights``; a guest's view has no rights and only its own contribution."""
    _consent(w)
    meeting, school = w["meeting"], w["school"]
    chair = read.for_viewer(meeting, _actor(w["care"], school, "zorg"))
    assert chair.rights.coordinate and chair.rights.cancel and chair.rights.manage_links and chair.rights.report
    assert [c.text for c in chair.contributions] == [STAFF_NOTE] and chair.report.summary == DRAFT
    mentor = read.for_viewer(meeting, _actor(w["mentor"], school, "mentor"))
    assert mentor.rights.manage and mentor.rights.planner
    assert not (mentor.rights.cancel or mentor.rights.manage_links or mentor.rights.report)
    assert mentor.me is None and mentor.state is not None  # staff see the student's route beside the meeting

    link = ShareLink.get(ShareLink.participant == w["external"].id)
    guest = read.for_viewer(meeting, link)
    assert guest.rights == policy.NO_MEETING_RIGHTS and guest.me.id == w["external"].id
    assert guest.contributions == [] and guest.report is None and guest.open and guest.state is None
    assert {p.id for p in guest.participants} == {p.id for p in chair.participants}
    other = Meeting.create(school=school, student=w["student"], type_key="po.mdo", starts_at=meeting.starts_at,
                           chair=w["care"], created_by=w["care"], ical_uid=uuid.uuid4().hex)
    with pytest.raises(ValueError):
        read.for_viewer(other, link)  # a link never shows another meeting


def test_guest_contribution_goes_through_the_meeting_service(app, w, monkeypatch):
    """The guest's contribution is stored by meetings.services.add_contribution (the same
    function as a staff contribution), with the share link as the audited actor; a second one replaces it."""
    _consent(w)
    calls = []
    original = services.add_contribution

    def spy(meeting, participant, text, actor, **kwargs):
        calls.append(actor)
        return original(meeting, participant, text, actor, **kwargs)

    monkeypatch.setattr(services, "add_contribution", spy)
    guest = app.test_client()
    url = f"/gast/{w['external_token']}/inbreng"
    assert guest.post(url, data={"text": GUEST_NOTE}).status_code == 303
    assert guest.post(url, data={"text": GUEST_NOTE + " (bijgewerkt)"}).status_code == 303
    link = ShareLink.get(ShareLink.participant == w["external"].id)
    assert [(a.kind, a.guest_link_id) for a in calls] == [("guest", link.id)] * 2
    (own,) = Contribution.select().where(Contribution.participant == w["external"].id)
    assert own.text == GUEST_NOTE + " (bijgewerkt)"
    events = list(AuditEvent.select().where(AuditEvent.action == "guest.contribution.save"))
    assert [(e.actor_type, e.actor_id, e.object_id) for e in events] == [("guest", link.id, own.id)] * 2

    Meeting.update(starts_at=clock.local_now() - dt.timedelta(minutes=5)).execute()
    late = guest.post(url, data={"text": "Te laat"})
    assert late.status_code == 403 and "Het overleg is begonnen" in late.get_data(as_text=True)
    assert Contribution.get_by_id(own.id).text == GUEST_NOTE + " (bijgewerkt)"


def test_report_entry_is_dutch_whatever_the_chairs_language(app, client, w):
    """The final report's dossier entry is written in the portal's language (Dutch), even when
    the chair who finalises it browses in English."""
    Meeting.update(starts_at=clock.local_now() - dt.timedelta(hours=1)).execute()
    meeting = w["meeting"]
    _login(client, w["care"])
    client.post("/taal", data={"lang": "en", "next": f"/overleg/{meeting.id}"})
    assert "Agenda and contributions" in client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
    present = [str(p.id) for p in Participant.select().where(Participant.meeting == meeting.id)]
    assert client.post(f"/overleg/{meeting.id}/aanwezigheid", data={"present": present}).status_code == 303
    report = Report.get(Report.meeting == meeting.id)
    data = {"version": str(report.version), "summary": "Daan loopt vast bij plannen.", "opp": "none",
            "finalise": "1"}
    for i in range(3):
        data.update({f"actions-{i}-action_id": "", f"actions-{i}-description": "", f"actions-{i}-owner": "0",
                     f"actions-{i}-due_date": ""})
    response = client.post(f"/overleg/{meeting.id}/verslag", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    entry = Entry.get((Entry.source_type == services.REPORT_KIND) & (Entry.source_id == meeting.id))
    assert entry.title.startswith("Verslag: ") and entry.section == services.DOSSIER_SECTION
    assert "Soort overleg:" in entry.body and "Kind of meeting" not in entry.body
    assert "Report" not in entry.title


# --- the services read no request ------------------------------------------------------------------------

SERVICE_MODULES = ("portal/meetings/services.py", "portal/meetings/reminders.py", "portal/meetings/demo.py",
                   "portal/sharing/services.py", "portal/meetings/read.py")


@pytest.mark.parametrize("path", SERVICE_MODULES)
def test_meeting_services_read_no_request(path):
    """The meetings and sharing services take the actor: they import neither ``flask.request``
    nor ``g`` nor ``url_for``, and never call ``policy.current()`` (links come from portal.links.absolute)."""
    tree = ast.parse((Path(__file__).resolve().parents[1] / path).read_text())
    forbidden = {"request", "g", "url_for", "session", "test_request_context"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            assert not forbidden & {a.name for a in node.names}, f"{path}:{node.lineno} imports from flask"
        if isinstance(node, ast.Attribute):
            owner = getattr(node.value, "id", None)
            assert not (owner == "flask" and node.attr in forbidden), f"{path}:{node.lineno} uses flask.{node.attr}"
            assert not (owner == "policy" and node.attr == "current"), f"{path}:{node.lineno} calls policy.current"
            assert node.attr != "test_request_context", f"{path}:{node.lineno} fakes a request"
