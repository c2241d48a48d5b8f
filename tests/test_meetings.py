"""Meetings for staff: planning with validation, the meeting page (contributions, documents, attendance), scope."""

from __future__ import annotations

import io
import re

from portal.audit.models import AuditEvent
from portal.auth.accounts import add_membership
from portal.meetings.models import AgendaItem, Contribution, Meeting, Participant, SharedDocument
from tests import factories
from tests.conftest import form_errors
from tests.factories import login, plan_data, plan_meeting


def test_plan_form_offers_the_current_phase_first_and_prefills_the_agenda(client, meeting_world):
    """From the traject page a coordinator plans a meeting; the types of the current phase come
    first and the agenda is prefilled from the type's default agenda."""
    login(client, meeting_world["zorg"])
    student = meeting_world["student"]
    traject = client.get(f"/leerlingen/{student.id}/traject").get_data(as_text=True)
    assert f'href="/leerlingen/{student.id}/overleg/nieuw"' in traject
    page = client.get(f"/leerlingen/{student.id}/overleg/nieuw?type=drenthe.teambespreking")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("Huidige fase") < html.index("Andere overleggen in de route")
    assert "Inbreng van de casus\nObservaties" in html  # the team meeting's default agenda
    fragment = client.get(f"/leerlingen/{student.id}/overleg/nieuw?agenda=1&type_key=drenthe.oudercontact",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="agenda-field"' in fragment and "Mogelijke oorzaken" in fragment


def test_plan_validation_errors_are_dutch_beside_the_field(client, meeting_world):
    """Bad input is refused field by field, in Dutch, the input kept and nothing stored."""
    login(client, meeting_world["zorg"])
    data = plan_data(meeting_world, date="", start="25:99", location="", duration="2", **{
        "externals-0-email": "geen-adres", "externals-1-organisation": "Leerplicht", "type_key": "onbekend"})
    response = client.post(f"/leerlingen/{meeting_world['student'].id}/overleg/nieuw", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = form_errors(html)
    for message in ("Vul een datum in.", "Vul een geldige tijd in (uu:mm).", "Vul een plaats of een videolink in.",
                    "De duur ligt tussen 15 minuten en 8 uur (480 minuten).", "Dit is geen geldig e-mailadres.",
                    "Vul de naam van deze deelnemer in."):
        assert message in errors, message
    assert "Ongeldige keuze." in errors  # an unknown meeting type
    assert 'id="location-error"' in html and 'value="Fatima Yilmaz"' in html
    assert Meeting.select().count() == 0


def test_plan_stores_participants_agenda_and_session(client, meeting_world):
    """R-ROUTE-8: school staff, the parent, the student and an outside professional take part; a session groups
    meetings of one afternoon; the meeting belongs to the traject's current phase."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world, new_session="Ondersteuningsteam dinsdag")
    kinds = sorted(p.kind for p in Participant.select().where(Participant.meeting == meeting.id))
    assert kinds == ["external", "guardian", "staff", "staff", "student"]
    roles = {p.user_id: p.role for p in Participant.select().where(Participant.kind == "staff")}
    assert roles == {meeting_world["zorg"].id: "voorzitter", meeting_world["mentor"].id: "notulist"}
    assert [a.title for a in AgendaItem.select().order_by(AgendaItem.position)] == [
        "Hoe gaat het thuis", "Afspraken over huiswerk"]
    assert meeting.phase_key == "drenthe.intern_basis" and meeting.traject_id is not None
    assert meeting.session.title == "Ondersteuningsteam dinsdag"
    second = plan_meeting(client, meeting_world, session=str(meeting.session_id), start="15:30")
    assert second.session_id == meeting.session_id  # R-ROUTE-5: several meetings in one phase
    traject = client.get(f"/leerlingen/{meeting_world['student'].id}/traject").get_data(as_text=True)
    assert traject.count('href="/overleg/') == 2
    assert AuditEvent.select().where((AuditEvent.action == "meeting.plan")
                                     & (AuditEvent.student_id == meeting_world["student"].id)).count() == 2


def test_meeting_page_contributions_documents_and_attendance(client, meeting_world):
    """R-VO-10, R-ROUTE-7: before the meeting a participant adds a contribution with a file; the chair shares a
    dossier document; htmx gets only the changed block; reads and writes are audited."""
    login(client, meeting_world["zorg"])
    student = meeting_world["student"]
    client.post(f"/leerlingen/{student.id}/dossier/bijlagen",
                data={"file": (io.BytesIO(factories.PDF), "groeidocument.pdf")}, content_type="multipart/form-data")
    meeting = plan_meeting(client, meeting_world)
    page = client.get(f"/overleg/{meeting.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Oudercontact" in html and 'id="meeting-route"' in html and "Huidige fase" in html
    assert AuditEvent.get((AuditEvent.action == "meeting.view")).student_id == student.id

    login(client, meeting_world["mentor"])
    item = AgendaItem.get(AgendaItem.position == 2)
    me = Participant.get((Participant.meeting == meeting.id) & (Participant.user == meeting_world["mentor"].id))
    fragment = client.post(f"/overleg/{meeting.id}/inbreng", headers={"HX-Request": "true"},
                           content_type="multipart/form-data",
                           data={"participant": str(me.id), "agenda_item": str(item.id),
                                 "text": "Huiswerk lukt op maandag niet.",
                                 "file": (io.BytesIO(factories.PDF), "observatie.pdf")})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and 'id="agenda"' in body
    assert "Huiswerk lukt op maandag niet." in body and "observatie.pdf" in body
    contribution = Contribution.get()
    assert contribution.attachment.filename == "observatie.pdf"
    assert client.get(f"/overleg/{meeting.id}/inbreng/{contribution.id}/bestand").data == factories.PDF

    refused = client.post(f"/overleg/{meeting.id}/inbreng", data={"participant": str(me.id), "text": " "})
    assert refused.status_code == 422
    assert "Schrijf je inbreng of kies een bestand." in form_errors(refused.get_data(as_text=True))

    login(client, meeting_world["zorg"])
    attachment_id = re.search(r'name="attachments"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="attachments"',
                              client.get(f"/overleg/{meeting.id}").get_data(as_text=True))
    chosen = next(g for g in attachment_id.groups() if g)
    shared = client.post(f"/overleg/{meeting.id}/documenten", data={"attachments": [chosen]})
    assert shared.status_code == 303
    doc = SharedDocument.get(SharedDocument.meeting == meeting.id)
    assert client.get(f"/overleg/{meeting.id}/documenten/{doc.id}").data == factories.PDF
    assert AuditEvent.select().where(AuditEvent.action == "meeting.attachment.download").count() == 2

    early = client.post(f"/overleg/{meeting.id}/aanwezigheid", data={"present": [str(me.id)]})
    assert early.status_code == 422  # attendance is recorded on or after the day of the meeting


def test_attendance_after_the_meeting(client, meeting_world):
    """R-ROUTE-7: attendance is recorded at or after the meeting, by the chair."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world, days=-1)
    ids = [p.id for p in Participant.select().where(Participant.meeting == meeting.id)]
    response = client.post(f"/overleg/{meeting.id}/aanwezigheid", data={"present": [str(i) for i in ids[:2]]},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="attendance"' in response.get_data(as_text=True)
    attended = {p.id: p.attended for p in Participant.select().where(Participant.meeting == meeting.id)}
    assert [attended[i] for i in ids] == [True, True] + [False] * (len(ids) - 2)


def test_swv_participant_sees_only_that_meeting(client, meeting_world):
    """R-DRE-AVG, R-DRE-2.3-c: SWV staff joining a DOA VO meeting see that meeting only: another meeting of the
    same student answers 404, the dossier and the traject 403 (the SWV's roles have neither)."""
    login(client, meeting_world["zorg"])
    doa = plan_meeting(client, meeting_world, type_key="drenthe.doa_bespreking",
                       staff=[str(meeting_world["zorg"].id), str(meeting_world["swv"].id)], minute_taker="0")
    other = plan_meeting(client, meeting_world)
    login(client, meeting_world["swv"])
    page = client.get(f"/overleg/{doa.id}")
    assert page.status_code == 200 and "Bespreking in het DOA VO" in page.get_data(as_text=True)
    assert f"/leerlingen/{meeting_world['student'].id}/traject" not in page.get_data(as_text=True)
    assert client.get(f"/overleg/{other.id}").status_code == 404
    assert client.get(f"/overleg/{other.id}/verslag.pdf").status_code == 404
    assert client.get(f"/leerlingen/{meeting_world['student'].id}/dossier").status_code == 403
    # SWV staff see a traject only through a lead request they handle (none here): not found.
    assert client.get(f"/leerlingen/{meeting_world['student'].id}/traject").status_code == 404
    assert client.get(f"/leerlingen/{meeting_world['student'].id}/overleg/nieuw").status_code == 403
    assert client.post(f"/overleg/{doa.id}/documenten", data={"attachments": []}).status_code == 403
    external = Participant.get((Participant.meeting == doa.id) & (Participant.kind == "external"))
    assert client.post(f"/overleg/{doa.id}/inbreng",  # only as themselves, not on behalf of others
                       data={"participant": str(external.id), "text": "namens een ander"}).status_code == 422
    own = Participant.get((Participant.meeting == doa.id) & (Participant.user == meeting_world["swv"].id))
    assert client.post(f"/overleg/{doa.id}/inbreng", data={"participant": str(own.id),
                                                           "text": "Advies van het SWV"}).status_code == 303
    listing = client.get("/overleg").get_data(as_text=True)
    assert f"/overleg/{doa.id}" in listing and f"/overleg/{other.id}\"" not in listing


def test_mentor_of_another_group_gets_404(client, meeting_world):
    """R-DRE-AVG: a mentor sees the meetings of the students of their own groups only."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world, staff=[str(meeting_world["zorg"].id)], minute_taker="0")
    login(client, meeting_world["other_mentor"])
    assert client.get(f"/overleg/{meeting.id}").status_code == 404
    assert client.post(f"/overleg/{meeting.id}/annuleren").status_code == 404
    assert client.get(f"/leerlingen/{meeting_world['student'].id}/overleg/nieuw").status_code == 404
    login(client, meeting_world["mentor"])
    assert client.get(f"/overleg/{meeting.id}").status_code == 200
    assert client.post(f"/overleg/{meeting.id}/verslag", data={"version": "0"}).status_code == 403  # not notulist


def test_csrf_is_required(client, meeting_world):
    login(client, meeting_world["zorg"])
    response = client.post(f"/leerlingen/{meeting_world['student'].id}/overleg/nieuw", data=plan_data(meeting_world),
                           csrf=False)
    assert response.status_code == 400 and Meeting.select().count() == 0


def test_school_staff_added_later_to_another_school_cannot_be_chosen(client, meeting_world):
    """Staff choices are the school's own staff; an id from another school is refused beside the field."""
    elsewhere = factories.school("Elders", sector="VO")
    stranger = factories.user("zorg", elsewhere)
    add_membership(stranger, elsewhere, "mentor")
    login(client, meeting_world["zorg"])
    response = client.post(f"/leerlingen/{meeting_world['student'].id}/overleg/nieuw",
                           data=plan_data(meeting_world, chair=str(stranger.id)))
    assert response.status_code == 422 and Meeting.select().count() == 0
    assert "Ongeldige keuze." in form_errors(response.get_data(as_text=True))



def test_a_cancelled_meeting_is_not_changed_by_its_service(client, meeting_world):
    """Whether a meeting can still be changed is the meeting service's rule, not only its page's: a cancelled
    meeting refuses a change with a Dutch reason (the page answers 403) and keeps its date."""
    import datetime as dt

    import pytest

    from portal import policy
    from portal.meetings import services

    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    Meeting.update(status="cancelled").where(Meeting.id == meeting.id).execute()
    meeting = Meeting.get_by_id(meeting.id)
    assert client.get(f"/overleg/{meeting.id}/wijzigen").status_code == 403
    chair = policy.Actor(kind="user", user=meeting_world["zorg"], school_id=meeting_world["school"].id,
                         roles=frozenset({"zorg"}))
    values = {"date": meeting.starts_at.date() + dt.timedelta(days=1), "start": meeting.starts_at.time(),
              "duration": meeting.duration_minutes, "location": "Elders", "video_url": ""}
    with pytest.raises(services.Refused, match="geannuleerd"):
        services.change(meeting, values, meeting.version, chair)
    assert Meeting.get_by_id(meeting.id).starts_at == meeting.starts_at
