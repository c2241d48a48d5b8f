"""Meetings planned, changed and cancelled (with calendar mail), contributions, attendance, the report and actions.

Every write is audited with IDs only. Invitations carry the meeting type, time, place and a link: never the
student's name or the agenda (R-DRE-AVG, data minimisation).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import peewee as pw
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock, links, mail, policy
from portal.audit import services as audit
from portal.auth.models import Membership, User
from portal.db import database, utcnow
from portal.dossier import services as dossier
from portal.dossier import storage
from portal.dossier.models import Attachment, Entry
from portal.dossier.sections import COMMUNICATION
from portal.language import portal_language
from portal.notifications import events
from portal.meetings import ics, rules
from portal.meetings.models import (Action, AgendaItem, Contribution, Meeting, MeetingSession, Participant, Report,
                                    SharedDocument)
from portal.meetings.models import OPP_CHOICES
from portal.route import services as route_services
from portal.schools.models import School
from portal.sharing.models import ShareLink
from portal.students.models import Guardian, Student
from portal.versioning import EditConflict, save_version

STAFF_ROLES = ("mentor", "zorg", "swv", "deskundige", "jeugdhulp")
CHAIR_ROLE = "voorzitter"
MINUTE_TAKER_ROLE = policy.MINUTE_TAKER_ROLE
DOSSIER_SECTION = COMMUNICATION  # the registered section the final report is filed in
REPORT_KIND = "meeting_report"  # the entry's kind and its source type
OPP_LABELS = dict(zip(OPP_CHOICES, (_l("Geen OPP nodig"), _l("OPP opstellen"), _l("OPP bijstellen"))))


# --- time and labels -------------------------------------------------------------------------------------


def ends_at(meeting: Meeting) -> dt.datetime:
    """The end of the meeting; a stored absurd date (9999-12-31 23:30) ends at the last moment, never an error."""
    try:
        return meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes)
    except OverflowError:
        return dt.datetime.max


def has_started(meeting: Meeting) -> bool:
    """The one test of "has this meeting started": its wall-clock start against Amsterdam's now."""
    return clock.local_now() >= meeting.starts_at


class Refused(Exception):
    """The change is not allowed in the meeting's state; the message (Dutch) says why."""


def type_label(key: str) -> str:
    meeting_type = route_services.registry().meeting_types.get(key)
    return meeting_type.label if meeting_type else _("Overleg")  # a type of a plugin no longer enabled: never the key


def filter_types(school_id: int | None) -> list[tuple[str, str]]:
    """The meeting types the list can be filtered on: those of the route the school runs (as it runs it), each
    label once; without a school or a route, every registered type."""
    types = route_services.registry().meeting_types
    school = School.get_or_none(School.id == school_id) if school_id else None
    route = route_services.route_for(None, school) if school else None
    keys = ([k for k in route_services.adapted(route, school.id).meeting_type_keys() if k in types] if route
            else list(types))
    offered, seen = [], set()
    for key in keys:
        label = str(types[key].label)
        if label.casefold() not in seen:
            seen.add(label.casefold())
            offered.append((key, label))
    return sorted(offered, key=lambda pair: pair[1].casefold())


def meeting_type(key: str):
    return route_services.registry().meeting_types.get(key)


# --- choices ---------------------------------------------------------------------------------------------


@dataclass
class TypeChoices:
    phase_label: str | None
    phase_key: str | None
    current: list  # MeetingType of the current phase, as the school adapted it
    other: list  # the other meeting types of the student's route

    @property
    def keys(self) -> set[str]:
        return {m.key for m in self.current + self.other}


def type_choices(student) -> TypeChoices:
    """Meeting types for a student: the current phase's (school-adapted) first, then the rest of the route."""
    traject, state = route_services.state_for(student)
    if state is None:
        return TypeChoices(None, None, [], [])
    route = route_services.adapted(state.route, student.school_id)
    types = route_services.registry().meeting_types
    phase = route.phase(state.current) if state.current and route.has_phase(state.current) else None
    current = [types[k] for k in (phase.meeting_types if phase else ()) if k in types]
    other = [types[k] for k in route.meeting_type_keys() if k in types and types[k] not in current]
    return TypeChoices(phase.label if phase else None, phase.key if phase else None, current, other)


def staff_of(school_id: int) -> list[tuple[User, str]]:
    """Active staff of a school with their role (one query), by name; SWV staff with a membership included."""
    rows = (Membership.select(Membership, User).join(User, on=(Membership.user == User.id))
            .where((Membership.school == school_id) & Membership.active & User.active
                   & Membership.role.in_(STAFF_ROLES))
            .order_by(User.name, User.id))
    seen: dict[int, tuple[User, str]] = {}
    for row in rows:
        seen.setdefault(row.user.id, (row.user, row.role))
    return list(seen.values())


def guardians_of(student) -> list[Guardian]:
    return list(Guardian.select().where(Guardian.student == student.id).order_by(Guardian.id))


def guardian_label(guardian: Guardian) -> str:
    """A parent in a choice list; one without gezag says so (they get general information only)."""
    if guardian.has_authority:
        return f"{guardian.name} ({guardian.relation})" if guardian.relation else guardian.name
    return _("%(name)s (%(relation)s, geen gezag: alleen algemene informatie)", name=guardian.name,
             relation=guardian.relation or _("ouder/verzorger"))


def without_gezag_ids(participants) -> set[int]:
    """The participants who are a parent or carer without gezag (one query)."""
    ids = [p.guardian_id for p in participants if p.kind == "guardian" and p.guardian_id]
    if not ids:
        return set()
    lacking = {g.id for g in Guardian.select(Guardian.id).where(Guardian.id.in_(ids) & ~Guardian.has_authority)}
    return {p.id for p in participants if p.guardian_id in lacking}


def upcoming_sessions(school_id: int) -> list[MeetingSession]:
    since = clock.local_now() - dt.timedelta(days=1)
    return list(MeetingSession.select().where((MeetingSession.school == school_id)
                                              & (MeetingSession.starts_at >= since))
                .order_by(MeetingSession.starts_at))


# --- planning, changing, cancelling ---------------------------------------------------------------------


def plan(student, values: dict, actor: policy.Actor) -> Meeting:
    """Store a meeting with its participants and agenda, then send the invitations.

    With ``values["held"]`` it records a meeting that was held but not planned in the portal (R-ROUTE-5, R-ROUTE-6):
    its time lies in the past, at most a few weeks back (Refused otherwise, see ``rules.record_refusal``), and no
    invitations go out; its attendance and report are recorded as for any meeting that was held."""
    held = bool(values.get("held"))
    refusal = held and rules.record_refusal(values["date"], values["start"])
    if refusal:
        raise Refused(refusal)
    staff = {u.id: (u, role) for u, role in staff_of(student.school_id)}
    traject = route_services.current_traject(student)
    choices = type_choices(student)
    in_phase = traject is not None and values["type_key"] in {m.key for m in choices.current}
    phase_key = choices.phase_key if in_phase else None
    with database.atomic():
        session = _session_for(student.school_id, values, actor)
        meeting = Meeting.create(
            school=student.school_id, student=student.id, traject=traject.id if traject else None,
            phase_key=phase_key, type_key=values["type_key"], session=session,
            starts_at=dt.datetime.combine(values["date"], values["start"]), duration_minutes=values["duration"],
            location=values["location"], video_url=values["video_url"], chair=values["chair"],
            ical_uid=f"{secrets.token_hex(16)}@{_host()}", created_by=actor.id)
        for user_id in dict.fromkeys([values["chair"], *values["staff"], values.get("minute_taker") or 0]):
            if user_id in staff:
                user, _role = staff[user_id]
                role = CHAIR_ROLE if user_id == values["chair"] else (
                    MINUTE_TAKER_ROLE if user_id == values.get("minute_taker") else "")
                Participant.create(meeting=meeting, kind="staff", user=user.id, name=user.name, email=user.email,
                                   role=role, organisation=user.organisation)
        for guardian in guardians_of(student):
            if guardian.id in values["guardians"]:
                Participant.create(meeting=meeting, kind="guardian", guardian=guardian.id, name=guardian.name,
                                   email=guardian.email or "", role=guardian.relation)
        if values["with_student"]:
            Participant.create(meeting=meeting, kind="student", name=student.full_name)
        for external in values["externals"]:
            Participant.create(meeting=meeting, kind="external", **external)
        for position, title in enumerate(values["agenda"], start=1):
            AgendaItem.create(meeting=meeting, position=position, title=title)
        audit.record("meeting.record" if held else "meeting.plan", "meeting", meeting.id, kind="write",
                     student_id=student.id, actor=actor)
    if not held:
        send_calendar(meeting, participants_of(meeting), "REQUEST", actor)
    return meeting


def _session_for(school_id: int, values: dict, actor) -> MeetingSession | None:
    if values.get("new_session"):
        return MeetingSession.create(school=school_id, title=values["new_session"],
                                     starts_at=dt.datetime.combine(values["date"], values["start"]),
                                     location=values["location"], created_by=actor.id)
    if values.get("session"):
        return MeetingSession.get_or_none((MeetingSession.id == values["session"])
                                          & (MeetingSession.school == school_id))
    return None


def change(meeting: Meeting, values: dict, expected_version: int, actor: policy.Actor) -> bool:
    """Move or relocate a meeting (versioned: EditConflict if someone changed it since ``expected_version``).

    Participants get an update with the same UID and a higher SEQUENCE; correcting a meeting that was already held
    sends nothing (it is not a new appointment).
    """
    if (refusal := change_refusal(meeting)) is not None:
        raise Refused(refusal)
    starts_at = dt.datetime.combine(values["date"], values["start"])
    new = {"starts_at": starts_at, "duration_minutes": values["duration"], "location": values["location"],
           "video_url": values["video_url"]}
    current = Meeting.get_by_id(meeting.id)
    if current.version != expected_version:
        raise EditConflict(current)
    if all(getattr(current, k) == v for k, v in new.items()):
        return False
    held = has_started(current)
    with database.atomic():
        updated = save_version(current, expected_version, new, actor.id,
                               extra={"ical_sequence": Meeting.ical_sequence + 1})
        audit.record("meeting.update", "meeting", meeting.id, kind="write", student_id=meeting.student_id,
                     actor=actor)
    if not held:
        send_calendar(updated, participants_of(updated), "REQUEST", actor)
    return True


def change_refusal(meeting: Meeting) -> str | None:
    """Why this meeting's date, time or place cannot be changed (Dutch), or None: a cancelled one stays as it was."""
    return _("Dit overleg is geannuleerd en kan niet meer worden gewijzigd.") if meeting.status != "planned" else None


_UNREAD = object()


def cancel_refusal(meeting: Meeting, report=_UNREAD) -> str | None:
    """Why this meeting cannot be cancelled (Dutch), or None. A held meeting is corrected, never cancelled.
    ``report``: the meeting's report (or None) when the caller has it already."""
    if meeting.status != "planned":
        return _("Dit overleg is al geannuleerd.")
    report = report_of(meeting) if report is _UNREAD else report
    if report is not None and report.status == "final":
        return _("Het verslag van dit overleg is definitief: het overleg kan niet meer worden geannuleerd. "
                 "Pas zo nodig het verslag of de gegevens aan.")
    if has_started(meeting):
        return _("Dit overleg is al begonnen of gehouden en kan niet meer worden geannuleerd. "
                 "Pas zo nodig de gegevens aan.")
    return None


def cancel(meeting: Meeting, reason: str, actor: policy.Actor) -> None:
    """Cancel an upcoming meeting with a reason; everyone gets a cancellation. Refused once it was held."""
    refusal = cancel_refusal(meeting)
    if refusal:
        raise Refused(refusal)
    with database.atomic():
        done = (Meeting.update(status="cancelled", ical_sequence=Meeting.ical_sequence + 1,
                               cancel_reason=reason[:500], cancelled_at=utcnow())
                .where((Meeting.id == meeting.id) & (Meeting.status == "planned")).execute())
        if not done:
            raise Refused(_("Dit overleg is al geannuleerd."))
        audit.record("meeting.cancel", "meeting", meeting.id, kind="write", student_id=meeting.student_id,
                     actor=actor)
    send_calendar(Meeting.get_by_id(meeting.id), participants_of(meeting), "CANCEL", actor)


# --- participants after planning -------------------------------------------------------------------------


def participant_refusal(meeting: Meeting) -> str | None:
    if meeting.status != "planned":
        return _("Het overleg is geannuleerd.")
    if has_started(meeting):
        return _("Het overleg is al begonnen: deelnemers wijzig je alleen vooraf.")
    return None


def addable(meeting: Meeting) -> list[tuple[str, str]]:
    """Who can still be added: (choice key, label) for staff, parents and the student not yet taking part."""
    present = participants_of(meeting)
    users = {p.user_id for p in present if p.user_id}
    guardians = {p.guardian_id for p in present if p.guardian_id}
    choices = [(f"staff:{u.id}", f"{u.name} ({policy.ROLES.get(role, role)})")
               for u, role in staff_of(meeting.school_id) if u.id not in users]
    choices += [(f"guardian:{g.id}", guardian_label(g)) for g in guardians_of(meeting.student)
                if g.id not in guardians]
    if not any(p.kind == "student" for p in present):
        choices.append(("student", _("De leerling")))
    return choices


def add_participant(meeting: Meeting, choice: str, external: dict, actor: policy.Actor) -> Participant:
    """Add one participant and send that person (only) the invitation with the meeting's .ics."""
    refusal = participant_refusal(meeting)
    if refusal:
        raise Refused(refusal)
    allowed = dict(addable(meeting))
    with database.atomic():
        if choice == "external":
            participant = Participant.create(meeting=meeting.id, kind="external", **external)
        elif choice in allowed and choice.startswith("staff:"):
            user_id = int(choice.split(":", 1)[1])
            user = User.get_by_id(user_id)
            participant = Participant.create(meeting=meeting.id, kind="staff", user=user.id, name=user.name,
                                             email=user.email, organisation=user.organisation)
        elif choice in allowed and choice.startswith("guardian:"):
            guardian = Guardian.get_by_id(int(choice.split(":", 1)[1]))
            participant = Participant.create(meeting=meeting.id, kind="guardian", guardian=guardian.id,
                                             name=guardian.name, email=guardian.email or "", role=guardian.relation)
        elif choice in allowed and choice == "student":
            participant = Participant.create(meeting=meeting.id, kind="student", name=meeting.student.full_name)
        else:
            raise Refused(_("Deze deelnemer kan niet worden toegevoegd."))
        audit.record("meeting.participant.add", "participant", participant.id, kind="write",
                     student_id=meeting.student_id, actor=actor)
    send_calendar(Meeting.get_by_id(meeting.id), [participant], "REQUEST", actor, invitation=True)
    return participant


def remove_participant(meeting: Meeting, participant: Participant, actor: policy.Actor) -> None:
    """Remove one participant (never the chair); only that person gets a cancellation. Their link stops."""
    refusal = participant_refusal(meeting)
    if refusal:
        raise Refused(refusal)
    if participant.user_id and participant.user_id == meeting.chair_id:
        raise Refused(_("De voorzitter kan niet worden verwijderd. Kies eerst een andere voorzitter."))
    if (Contribution.select().where(Contribution.participant == participant.id).exists()
            or Action.select().where(Action.owner == participant.id).exists()):
        raise Refused(_("%(name)s heeft al inbreng of een actie bij dit overleg; verwijderen zou die wissen.",
                        name=participant.name))
    with database.atomic():
        audit.record("meeting.participant.remove", "participant", participant.id, kind="write",
                     student_id=meeting.student_id, actor=actor)
        participant.delete_instance()  # cascades to the participant's contributions, actions and share link
    send_calendar(Meeting.get_by_id(meeting.id), [participant], "CANCEL", actor, removed=True)


def _host() -> str:
    from urllib.parse import urlparse

    return urlparse(current_app.config["BASE_URL"]).hostname or "localhost"


def meeting_link(meeting: Meeting) -> str:
    return links.absolute("meetings.show", meeting_id=meeting.id)


def portal_link() -> str:
    """The portal's own address (for those without an account: never a page that needs one)."""
    return current_app.config["BASE_URL"].rstrip("/") + "/"


def send_calendar(meeting: Meeting, participants: list[Participant], method: str, actor: policy.Actor,
                  invitation: bool = False, removed: bool = False) -> int:
    """Mail each participant with an address an invitation, update or cancellation with its .ics part
    (``actor``, who caused it, is told if a mail finally fails).

    ``invitation``: a first invitation even if the meeting changed before (a participant added later);
    ``removed``: a cancellation for a participant taken off a meeting that goes on.
    """
    organizer = current_app.config["MAIL_FROM"]
    school = School.get_by_id(meeting.school_id).name
    first = invitation or meeting.ical_sequence == 0
    sent = 0
    with portal_language():  # what is mailed never depends on the language of whoever clicked
        label = str(type_label(meeting.type_key))
        when = meeting.starts_at.strftime("%d-%m-%Y %H:%M")
        subject = {"REQUEST": _("Uitnodiging: %(type)s op %(when)s", type=label, when=when) if first
                   else _("Gewijzigd: %(type)s op %(when)s", type=label, when=when),
                   "CANCEL": _("Geannuleerd: %(type)s op %(when)s", type=label, when=when)}[method]
        for participant in participants:
            if not participant.email:
                continue
            staff = participant.kind == "staff"
            link = meeting_link(meeting) if staff else portal_link()
            payload = ics.build(meeting, method=method, summary=label, link=link, organizer=organizer,
                                attendee=participant.email)
            body = _mail_body(meeting, label, method, link, staff, first, removed, school)
            mail.send(participant.email, subject, body, attachments=[ics.mail_part(payload, method)],
                      caused_by=_caused_by(actor))
            sent += 1
    return sent


def _caused_by(actor: policy.Actor) -> int | None:
    return actor.id if actor.kind == "user" else None


def _mail_body(meeting: Meeting, label: str, method: str, link: str, staff: bool, first: bool,
               removed: bool = False, school: str = "") -> str:
    lines = [_("U neemt niet meer deel aan dit overleg; de afspraak vervalt voor u.") if removed else
             _("Het overleg is geannuleerd.") if method == "CANCEL" else
             _("U bent uitgenodigd voor een overleg.") if first else
             _("Het overleg is gewijzigd. De nieuwe gegevens staan hieronder."), "",
             _("School: %(school)s", school=school),
             _("Soort overleg: %(type)s", type=label),
             _("Datum en tijd: %(start)s - %(end)s", start=meeting.starts_at.strftime("%d-%m-%Y %H:%M"),
               end=ends_at(meeting).strftime("%H:%M"))]
    if meeting.location:
        lines.append(_("Plaats: %(place)s", place=meeting.location))
    if meeting.video_url:
        lines.append(_("Videolink: %(url)s", url=meeting.video_url))
    lines.append("")
    if method == "CANCEL":
        pass  # nothing to open any more: no link is promised
    elif staff:
        lines.append(_("Agenda en stukken vindt u na inloggen in het portaal: %(link)s", link=link))
    else:
        lines.append(_("U ontvangt van de school een persoonlijke link naar de gegevens van dit overleg. "
                       "Portaal: %(link)s", link=link))
    return "\n".join(lines)


# --- reading a meeting -----------------------------------------------------------------------------------


def participants_of(meeting: Meeting) -> list[Participant]:
    kinds = {"staff": 0, "guardian": 1, "student": 2, "external": 3}
    rows = list(Participant.select().where(Participant.meeting == meeting.id).order_by(Participant.id))
    return sorted(rows, key=lambda p: (kinds.get(p.kind, 9), p.id))


def participant_by_id(meeting: Meeting, participant_id: int) -> Participant | None:
    return Participant.get_or_none((Participant.id == participant_id) & (Participant.meeting == meeting.id))


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.select().where(AgendaItem.meeting == meeting.id).order_by(AgendaItem.position))


def contributions_of(meeting: Meeting) -> list[Contribution]:
    """Contributions with their participant, file and who entered them (one query)."""
    enterer = User.alias()
    return list(Contribution.select(Contribution, Participant, Attachment, enterer.id, enterer.name)
                .join(Participant, on=(Contribution.participant == Participant.id))
                .switch(Contribution)
                .join(Attachment, pw.JOIN.LEFT_OUTER, on=(Contribution.attachment == Attachment.id))
                .switch(Contribution)
                .join(enterer, pw.JOIN.LEFT_OUTER, on=(Contribution.entered_by == enterer.id), attr="entered_by")
                .where(Contribution.meeting == meeting.id)
                .order_by(Contribution.created_at, Contribution.id))


def documents_of(meeting: Meeting) -> list[SharedDocument]:
    return list(SharedDocument.select(SharedDocument, Attachment)
                .join(Attachment, on=(SharedDocument.attachment == Attachment.id))
                .where(SharedDocument.meeting == meeting.id).order_by(SharedDocument.shared_at, SharedDocument.id))


def shareable_attachments(student, actor: policy.Actor) -> list[Attachment]:
    """The student's attachments the actor may see in the dossier: the dossier's own rule decides."""
    return dossier.visible_attachments(student, actor)


def took_part_for(user_id: int, student_id: int) -> bool:
    """Whether this user took part in any meeting about the student (a deskundige was then involved before)."""
    return (Participant.select().join(Meeting)
            .where((Participant.user == user_id) & (Meeting.student == student_id)).exists())


def report_of(meeting: Meeting) -> Report | None:
    return Report.get_or_none(Report.meeting == meeting.id)


def action_of(meeting: Meeting, action_id: int) -> Action | None:
    """One action of the meeting with its owner joined."""
    return (Action.select(Action, Participant).join(Participant, on=(Action.owner == Participant.id))
            .where((Action.id == action_id) & (Action.meeting == meeting.id)).first())


def actions_of(meeting: Meeting) -> list[Action]:
    return list(Action.select(Action, Participant).join(Participant, on=(Action.owner == Participant.id))
                .where(Action.meeting == meeting.id).order_by(Action.due_date, Action.id))


def meetings_of_student(student, actor: policy.Actor) -> list[Meeting]:
    """The meetings of a student the actor may see, newest first (one query)."""
    if not actor.can("meeting", "view"):
        return []
    return list(policy.meetings(actor=actor).where(Meeting.student == student.id)
                .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))


PERIODS = ("komend", "gehouden", "alle")  # the list's periods: coming, held, all


def list_meetings(actor: policy.Actor, period: str, type_key: str = "", term: str = "", limit: int = 200) -> list:
    """The meetings the actor may see: coming ones (today's and later, soonest first) or held ones (latest first),
    filtered by meeting type and words of the student's name; with student, session and report joined (one query).
    """
    now = clock.local_now()
    query = (policy.meetings(actor=actor).select(Meeting, Student, MeetingSession, Report.id, Report.status)
             .join(Student, on=(Meeting.student == Student.id))
             .switch(Meeting).join(MeetingSession, pw.JOIN.LEFT_OUTER, on=(Meeting.session == MeetingSession.id))
             .switch(Meeting).join(Report, pw.JOIN.LEFT_OUTER, on=(Report.meeting == Meeting.id), attr="report"))
    if period == "komend":
        # Today's meetings stay under "komend" all day (the report is written after); yesterday's never are.
        today = dt.datetime.combine(clock.today(), dt.time())
        query = query.where(Meeting.starts_at >= today).order_by(Meeting.starts_at, Meeting.id)
    else:
        if period == "gehouden":
            query = query.where(Meeting.starts_at < now)
        query = query.order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    if type_key in route_services.registry().meeting_types:
        query = query.where(Meeting.type_key == type_key)
    for word in term.split():
        query = query.where(Student.first_name.contains(word) | Student.last_name.contains(word))
    return list(query.limit(limit))


# --- contributions, documents, attendance ----------------------------------------------------------------


def contribution_refusal(meeting: Meeting, actor: policy.Actor) -> str | None:
    """Why ``actor`` cannot bring in a contribution now (Dutch), or None. Staff contribute until the meeting
    ends; a guest link's one contribution can be changed until the meeting starts."""
    if actor.kind == "guest":
        if has_started(meeting):
            return _("Het overleg is begonnen: uw inbreng kan niet meer worden gewijzigd.")
        return None
    if meeting.status != "planned" or clock.local_now() >= ends_at(meeting):
        return _("Inbreng kan alleen vóór afloop van het overleg.")
    return None


def add_contribution(meeting: Meeting, participant: Participant, text: str, actor: policy.Actor, *,
                     agenda_item_id: int | None = None, upload=None) -> Contribution:
    """R-VO-10: store a participant's contribution, audited with ``actor`` (a staff member, or the guest link of
    that participant). Refused outside the window of ``contribution_refusal``.

    Staff add contributions per agenda item; a guest link has one contribution, which it replaces (a new file
    replaces the previous one). A file goes through the dossier's attachment storage (StorageError if refused).
    """
    refusal = contribution_refusal(meeting, actor)
    if refusal:
        raise Refused(refusal)
    if actor.kind == "guest":
        return _save_guest_contribution(meeting, participant, text, actor, upload)
    attachment = dossier.add_attachment(meeting.student, upload, actor=actor) if upload else None
    with database.atomic():
        item = AgendaItem.get_or_none((AgendaItem.id == (agenda_item_id or 0)) & (AgendaItem.meeting == meeting.id))
        contribution = Contribution.create(meeting=meeting.id, participant=participant.id, agenda_item=item,
                                           text=text, attachment=attachment, entered_by=actor.id)
        audit.record("meeting.contribution", "contribution", contribution.id, kind="write",
                     student_id=meeting.student_id, actor=actor)
    return contribution


def own_contribution(participant: Participant) -> Contribution | None:
    """A guest's one contribution (with its file, if any)."""
    return (Contribution.select(Contribution, Attachment)
            .join(Attachment, pw.JOIN.LEFT_OUTER, on=(Contribution.attachment == Attachment.id))
            .where(Contribution.participant == participant.id).order_by(Contribution.id).first())


def _save_guest_contribution(meeting: Meeting, participant: Participant, text: str, actor: policy.Actor,
                             upload) -> Contribution:
    # The file's responsible account is the one who made the link: a guest has no account of its own.
    link = ShareLink.get_by_id(actor.guest_link_id)
    if link.participant_id != participant.id or link.meeting_id != meeting.id:
        raise ValueError("a share link contributes only for its own participant and meeting")
    with database.atomic():
        own = Contribution.get_or_none(Contribution.participant == participant.id)
        old_file = own.attachment if own and upload and own.attachment_id else None
        new_file = dossier.add_attachment(meeting.student, upload, uploaded_by=link.created_by_id, actor=actor) \
            if upload else None
        if own is None:
            own = Contribution.create(meeting=meeting.id, participant=participant.id, text=text,
                                      attachment=new_file)
        else:
            own.text, own.updated_at = text, utcnow()
            if new_file:
                own.attachment = new_file
            own.save()
        audit.record("guest.contribution.save", "contribution", own.id, kind="write",
                     student_id=meeting.student_id, actor=actor)
        if old_file:
            audit.record("attachment.delete", "attachment", old_file.id, kind="write",
                         student_id=meeting.student_id, actor=actor)
            old_file.delete_instance()
            storage.remove(old_file.storage_name)
    return own


def confidential_ids(attachments) -> set[int]:
    """Which of these attachments belong to a confidential dossier entry (one query)."""
    ids = [a.id for a in attachments]
    if not ids:
        return set()
    return {a.id for a in Attachment.select(Attachment.id).join(Entry, on=(Attachment.entry == Entry.id))
            .where(Attachment.id.in_(ids) & (Entry.confidential == True))}  # noqa: E712


def new_confidential(meeting: Meeting, attachment_ids: list[int], actor: policy.Actor) -> list[Attachment]:
    """The confidential attachments among these that the meeting does not share yet (they need a confirmation)."""
    current = {d.attachment_id for d in SharedDocument.select().where(SharedDocument.meeting == meeting.id)}
    candidates = [a for a in shareable_attachments(meeting.student, actor) if a.id in set(attachment_ids) - current]
    secret = confidential_ids(candidates)
    return [a for a in candidates if a.id in secret]


def share_documents(meeting: Meeting, attachment_ids: list[int], actor: policy.Actor,
                    confirmed_confidential: bool = False) -> None:
    """Share exactly these dossier attachments with the participants of the meeting.

    A confidential attachment is shared only with ``confirmed_confidential`` (Refused otherwise); each one is
    audited on its own, so the dossier's access log shows who shared it into the meeting.
    """
    confidential = new_confidential(meeting, attachment_ids, actor)
    if confidential and not confirmed_confidential:
        raise Refused(_("Bevestig dat je vertrouwelijke documenten deelt."))
    allowed = {a.id for a in shareable_attachments(meeting.student, actor)}
    chosen = set(attachment_ids) & allowed
    with database.atomic():
        current = {d.attachment_id for d in SharedDocument.select().where(SharedDocument.meeting == meeting.id)}
        SharedDocument.delete().where((SharedDocument.meeting == meeting.id)
                                      & SharedDocument.attachment.in_(current - chosen)).execute()
        for attachment_id in chosen - current:
            SharedDocument.create(meeting=meeting.id, attachment=attachment_id, shared_by=actor.id)
        for attachment in confidential:
            audit.record("meeting.documents.share_confidential", "attachment", attachment.id, kind="write",
                         student_id=meeting.student_id, actor=actor)
        audit.record("meeting.documents", "meeting", meeting.id, kind="write", student_id=meeting.student_id,
                     actor=actor)


def attendance_refusal(meeting: Meeting) -> str | None:
    if clock.today() < meeting.starts_at.date():
        return _("Aanwezigheid leg je vast op of na de dag van het overleg.")
    return None


def record_attendance(meeting: Meeting, present: list[int], actor: policy.Actor) -> None:
    """Who was there (every other participant was not); refused before the day of the meeting."""
    refusal = attendance_refusal(meeting)
    if refusal:
        raise Refused(refusal)
    with database.atomic():
        Participant.update(attended=Participant.id.in_(present or [0])).where(
            Participant.meeting == meeting.id).execute()
        audit.record("meeting.attendance", "meeting", meeting.id, kind="write", student_id=meeting.student_id,
                     actor=actor)


# --- the report ------------------------------------------------------------------------------------------


def attendance_recorded(meeting: Meeting) -> bool:
    return (Participant.select()
            .where((Participant.meeting == meeting.id) & Participant.attended.is_null(False)).exists())


def finalise_refusal(meeting: Meeting) -> str | None:
    """Why the report cannot be made final yet (Dutch), or None: the meeting must have started and attendance
    must be recorded, so the report never lists invitees as present."""
    if meeting.status != "planned":
        return _("Het overleg is geannuleerd.")
    if not has_started(meeting):
        return _("Het verslag kan pas definitief worden als het overleg is begonnen.")
    if not attendance_recorded(meeting):
        return _("Leg eerst vast wie er aanwezig was (bij Deelnemers).")
    return None


def save_report(meeting: Meeting, expected_version: int, values: dict, action_rows: list[dict], finalise: bool,
                actor: policy.Actor) -> Report:
    """Save the report (versioned; EditConflict if someone saved in between) and its actions.

    Finalising (or saving a final report) keeps its dossier entry in step and fills in the phase's evaluation date.
    Finalising is refused (Refused) before the meeting started or while attendance is not recorded.
    """
    if finalise:
        refusal = finalise_refusal(meeting)
        if refusal:
            raise Refused(refusal)
    with database.atomic():
        report = report_of(meeting)
        if report is None:
            if expected_version != 0:
                raise EditConflict(None)
            try:
                with database.atomic():
                    report = Report.create(meeting=meeting.id, author=actor.id, **values)
            except pw.IntegrityError:
                raise EditConflict(report_of(meeting)) from None
            if finalise:
                report = save_version(report, report.version, {"status": "final"}, actor.id,
                                      extra={"finalised_at": utcnow()})
        else:
            changes = {**values, "status": "final" if finalise or report.status == "final" else "draft"}
            extra = {"updated_at": utcnow(), "author": actor.id}
            if finalise and report.status != "final":
                extra["finalised_at"] = utcnow()
            report = save_version(report, expected_version, changes, actor.id, extra=extra)
        _save_actions(meeting, action_rows)
        audit.record("meeting.report.save", "report", report.id, kind="write", student_id=meeting.student_id,
                     actor=actor)
        if report.status == "final":
            report = _file_in_dossier(meeting, report, actor)
    return report


def date_window(meeting: Meeting, days_ahead: int) -> tuple[dt.date, dt.date]:
    """Action due dates and the next evaluation: from the day of the meeting (or today, if earlier) to
    ``days_ahead`` days from today."""
    today = clock.today()
    return min(meeting.starts_at.date(), today), today + dt.timedelta(days=days_ahead)


def _save_actions(meeting: Meeting, rows: list[dict]) -> None:
    owners = {p.id for p in Participant.select(Participant.id).where(Participant.meeting == meeting.id)}
    existing = {a.id: a for a in Action.select().where(Action.meeting == meeting.id)}
    for row in rows:
        action = existing.get(row["id"]) if row["id"] else None
        if not row["description"]:
            if action is not None:
                action.delete_instance()
            continue
        if row["owner"] not in owners or row["due_date"] is None:
            continue
        fields = {"description": row["description"], "owner": row["owner"], "due_date": row["due_date"]}
        if action is None:
            Action.create(meeting=meeting.id, **fields)
        else:
            Action.update(fields).where(Action.id == action.id).execute()


def _file_in_dossier(meeting: Meeting, report: Report, actor: policy.Actor) -> Report:
    """The final report as a dossier entry (created once, then versioned), and the phase's evaluation date.
    Its title and text are in the portal's language, whoever finalised it."""
    with portal_language():
        title = _("Verslag: %(type)s van %(date)s", type=type_label(meeting.type_key),
                  date=meeting.starts_at.strftime("%d-%m-%Y"))
        body = report_text(meeting, report)
    entry = dossier.file_source(meeting.student_id, source_type=REPORT_KIND, source_id=meeting.id,
                                section=DOSSIER_SECTION, kind=REPORT_KIND, title=title, body=body, actor=actor)
    if report.entry_id != entry.id:
        Report.update(entry=entry.id).where(Report.id == report.id).execute()
    _set_evaluation_date(meeting, report, actor)
    return Report.get_by_id(report.id)


def _set_evaluation_date(meeting: Meeting, report: Report, actor: policy.Actor) -> None:
    """The next evaluation the final report agreed becomes the phase's evaluation date, through the route's own
    service (which keeps the phase-plan entry in the dossier in step)."""
    if meeting.traject_id and meeting.phase_key and report.next_evaluation_date:
        route_services.set_evaluation_date(meeting.traject_id, meeting.phase_key, report.next_evaluation_date, actor)


def report_text(meeting: Meeting, report: Report) -> str:
    """The report as plain text for the dossier entry."""
    present = [p for p in participants_of(meeting) if p.attended]
    parts = [_("Soort overleg: %(type)s", type=type_label(meeting.type_key)),
             _("Datum: %(date)s", date=meeting.starts_at.strftime("%d-%m-%Y %H:%M"))]
    if present:
        parts.append(_("Aanwezig: %(names)s", names=", ".join(p.name for p in present)))
    for label, value in ((_("Samenvatting"), report.summary), (_("Visie van ouders"), report.parent_view),
                         (_("Visie van de leerling"), report.student_view), (_("Besluiten"), report.decisions)):
        if value:
            parts.append(f"{label}:\n{value}")
    actions = actions_of(meeting)
    if actions:
        parts.append(_("Acties") + ":\n" + "\n".join(
            f"- {a.description} ({a.owner.name}, {a.due_date.strftime('%d-%m-%Y')})" for a in actions))
    if report.next_evaluation_date:
        parts.append(_("Volgende evaluatie: %(date)s", date=report.next_evaluation_date.strftime("%d-%m-%Y")))
    parts.append(_("OPP: %(opp)s", opp=OPP_LABELS.get(report.opp, report.opp)))
    return "\n\n".join(parts)


def share_report(meeting: Meeting, actor: policy.Actor) -> None:
    """Share the report with the participants; those with an account hear of it (bell and mail, once)."""
    with database.atomic():
        Meeting.update(report_shared_at=utcnow()).where(Meeting.id == meeting.id).execute()
        audit.record("meeting.report.share", "meeting", meeting.id, kind="write", student_id=meeting.student_id,
                     actor=actor)
    events.report_shared(meeting, [p.user_id for p in participants_of(meeting)], type_label(meeting.type_key),
                         actor.id)


def close_action(meeting: Meeting, action: Action, actor: policy.Actor) -> bool:
    """Mark an action done (its reminders stop: open_actions skips it); False when it was closed already."""
    with database.atomic():
        done = (Action.update(done_at=utcnow())
                .where((Action.id == action.id) & (Action.meeting == meeting.id) & Action.done_at.is_null())
                .execute())
        if done:
            audit.record("meeting.action.close", "action", action.id, kind="write", student_id=meeting.student_id,
                         actor=actor)
    return bool(done)


# --- for the task list and reminders ---------------------------------------------------------------------


def open_actions(*, user_id: int | None = None, school_id: int | None = None, due_before: dt.date | None = None,
                 meeting_id: int | None = None):
    """Open actions of meetings that were not cancelled, earliest due first, with owner and meeting joined.

    Filter by the owner's account (``user_id``), the school, a due date (exclusive) or one meeting.
    """
    query = (Action.select(Action, Participant, Meeting)
             .join(Participant, on=(Action.owner == Participant.id))
             .switch(Action).join(Meeting, on=(Action.meeting == Meeting.id))
             .where(Action.done_at.is_null() & (Meeting.status != "cancelled")))
    if user_id is not None:
        query = query.where(Participant.user == user_id)
    if school_id is not None:
        query = query.where(Meeting.school == school_id)
    if due_before is not None:
        query = query.where(Action.due_date < due_before)
    if meeting_id is not None:
        query = query.where(Action.meeting == meeting_id)
    return query.order_by(Action.due_date, Action.id)
