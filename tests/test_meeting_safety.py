"""Meetings and share links made trustworthy.

Actions keep their date or are refused, cancelling asks for a reason and is refused once held, a report is final
only after the meeting with attendance, meeting dates are bounded (and an absurd stored date still renders),
logistics are versioned, confidential documents are shared only when confirmed, actions can be closed, the guest
page says whose meeting it is and offers the .ics, and participants can be added and removed one by one.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import icalendar
import pytest
import time_machine

from portal import clock
from portal.audit.models import AuditEvent
from portal.dossier import storage
from portal.dossier.models import Attachment, Entry
from portal.meetings import services
from portal.meetings.models import Action, Contribution, Meeting, Participant, Report, SharedDocument
from portal.notifications import reminders
from portal.notifications.models import OutboxMail
from portal.sharing.models import ShareLink
from portal.versioning import history
from tests import factories
from tests.conftest import form_errors
from tests.factories import login, plan_data, plan_meeting, record_attendance, report_data
from tests.smtp import calendar_of

ABSURD = (dt.datetime(9999, 12, 31, 23, 30), dt.datetime(1, 1, 1, 0, 0))


# --- an action without a due date -------------------------------------------------------------------------

def test_action_without_due_date_is_refused_beside_the_field(client, meeting_world):
    """An action without a due date is refused like one without an owner, with a Dutch message
    next to the field; nothing typed is lost and nothing is dropped silently."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world, days=-1)
    data = report_data(meeting, 0, **{"actions-1-due_date": ""})
    response = client.post(f"/overleg/{meeting.id}/verslag", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul een datum in waarop deze actie klaar is." in form_errors(html)
    assert 'value="Gesprek thuis over rust"' in html  # the description stays in the form
    assert Action.select().count() == 0 and Report.select().count() == 0
    # An empty row (no description, no date) is still fine.
    assert client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 0)).status_code == 303
    assert Action.select().count() == 2


# --- cancelling -----------------------------------------------------------------------------------------

def test_cancel_asks_for_confirmation_and_a_reason(client, meeting_world):
    """Cancelling shows what happens and needs a reason and a confirmation; without them nothing
    is cancelled and nobody is mailed; with them the reason is kept and shown."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    page = client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
    assert f'href="/overleg/{meeting.id}/annuleren"' in page
    assert f'action="/overleg/{meeting.id}/annuleren"' not in page  # no one-click cancel on the meeting page
    confirm = client.get(f"/overleg/{meeting.id}/annuleren")
    assert confirm.status_code == 200 and 'id="cancel-consequences"' in confirm.get_data(as_text=True)
    mails = OutboxMail.select().count()
    assert client.post(f"/overleg/{meeting.id}/annuleren", data={"reason": "x", "confirm": "y"},
                       csrf=False).status_code == 400
    bare = client.post(f"/overleg/{meeting.id}/annuleren")
    errors = form_errors(bare.get_data(as_text=True))
    assert bare.status_code == 422
    assert "Schrijf waarom het overleg niet doorgaat." in errors
    assert "Bevestig dat je het overleg wilt annuleren." in errors
    assert Meeting.get_by_id(meeting.id).status == "planned" and OutboxMail.select().count() == mails
    done = client.post(f"/overleg/{meeting.id}/annuleren",
                       data={"reason": "De ouders zijn verhinderd.", "confirm": "y"})
    assert done.status_code == 303
    stored = Meeting.get_by_id(meeting.id)
    assert (stored.status, stored.cancel_reason) == ("cancelled", "De ouders zijn verhinderd.")
    assert stored.cancelled_at is not None and OutboxMail.select().count() == mails + 4
    assert AuditEvent.get(AuditEvent.action == "meeting.cancel").actor_id == meeting_world["zorg"].id
    assert "De ouders zijn verhinderd." in client.get(f"/overleg/{meeting.id}").get_data(as_text=True)


def test_held_meeting_or_final_report_cannot_be_cancelled(client, meeting_world):
    """A meeting that was held, or whose report is final, cannot be cancelled (it can be
    corrected): the refusal is explained, nobody is mailed, actions and share links stay."""
    login(client, meeting_world["zorg"])
    held = plan_meeting(client, meeting_world, days=-1)
    record_attendance(client, held)
    assert client.post(f"/overleg/{held.id}/verslag", data=report_data(held, 0, finalise="1")).status_code == 303
    mails = OutboxMail.select().count()
    refused = client.post(f"/overleg/{held.id}/annuleren", data={"reason": "Per ongeluk", "confirm": "y"})
    assert refused.status_code == 409 and "definitief" in refused.get_data(as_text=True)
    assert Meeting.get_by_id(held.id).status == "planned" and OutboxMail.select().count() == mails
    assert len(list(services.open_actions(meeting_id=held.id))) == 2
    page = client.get(f"/overleg/{held.id}").get_data(as_text=True)
    assert f'href="/overleg/{held.id}/annuleren"' not in page
    assert f'href="/overleg/{held.id}/wijzigen"' in page and "Gegevens corrigeren" in page

    started = plan_meeting(client, meeting_world, days=0)  # today 14:30 ...
    Meeting.update(starts_at=dt.datetime.now() - dt.timedelta(minutes=5)).where(Meeting.id == started.id).execute()
    refused = client.post(f"/overleg/{started.id}/annuleren", data={"reason": "Te laat", "confirm": "y"})
    assert refused.status_code == 409 and "al begonnen" in refused.get_data(as_text=True)
    assert Meeting.get_by_id(started.id).status == "planned"

    future = plan_meeting(client, meeting_world)  # a final report on a coming meeting (stored before this rule)
    Report.create(meeting=future, status="final", summary="Eerder vastgelegd", author=meeting_world["zorg"])
    assert client.post(f"/overleg/{future.id}/annuleren",
                       data={"reason": "x", "confirm": "y"}).status_code == 409
    assert Meeting.get_by_id(future.id).status == "planned"


def test_only_the_chair_or_the_care_coordinator_cancels(client, meeting_world):
    """The minute-taker (who may plan and change) may not cancel; the chair and the care
    coordinator of the school may."""
    login(client, meeting_world["zorg"])
    chaired_by_zorg = plan_meeting(client, meeting_world)
    chaired_by_mentor = plan_meeting(client, meeting_world, chair=str(meeting_world["mentor"].id),
                                     minute_taker=str(meeting_world["zorg"].id), start="16:00")
    login(client, meeting_world["mentor"])  # the minute-taker of the first meeting
    assert client.get(f"/overleg/{chaired_by_zorg.id}/annuleren").status_code == 403
    assert client.post(f"/overleg/{chaired_by_zorg.id}/annuleren",
                       data={"reason": "x", "confirm": "y"}).status_code == 403
    assert f"/overleg/{chaired_by_zorg.id}/annuleren" not in client.get(
        f"/overleg/{chaired_by_zorg.id}").get_data(as_text=True)
    assert Meeting.get_by_id(chaired_by_zorg.id).status == "planned"
    login(client, meeting_world["zorg"])  # care coordinator, not the chair of the second meeting
    assert client.post(f"/overleg/{chaired_by_mentor.id}/annuleren",
                       data={"reason": "Zorgcoördinator annuleert", "confirm": "y"}).status_code == 303
    assert Meeting.get_by_id(chaired_by_mentor.id).status == "cancelled"


# --- finalising -------------------------------------------------------------------------------------------

def test_report_is_final_only_after_the_meeting_with_attendance(client, meeting_world):
    """A report cannot be final before the meeting started, nor before attendance is recorded;
    the print page and the PDF list who attended, not every invitee."""
    login(client, meeting_world["zorg"])
    coming = plan_meeting(client, meeting_world)
    early = client.post(f"/overleg/{coming.id}/verslag", data=report_data(coming, 0, finalise="1"))
    html = early.get_data(as_text=True)
    assert early.status_code == 422 and "pas definitief worden als het overleg is begonnen" in html
    assert "Daan loopt vast bij plannen." in html  # the text stays in the form
    assert Report.select().where(Report.status == "final").count() == 0

    held = plan_meeting(client, meeting_world, days=-1, start="10:00")
    unknown = client.post(f"/overleg/{held.id}/verslag", data=report_data(held, 0, finalise="1"))
    assert unknown.status_code == 422 and "Leg eerst vast wie er aanwezig was" in unknown.get_data(as_text=True)
    assert Report.select().where(Report.status == "final").count() == 0

    record_attendance(client, held, absent=1)  # the outside professional (last) did not come
    assert client.post(f"/overleg/{held.id}/verslag", data=report_data(held, 0, finalise="1")).status_code == 303
    assert Report.get(Report.meeting == held.id).status == "final"
    page = client.get(f"/overleg/{held.id}/verslag").get_data(as_text=True)
    present_row = page.split(">Aanwezig<")[1].split("</tr>")[0]
    absent_row = page.split(">Afwezig<")[1].split("</tr>")[0]
    assert meeting_world["zorg"].name in present_row and "Fatima Yilmaz" not in present_row
    assert "Fatima Yilmaz" in absent_row
    assert client.get(f"/overleg/{held.id}/verslag.pdf").data.startswith(b"%PDF")


# --- bounded dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, message", [
    ({"days": -1}, "Een overleg plan je niet in het verleden."),
    ({"days": 800}, "Plan een overleg hooguit twee jaar vooruit."),
    ({"date": "9999-12-31"}, "Plan een overleg hooguit twee jaar vooruit."),
    ({"days": 0, "start": "00:00"}, "Dit tijdstip is vandaag al voorbij."),
    ({"duration": "10"}, "De duur ligt tussen 15 minuten en 8 uur (480 minuten)."),
    ({"duration": "600"}, "De duur ligt tussen 15 minuten en 8 uur (480 minuten)."),
])
def test_planning_is_bounded(client, meeting_world, overrides, message):
    """A meeting is not planned in the past or more than about two years ahead, and lasts 15
    minutes to 8 hours; refused with a Dutch message beside the field, no invitation sent."""
    if overrides.get("start") == "00:00" and clock.local_now().time() < dt.time(0, 1):
        pytest.skip("midnight: 00:00 is not yet in the past")
    if overrides.get("days") == 0:
        overrides = {**overrides, "date": clock.local_now().date().isoformat()}
    login(client, meeting_world["zorg"])
    mails = OutboxMail.select().count()
    response = client.post(f"/leerlingen/{meeting_world['student'].id}/overleg/nieuw",
                           data=plan_data(meeting_world, **overrides))
    assert response.status_code == 422
    assert message in form_errors(response.get_data(as_text=True))
    assert Meeting.select().count() == 0 and OutboxMail.select().count() == mails


def test_change_action_and_evaluation_dates_are_bounded(client, meeting_world):
    """Changing logistics, action due dates and the next evaluation are bounded too."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    change = client.post(f"/overleg/{meeting.id}/wijzigen", data={
        "version": "1", "date": "9999-12-31", "start": "10:00", "duration": "45", "location": "Kamer 1"})
    assert change.status_code == 422
    assert "Plan een overleg hooguit twee jaar vooruit." in form_errors(change.get_data(as_text=True))
    past = client.post(f"/overleg/{meeting.id}/wijzigen", data={
        "version": "1", "date": (dt.date.today() - dt.timedelta(days=3)).isoformat(), "start": "10:00",
        "duration": "45", "location": "Kamer 1"})
    assert "Een overleg plan je niet in het verleden." in form_errors(past.get_data(as_text=True))
    assert Meeting.get_by_id(meeting.id).starts_at == meeting.starts_at

    held = plan_meeting(client, meeting_world, days=-1, start="09:00")
    far = client.post(f"/overleg/{held.id}/verslag", data=report_data(held, 0, **{
        "actions-0-due_date": "9999-12-31", "next_evaluation_date": "2999-01-01"}))
    errors = form_errors(far.get_data(as_text=True))
    assert far.status_code == 422 and Action.select().where(Action.meeting == held.id).count() == 0
    assert sum(e.startswith("Kies een datum tussen") for e in errors) == 2
    future = client.post(f"/overleg/{held.id}/wijzigen", data={  # a held meeting is corrected, not moved ahead
        "version": "1", "date": (dt.date.today() + dt.timedelta(days=2)).isoformat(), "start": "10:00",
        "duration": "45", "location": "Kamer 1"})
    assert future.status_code == 422
    assert "Dit overleg is al gehouden: kies een datum die niet in de toekomst ligt." in form_errors(
        future.get_data(as_text=True))
    mails = OutboxMail.select().count()
    corrected = client.post(f"/overleg/{held.id}/wijzigen", data={
        "version": "1", "date": held.starts_at.date().isoformat(), "start": "09:15", "duration": "45",
        "location": "Kamer 1"})
    assert corrected.status_code == 303 and Meeting.get_by_id(held.id).location == "Kamer 1"
    assert OutboxMail.select().count() == mails  # a correction of a held meeting is not a new invitation


@pytest.mark.parametrize("starts_at", ABSURD, ids=["9999", "0001"])
def test_meeting_with_an_absurd_stored_date_still_renders(app, client, meeting_world, starts_at, smtp):
    """A meeting already stored with an absurd date renders everywhere (no 500): the meeting
    page, the list, the traject, the change and cancel pages, the share-link panel, the guest page and its .ics."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    from portal.consent.models import Consent

    guardian = meeting_world["student"].guardians.first()
    Consent.create(student=meeting_world["student"], given_by="guardian", guardian=guardian, purpose="overleg",
                   recipient="Wijkteam Assen", given_on=dt.date.today() - dt.timedelta(days=1),
                   recorded_by=meeting_world["zorg"])
    external = Participant.get((Participant.meeting == meeting.id) & (Participant.kind == "external"))
    sent = len(smtp.messages)
    assert client.post(f"/overleg/{meeting.id}/links/deelnemer/{external.id}").status_code == 303
    smtp.wait_for(sent + 1)
    token = factories.token_from(smtp)
    Meeting.update(starts_at=starts_at, duration_minutes=480).where(Meeting.id == meeting.id).execute()
    for url in (f"/overleg/{meeting.id}", "/overleg", f"/leerlingen/{meeting_world['student'].id}/traject",
                f"/overleg/{meeting.id}/wijzigen", f"/overleg/{meeting.id}/annuleren",
                f"/overleg/{meeting.id}/links"):
        assert client.get(url).status_code == 200, url
    assert "Acties" in client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
    guest = app.test_client()
    page = guest.get(f"/gast/{token}")
    if starts_at.year == 9999:  # the link lives until after the meeting
        assert page.status_code == 200
        assert guest.get(f"/gast/{token}/overleg.ics").status_code == 200
    else:  # long expired: the usual not-found page
        assert page.status_code == 404


# --- versioned logistics --------------------------------------------------------------------------------

def test_two_people_changing_the_same_meeting_get_a_conflict(app, client, meeting_world):
    """Logistics are versioned like dossier entries: the second of two people who opened the
    same version gets a conflict with both values shown, nothing overwritten; saving again replaces it."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    mentor = app.test_client()
    login(mentor, meeting_world["mentor"])
    form = mentor.get(f"/overleg/{meeting.id}/wijzigen").get_data(as_text=True)
    assert re.search(r'name="version"[^>]*value="1"|value="1"[^>]*name="version"', form)
    day = meeting.starts_at.date().isoformat()
    first = client.post(f"/overleg/{meeting.id}/wijzigen", data={
        "version": "1", "date": day, "start": "14:30", "duration": "45", "location": "Kamer van de zorg"})
    assert first.status_code == 303
    second = mentor.post(f"/overleg/{meeting.id}/wijzigen", data={
        "version": "1", "date": day, "start": "15:00", "duration": "60", "location": "Lokaal van de mentor"})
    html = second.get_data(as_text=True)
    assert second.status_code == 409 and 'id="change-conflict"' in html
    assert "Kamer van de zorg" in html and 'value="Lokaal van de mentor"' in html
    stored = Meeting.get_by_id(meeting.id)
    assert (stored.location, stored.version, stored.ical_sequence) == ("Kamer van de zorg", 2, 1)
    assert re.search(r'name="version"[^>]*value="2"|value="2"[^>]*name="version"', html)
    again = mentor.post(f"/overleg/{meeting.id}/wijzigen", data={
        "version": "2", "date": day, "start": "15:00", "duration": "60", "location": "Lokaal van de mentor"})
    assert again.status_code == 303
    stored = Meeting.get_by_id(meeting.id)
    assert (stored.location, stored.version, stored.ical_sequence) == ("Lokaal van de mentor", 3, 2)
    assert [r.fields["location"] for r in history(stored)] == ["Kamer van de zorg", "Spreekkamer 1"]


# --- confidential documents ----------------------------------------------------------------------------

def _confidential_attachment(meeting_world) -> Attachment:
    entry = Entry.create(student=meeting_world["student"], section="support", title="Gesprek met de GGZ",
                         body="Vertrouwelijk", confidential=True, author=meeting_world["zorg"])
    stored = storage.save(io.BytesIO(factories.PDF), "ggz-verslag.pdf")
    return Attachment.create(student=meeting_world["student"], entry=entry, filename="ggz-verslag.pdf",
                             uploaded_by=meeting_world["zorg"], **vars(stored))


def test_sharing_a_confidential_document_needs_confirmation_and_is_audited(client, meeting_world):
    """The share panel says which documents are confidential; sharing one asks for an explicit
    confirmation (refused without, nothing shared) and each confirmed one is audited."""
    secret = _confidential_attachment(meeting_world)
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    page = client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
    assert "ggz-verslag.pdf (vertrouwelijk)" in page and 'id="confidential-warning"' in page
    refused = client.post(f"/overleg/{meeting.id}/documenten", data={"attachments": [str(secret.id)]})
    assert refused.status_code == 422
    assert any("Vertrouwelijk: ggz-verslag.pdf" in e for e in form_errors(refused.get_data(as_text=True)))
    assert SharedDocument.select().count() == 0
    shared = client.post(f"/overleg/{meeting.id}/documenten",
                         data={"attachments": [str(secret.id)], "confirm_confidential": "y"})
    assert shared.status_code == 303 and SharedDocument.select().count() == 1
    event = AuditEvent.get(AuditEvent.action == "meeting.documents.share_confidential")
    assert (event.object_type, event.object_id, event.actor_id) == ("attachment", secret.id, meeting_world["zorg"].id)
    assert event.student_id == meeting_world["student"].id
    page = client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
    assert "badge-warn\">vertrouwelijk" in page
    # Keeping it shared (saving again) needs no new confirmation.
    assert client.post(f"/overleg/{meeting.id}/documenten",
                       data={"attachments": [str(secret.id)]}).status_code == 303


# --- closing actions -----------------------------------------------------------------------------------

def test_actions_are_closed_by_owner_chair_or_coordinator_and_stop_reminding(client, meeting_world, smtp):
    """The owner closes an action from "mijn acties", the chair one of an outside owner from
    the meeting page; a notulist who owns nothing may not; a closed action is no longer listed or reminded."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world, days=-1)
    assert client.post(f"/overleg/{meeting.id}/verslag", data=report_data(meeting, 0)).status_code == 303
    own, outside = list(Action.select().order_by(Action.id))
    tasks = client.get("/mijn-acties").get_data(as_text=True)
    assert f'action="/overleg/{meeting.id}/acties/{own.id}/afronden"' in tasks

    login(client, meeting_world["mentor"])  # the minute-taker, owner of neither action
    assert client.post(f"/overleg/{meeting.id}/acties/{own.id}/afronden").status_code == 403
    assert Action.get_by_id(own.id).done_at is None

    login(client, meeting_world["zorg"])
    closed = client.post(f"/overleg/{meeting.id}/acties/{own.id}/afronden", data={"next": "/mijn-acties"})
    assert closed.status_code == 303 and closed.headers["Location"].endswith("/mijn-acties")
    assert Action.get_by_id(own.id).done_at is not None
    assert "Weekplanner invoeren" not in client.get("/mijn-acties").get_data(as_text=True)
    fragment = client.post(f"/overleg/{meeting.id}/acties/{outside.id}/afronden", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and 'id="actions"' in body and "<html" not in body
    assert body.count("afgerond") >= 2
    assert AuditEvent.select().where(AuditEvent.action == "meeting.action.close").count() == 2
    assert list(services.open_actions(meeting_id=meeting.id)) == []
    smtp.clear()
    with time_machine.travel(dt.datetime.combine(own.due_date - dt.timedelta(days=7), dt.time(9)), tick=False):
        assert reminders.send_due() == 0  # closed actions stop their reminders
    assert client.post(f"/overleg/{meeting.id}/acties/{own.id}/afronden", csrf=False).status_code == 400


# --- the guest page ------------------------------------------------------------------------------------

def test_guest_page_names_school_inviter_and_student_and_offers_the_ics(app, client, auth, smtp):
    """The guest page says whose meeting it is (school, who invited, the student) and gives the
    outside professional the meeting's .ics (same UID; no student name, agenda or personal link in it)."""
    s = factories.build_meeting(type_key="po.mdo")
    factories.give_consent(s)
    auth.login(s["chair"].email)
    token = factories.mailed_link(client, s, smtp)
    auth.logout()
    guest = app.test_client()
    html = guest.get(f"/gast/{token}").get_data(as_text=True)
    facts = html.split('id="invited-by"')[1]
    for text in (s["school"].name, "Meester Voorzitter", "Daan Jansen"):
        assert text in facts
    assert f'href="/gast/{token}/overleg.ics"' in html
    response = guest.get(f"/gast/{token}/overleg.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    event = icalendar.Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["UID"]) == s["meeting"].ical_uid
    assert event.decoded("DTSTART").replace(tzinfo=None) == s["meeting"].starts_at
    text = response.data.decode()
    assert "Daan" not in text and "Opening en kennismaking" not in text and token not in text
    event = AuditEvent.get(AuditEvent.action == "guest.meeting.ics")
    assert event.actor_type == "guest"


# --- participants after planning ---------------------------------------------------------------------------

def test_participants_added_and_removed_one_by_one(client, meeting_world, smtp):
    """After planning, a participant is added (only that person gets an invitation with the
    .ics) or removed (only that person gets a cancellation; their link stops); the others get nothing."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    page = client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
    assert f'action="/overleg/{meeting.id}/deelnemers"' in page
    smtp.clear()
    missing = client.post(f"/overleg/{meeting.id}/deelnemers", data={"who": "external", "name": "Kees Leerplicht"})
    assert missing.status_code == 422
    assert "Vul een e-mailadres in voor de uitnodiging." in form_errors(missing.get_data(as_text=True))
    added = client.post(f"/overleg/{meeting.id}/deelnemers", data={
        "who": "external", "name": "Kees Leerplicht", "organisation": "Gemeente Assen", "role": "leerplicht",
        "email": "k.leerplicht@assen.example.nl"})
    assert added.status_code == 303
    (invitation,) = smtp.wait_for(1)
    assert invitation["To"] == "k.leerplicht@assen.example.nl" and invitation["Subject"].startswith("Uitnodiging")
    part, cal = calendar_of(invitation)
    assert cal["METHOD"] == "REQUEST" and str(cal.walk("VEVENT")[0]["UID"]) == meeting.ical_uid
    staff = client.post(f"/overleg/{meeting.id}/deelnemers", data={"who": f"staff:{meeting_world['swv'].id}"})
    assert staff.status_code == 303
    assert [m["To"] for m in smtp.wait_for(2)] == ["k.leerplicht@assen.example.nl", meeting_world["swv"].email]
    twice = client.post(f"/overleg/{meeting.id}/deelnemers", data={"who": f"staff:{meeting_world['swv'].id}"})
    assert twice.status_code == 422  # not twice

    smtp.clear()
    fatima = Participant.get((Participant.meeting == meeting.id) & (Participant.name == "Fatima Yilmaz"))
    removed = client.post(f"/overleg/{meeting.id}/deelnemers/{fatima.id}/verwijderen")
    assert removed.status_code == 303
    (cancel,) = smtp.wait_for(1)
    assert cancel["To"] == "f.yilmaz@wijkteam.example.nl"
    assert calendar_of(cancel)[1]["METHOD"] == "CANCEL"
    assert "U neemt niet meer deel" in smtp.body(cancel)
    assert Participant.get_or_none(Participant.id == fatima.id) is None
    assert Meeting.get_by_id(meeting.id).status == "planned"
    chair = Participant.get((Participant.meeting == meeting.id) & (Participant.user == meeting_world["zorg"].id))
    refused = client.post(f"/overleg/{meeting.id}/deelnemers/{chair.id}/verwijderen")
    assert refused.status_code == 303 and Participant.get_or_none(Participant.id == chair.id) is not None
    mentor = Participant.get((Participant.meeting == meeting.id) & (Participant.user == meeting_world["mentor"].id))
    Contribution.create(meeting=meeting.id, participant=mentor.id, text="Al ingebracht")
    kept = client.post(f"/overleg/{meeting.id}/deelnemers/{mentor.id}/verwijderen", headers={"HX-Request": "true"})
    assert kept.status_code == 200 and "verwijderen zou die wissen" in kept.get_data(as_text=True)
    assert Participant.get_or_none(Participant.id == mentor.id) is not None  # saved input is never lost
    assert client.post(f"/overleg/{meeting.id}/deelnemers", data={"who": "external"}, csrf=False).status_code == 400
    assert client.post(f"/overleg/{meeting.id}/deelnemers/{mentor.id}/verwijderen", csrf=False).status_code == 400
    assert AuditEvent.select().where(AuditEvent.action.in_(["meeting.participant.add",
                                                            "meeting.participant.remove"])).count() == 3
    assert ShareLink.select().count() == 0

    login(client, meeting_world["swv"])  # a participant without planning rights
    kees = Participant.get(Participant.name == "Kees Leerplicht")
    assert client.post(f"/overleg/{meeting.id}/deelnemers/{kees.id}/verwijderen").status_code == 403
    assert client.post(f"/overleg/{meeting.id}/deelnemers", data={"who": "student"}).status_code == 403
    login(client, meeting_world["other_mentor"])
    assert client.post(f"/overleg/{meeting.id}/deelnemers", data={"who": "student"}).status_code == 404

    login(client, meeting_world["zorg"])
    Meeting.update(starts_at=dt.datetime.now() - dt.timedelta(hours=1)).where(Meeting.id == meeting.id).execute()
    late = client.post(f"/overleg/{meeting.id}/deelnemers", data={"who": "student"})
    assert late.status_code == 409 and "alleen vooraf" in late.get_data(as_text=True)


def test_an_outside_participant_needs_an_address_for_the_invitation(client, meeting_world):
    """Planning: an outside participant without an e-mail address is refused beside the
    field instead of being stored without an invitation."""
    login(client, meeting_world["zorg"])
    response = client.post(f"/leerlingen/{meeting_world['student'].id}/overleg/nieuw",
                           data=plan_data(meeting_world, **{"externals-0-email": ""}))
    assert response.status_code == 422
    assert "Vul een e-mailadres in voor de uitnodiging." in form_errors(response.get_data(as_text=True))
    assert Meeting.select().count() == 0


def test_resubmitted_plan_creates_one_meeting_and_one_round_of_invitations(client, meeting_world):
    """The answer to "Plannen" got lost and the chair submits the same form again: one meeting,
    one set of invitations, and the second answer leads to the first meeting."""
    login(client, meeting_world["zorg"])
    url = f"/leerlingen/{meeting_world['student'].id}/overleg/nieuw"
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', client.get(url).get_data(as_text=True))[1]
    data = {**plan_data(meeting_world, days=7), "idempotency_key": key}
    first = client.post(url, data=dict(data))
    assert first.status_code == 303, form_errors(first.get_data(as_text=True))
    meetings, mails = Meeting.select().count(), OutboxMail.select().count()
    again = client.post(url, data=dict(data))
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert Meeting.select().count() == meetings == 1 and OutboxMail.select().count() == mails
    assert "al verstuurd" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_resubmitted_contribution_is_stored_once(client, meeting_world):
    """The answer to "Inbreng opslaan" got lost (``make soak`` kills the server after the commit) and the
    participant sends the same form again, as a plain form or with htmx: one contribution, and the answer shows
    the first. A fresh form (a new key) adds the next contribution."""
    login(client, meeting_world["zorg"])
    meeting = plan_meeting(client, meeting_world)
    url = f"/overleg/{meeting.id}/inbreng"

    def fresh_key() -> str:
        page = client.get(f"/overleg/{meeting.id}").get_data(as_text=True)
        form = re.search(r'<form[^>]*action="%s".*?</form>' % url, page, re.S)[0]
        return re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', form)[1]

    me = Participant.get((Participant.meeting == meeting.id) & (Participant.user == meeting_world["zorg"].id))
    data = {"participant": str(me.id), "agenda_item": "0", "text": "Zorgen over het verzuim.",
            "idempotency_key": fresh_key()}
    first = client.post(url, data=dict(data))
    assert first.status_code == 303, form_errors(first.get_data(as_text=True))
    again = client.post(url, data=dict(data))
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert "al verstuurd" in client.get(again.headers["Location"]).get_data(as_text=True)
    with_htmx = client.post(url, data=dict(data), headers={"HX-Request": "true"})
    assert with_htmx.status_code == 204 and with_htmx.headers["HX-Redirect"] == first.headers["Location"]
    assert Contribution.select().where(Contribution.meeting == meeting.id).count() == 1
    assert client.post(url, data={**data, "idempotency_key": fresh_key()}).status_code == 303
    assert Contribution.select().where(Contribution.meeting == meeting.id).count() == 2
