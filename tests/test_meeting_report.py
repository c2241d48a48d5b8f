"""The meeting report: draft, final into the dossier, conflicts, actions, sharing and the PDF."""

from __future__ import annotations

from portal.audit.models import AuditEvent
from portal.dossier.models import Entry
from portal.meetings import services
from portal.meetings.models import Action, Meeting, Participant, Report
from portal.route.models import PhaseVisit
from tests.conftest import form_errors
from tests.factories import give_consent, login, plan_meeting, record_attendance, report_data


def test_report_draft_then_final_lands_in_the_dossier(client, meeting_world):
    """R-ROUTE-6, R-ROUTE-7, R-VO-10: the minute-taker writes a draft, then makes it final: a versioned dossier entry
    in 'communication' with the views of parents and student apart; two actions (one owned by an outside
    participant) are stored; the phase gets its evaluation date; the chair shares the report."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world, days=-1)
    login(client, meeting_world["mentor"])  # the minute-taker
    draft = client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 0))
    assert draft.status_code == 303
    report = Report.get(Report.meeting == meeting.id)
    assert (report.status, report.version, report.entry_id) == ("draft", 1, None)
    assert Entry.select().where(Entry.source_type == "meeting_report").count() == 0
    actions = list(Action.select().order_by(Action.id))
    assert [a.description for a in actions] == ["Weekplanner invoeren", "Gesprek thuis over rust"]
    assert actions[1].owner.kind == "external"

    missing = client.post(f"/overleg/{meeting.id}/verslag", data=report_data(
        meeting, 1, summary="", finalise="1", **{"actions-0-action_id": str(actions[0].id),
                                                "actions-1-action_id": str(actions[1].id)}))
    assert missing.status_code == 422
    assert "Een definitief verslag heeft een samenvatting." in form_errors(missing.get_data(as_text=True))

    record_attendance(client, meeting)
    final = client.post(f"/overleg/{meeting.id}/verslag", headers={"HX-Request": "true"}, data=report_data(
        meeting, 1, finalise="1", **{"actions-0-action_id": str(actions[0].id),
                                     "actions-1-action_id": str(actions[1].id)}))
    assert final.status_code == 200 and 'id="report"' in final.get_data(as_text=True)
    report = Report.get_by_id(report.id)
    assert report.status == "final" and report.finalised_at is not None and report.version == 2
    assert Action.select().count() == 2  # updated in place, not duplicated
    entry = Entry.get((Entry.source_type == "meeting_report") & (Entry.source_id == meeting.id))
    assert (entry.section, entry.kind, report.entry_id) == ("communication", "meeting_report", entry.id)
    assert "Visie van ouders:\nMoeder ziet thuis hetzelfde." in entry.body
    assert "Visie van de leerling:\nDaan wil een weekplanner." in entry.body
    assert "Gesprek thuis over rust (Fatima Yilmaz" in entry.body and "OPP: OPP opstellen" in entry.body
    visit = PhaseVisit.get((PhaseVisit.traject == meeting.traject_id) & (PhaseVisit.phase_key == meeting.phase_key))
    assert visit.evaluation_date == report.next_evaluation_date

    login(client, meeting_world["zorg"])
    timeline = client.get(f"/leerlingen/{meeting_world['student'].id}/dossier").get_data(as_text=True)
    assert "Verslag: Oudercontact" in timeline
    open_ = list(services.open_actions(meeting_id=meeting.id))
    assert [a.owner.name for a in open_] == [meeting_world["zorg"].name, "Fatima Yilmaz"]
    assert list(services.open_actions(user_id=meeting_world["zorg"].id))[0].description == "Weekplanner invoeren"

    assert client.post(f"/overleg/{meeting.id}/verslag/delen").status_code == 303
    assert Meeting.get_by_id(meeting.id).report_shared_at is not None
    assert AuditEvent.select().where((AuditEvent.action == "meeting.report.save")
                                     & (AuditEvent.student_id == meeting_world["student"].id)).count() == 2


def test_report_edit_conflict_shows_both_texts(client, meeting_world):
    """R-ROUTE-6: two people saving the same version: the second gets a conflict with both texts shown, nothing
    overwritten; saving again deliberately replaces the stored version."""
    login(client, meeting_world["zorg"])  # the chair
    meeting = plan_meeting(client, meeting_world, days=-1)
    assert client.post(f"/overleg/{meeting.id}/verslag",
                       data=report_data(meeting, 0, summary="Eerste versie van de voorzitter.")).status_code == 303
    assert client.post(f"/overleg/{meeting.id}/verslag",
                       data=report_data(meeting, 1, summary="Tweede versie van de voorzitter.")).status_code == 303
    login(client, meeting_world["mentor"])
    stale = client.post(f"/overleg/{meeting.id}/verslag",
                        data=report_data(meeting, 1, summary="Versie van de notulist."))
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert 'id="report-conflict"' in html
    assert "Tweede versie van de voorzitter." in html and "Versie van de notulist." in html
    assert Report.get(Report.meeting == meeting.id).summary == "Tweede versie van de voorzitter."
    assert 'name="version" value="2"' in html
    again = client.post(f"/overleg/{meeting.id}/verslag",
                        data=report_data(meeting, 2, summary="Versie van de notulist."))
    assert again.status_code == 303
    assert Report.get(Report.meeting == meeting.id).summary == "Versie van de notulist."


def test_report_pdf_and_print_page(client, meeting_world):
    """R-ROUTE-6: a printable report and a PDF a school files (school, type, date, who was present, summary,
    views, decisions, actions, next evaluation); reading it is audited."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world, days=-2)
    assert client.get(f"/overleg/{meeting.id}/verslag.pdf").status_code == 404  # no report yet
    present = [p.id for p in Participant.select().where(Participant.meeting == meeting.id)][:3]
    client.post(f"/overleg/{meeting.id}/aanwezigheid", data={"present": [str(i) for i in present]})
    client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 0, finalise="1"))
    page = client.get(f"/overleg/{meeting.id}/verslag").get_data(as_text=True)
    assert meeting_world["school"].name in page and "Oudercontact" in page and "Weekplanner invoeren" in page
    assert "Marieke Bakker" in page and "Fatima Yilmaz" not in page.split("Aanwezig")[1].split("</tr>")[0]
    response = client.get(f"/overleg/{meeting.id}/verslag.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert AuditEvent.select().where((AuditEvent.action == "meeting.report.pdf")
                                     & (AuditEvent.student_id == meeting_world["student"].id)).count() == 1


def test_outside_staff_participant_reads_only_the_final_report(client, meeting_world):
    """R-DRE-AVG: an SWV participant cannot write the report and does not see a draft; the final one they can read
    once a consent that covers them is recorded (without it, only the date and their own contribution)."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world, days=-1, type_key="drenthe.doa_bespreking",
                           staff=[str(meeting_world["zorg"].id), str(meeting_world["swv"].id)], minute_taker="0")
    client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 0, summary="Concepttekst."))
    login(client, meeting_world["swv"])
    assert client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 1)).status_code == 403
    assert "Concepttekst." not in client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
    assert client.get(f"/overleg/{meeting.id}/verslag").status_code == 404
    login(client, meeting_world["zorg"])
    record_attendance(client, meeting)
    client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 1, summary="Definitief.", finalise="1"))
    login(client, meeting_world["swv"])
    assert client.get(f"/overleg/{meeting.id}/verslag").status_code == 404  # no consent covers them yet
    give_consent({**meeting_world, "care": meeting_world["zorg"]}, recipient=meeting_world["swv"].name)
    assert "Definitief." in client.get(f"/overleg/{meeting.id}/verslag").get_data(as_text=True)
    assert client.get(f"/overleg/{meeting.id}/verslag.pdf").data.startswith(b"%PDF")
