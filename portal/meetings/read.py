"""One read model of a meeting for whoever looks at it: a staff member, the guest of a share link, later a parent.

The staff page (meetings/views.py) and the guest page (sharing/views.py) both render a ``MeetingView``; what a
viewer may see is decided here, once. Staff see what the policy's meeting rights allow. A participant without an
account (a guest link now; a parent's own account later, through ``_for_participant``) sees the agenda titles,
the participants, the shared documents, their own contribution and actions, and the report once the chair shared
it: never the other contributions, the draft report or the student's route.

Staff with an outside role (jeugdhulp, SWV, deskundige) see the full page only with a recorded consent that covers
them (``policy.meeting_rights(...).full_view``); without it, the meeting's date and their own contribution.

Views audit the reads; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from portal import policy
from portal.auth.models import User
from portal.dossier.models import Attachment
from portal.meetings import services
from portal.meetings.models import Contribution, Meeting, Participant, SharedDocument
from portal.route import services as route_services
from portal.schools.models import School
from portal.sharing.models import ShareLink


@dataclass
class MeetingView:
    meeting: Meeting
    student: object
    viewer: policy.Actor  # the actor the view was built for (a guest actor for a share link)
    rights: policy.MeetingRights
    me: Participant | None  # the viewer's own participation, if any
    type_label: str
    ends_at: dt.datetime
    started: bool
    open: bool  # the viewer may still bring in a contribution
    participants: list[Participant]
    agenda: list
    contributions: list[Contribution]  # staff: all of them; a participant without an account: their own only
    documents: list[SharedDocument]
    report: object | None  # staff: the report in any state; a guest: the final report once it was shared
    actions: list  # staff: all of them; a guest: their own
    school: School | None = None
    chair: User | None = None
    closable: set[int] = field(default_factory=set)  # ids of open actions the viewer may close
    own: Contribution | None = None  # the one contribution of a participant without an account
    shareable: list[Attachment] = field(default_factory=list)  # dossier attachments the viewer may share
    confidential: set[int] = field(default_factory=set)  # which shown or shareable attachments are confidential
    cancel_refusal: str | None = None
    participants_editable: bool = False
    without_gezag: set[int] = field(default_factory=set)  # participant ids of parents without gezag
    state: object | None = None  # the student's route state (staff only)
    route: object | None = None
    phase: object | None = None

    def context(self) -> dict:
        """The fields as template variables (templates read ``agenda``, ``report``, ... directly)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def for_viewer(meeting: Meeting, viewer) -> MeetingView:
    """The meeting as ``viewer`` may see it: a staff ``policy.Actor`` or a guest's ``ShareLink`` (whose meeting
    must be ``meeting``). A parent with an account of their own will come in through ``_for_participant``."""
    if isinstance(viewer, ShareLink):
        if viewer.meeting_id != meeting.id:
            raise ValueError("the share link belongs to another meeting")
        return _for_participant(meeting, viewer.participant, guest_actor(viewer))
    if isinstance(viewer, policy.Actor) and viewer.kind == "user":
        return _for_staff(meeting, viewer)
    raise TypeError(f"no meeting view for {viewer!r}")


def guest_actor(link: ShareLink, ip: str | None = None) -> policy.Actor:
    """The actor of a share link: audited as the link, limited to its one meeting."""
    return policy.Actor(kind="guest", school_id=link.meeting.school_id, guest_meeting_id=link.meeting_id,
                        guest_link_id=link.id, ip=ip)


def _common(meeting: Meeting, viewer: policy.Actor, rights: policy.MeetingRights, me: Participant | None) -> dict:
    return {"meeting": meeting, "student": meeting.student, "viewer": viewer, "rights": rights, "me": me,
            "type_label": str(services.type_label(meeting.type_key)), "ends_at": services.ends_at(meeting),
            "started": services.has_started(meeting),
            "open": services.contribution_refusal(meeting, viewer) is None,
            "agenda": services.agenda_of(meeting), "documents": services.documents_of(meeting)}


def _for_staff(meeting: Meeting, actor: policy.Actor) -> MeetingView:
    meeting = Meeting.get_by_id(meeting.id)
    participants = services.participants_of(meeting)
    me = next((p for p in participants if p.user_id is not None and p.user_id == actor.id), None)
    rights = policy.meeting_rights(meeting, actor, me=me)
    if not rights.full_view:
        return _limited(meeting, actor, rights, me)
    actions = services.actions_of(meeting)
    shareable = services.shareable_attachments(meeting.student, actor) if rights.dossier else []
    report = services.report_of(meeting)
    view = MeetingView(**_common(meeting, actor, rights, me), participants=participants,
                       contributions=services.contributions_of(meeting), report=report,
                       actions=actions, shareable=shareable,
                       closable={a.id for a in actions if a.done_at is None and rights.close_action(a)},
                       cancel_refusal=services.cancel_refusal(meeting, report),
                       participants_editable=rights.manage and services.participant_refusal(meeting) is None)
    view.confidential = services.confidential_ids([*shareable, *(d.attachment for d in view.documents)])
    view.without_gezag = services.without_gezag_ids(participants)
    _, view.state = route_services.state_for(meeting.student)
    if view.state is not None:
        view.route = route_services.adapted(view.state.route, meeting.student.school_id)
        current = view.state.current
        view.phase = view.route.phase(current) if current and view.route.has_phase(current) else None
    return view


def _limited(meeting: Meeting, actor: policy.Actor, rights: policy.MeetingRights, me) -> MeetingView:
    """An outside role (jeugdhulp, SWV, deskundige) without a consent that covers them: the meeting's date and
    their own contribution, nothing of the agenda, the others, the documents or the report."""
    own = [c for c in services.contributions_of(meeting) if me is not None and c.participant_id == me.id]
    common = {**_common(meeting, actor, rights, me), "agenda": [], "documents": []}
    return MeetingView(**common, participants=[me] if me else [], contributions=own, report=None, actions=[])


def _for_participant(meeting: Meeting, participant: Participant, actor: policy.Actor) -> MeetingView:
    """What a participant without a staff account sees (a guest link's participant; later a parent)."""
    report = services.report_of(meeting) if meeting.report_shared_at else None
    own = services.own_contribution(participant)
    people = sorted(services.participants_of(meeting), key=lambda p: (p.kind, p.name))
    return MeetingView(**_common(meeting, actor, policy.NO_MEETING_RIGHTS, participant), participants=people,
                       contributions=[own] if own else [], own=own,
                       report=report if report is not None and report.status == "final" else None,
                       actions=[a for a in services.actions_of(meeting) if a.owner_id == participant.id],
                       school=School.get_by_id(meeting.school_id), chair=User.get_by_id(meeting.chair_id))


def limited_ids(meetings: list[Meeting], actor: policy.Actor) -> set[int]:
    """Which of these meetings ``actor`` sees only in part (an outside role without a consent that covers them): the
    list then shows their date and type, not the student."""
    if not (actor.roles & policy.OUTSIDE_ROLES and actor.scope_for("meeting", "view") == policy.PARTICIPANT):
        return set()
    return {m.id for m in meetings if not policy.meeting_rights(m, actor).full_view}


def report_for_print(meeting: Meeting, actor: policy.Actor) -> dict | None:
    """The report's printable page (HTML and PDF), or None when there is none for this actor: a draft is only
    for those who write it and those who manage the meeting."""
    report = services.report_of(meeting)
    if report is None:
        return None
    rights = policy.meeting_rights(meeting, actor)
    if not rights.full_view or (report.status != "final" and not (rights.report or rights.manage)):
        return None
    participants = services.participants_of(meeting)
    return {"meeting": meeting, "report": report, "school": School.get_by_id(meeting.school_id),
            "student": meeting.student, "type_label": services.type_label(meeting.type_key),
            "ends_at": services.ends_at(meeting), "participants": participants,
            "present": [p for p in participants if p.attended],
            "absent": [p for p in participants if p.attended is False],
            "attendance_known": any(p.attended is not None for p in participants),
            "actions": services.actions_of(meeting)}


# --- the files a viewer may download ---------------------------------------------------------------------


def shared_attachment(meeting: Meeting, document_id: int, actor: policy.Actor | None = None) -> Attachment | None:
    """A document shared with this meeting's participants (staff and guests alike); a staff ``actor`` without the
    full view of the meeting (an outside role without consent) gets none."""
    if actor is not None and actor.kind == "user" and not policy.meeting_rights(meeting, actor).full_view:
        return None
    shared = (SharedDocument.select(SharedDocument, Attachment)
              .join(Attachment, on=(SharedDocument.attachment == Attachment.id))
              .where((SharedDocument.id == document_id) & (SharedDocument.meeting == meeting.id)).first())
    return shared.attachment if shared else None


def contribution_attachment(meeting: Meeting, viewer, contribution_id: int | None = None) -> Attachment | None:
    """The file of a contribution: staff may open any contribution's file of the meeting; a guest link only its
    own contribution's (``contribution_id`` is then not needed)."""
    if isinstance(viewer, ShareLink):
        own = services.own_contribution(viewer.participant) if viewer.meeting_id == meeting.id else None
        return own.attachment if own and own.attachment_id else None
    contribution = Contribution.get_or_none((Contribution.id == (contribution_id or 0))
                                            & (Contribution.meeting == meeting.id))
    if contribution is None or contribution.attachment_id is None:
        return None
    if not policy.meeting_rights(meeting, viewer).full_view and (
            contribution.participant.user_id is None or contribution.participant.user_id != viewer.id):
        return None  # an outside role without consent opens only their own contribution's file
    return Attachment.get_by_id(contribution.attachment_id)
