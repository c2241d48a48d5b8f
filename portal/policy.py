"""The one authorization policy: resource x action x scope.

Every view asks this module. A role either has a feature (a (resource, action) pair) with a scope, or it
does not (403). Objects outside the scope are invisible (404). Scopes are resolved to query filters by
resolvers that later features extend (SWV-submitted cases, route or meeting participants).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask import abort, g, has_request_context
from flask_babel import lazy_gettext as _l

from portal.applications.models import Advice, Advisor, Application
from portal.consent import rules as consent
from portal.meetings.models import Meeting, Participant
from portal.students.models import GroupTeacher, Student

# Scopes, from widest to narrowest.
INSTALL = "install"  # the whole SWV install (administrator)
SCHOOL = "school"  # every student of the actor's current school
OWN_GROUPS = "own_groups"  # students of the actor's groups, or whom the actor mentors
SUBMITTED = "submitted"  # SWV-wide staff: only what a school submitted to them
PARTICIPANT = "participant"  # people taking part in one route or meeting
GUEST = "guest"  # a share link for one meeting

ROLES = {
    "beheerder": _l("Beheerder"),
    "mentor": _l("Leerkracht / mentor"),
    "zorg": _l("IB'er / zorgcoördinator"),
    "swv": _l("SWV-medewerker"),
    "deskundige": _l("Deskundige"),
    "jeugdhulp": _l("Jeugdhulpprofessional"),
}
CARE_ROLES = frozenset({"zorg"})
# Roles that also act in another role's place when the route asks who leads a phase: the care coordinator may
# move a traject into a phase the mentor leads (not the other way round).
ACTS_FOR = {"zorg": frozenset({"mentor"})}
SCHOOL_STAFF_ROLES = ("beheerder", "mentor", "zorg")  # working for a school (the others are held there for access)

PERMISSIONS: dict[str, dict[tuple[str, str], str]] = {
    "beheerder": {
        ("user", "manage"): SCHOOL,
        ("group", "manage"): SCHOOL,
        ("student", "view"): SCHOOL,
        ("student", "edit"): SCHOOL,
        ("route", "adapt"): SCHOOL,
        ("admin_log", "read"): SCHOOL,  # who changed staff, roles, groups and settings of the school
    },
    "mentor": {
        ("student", "view"): OWN_GROUPS,
        ("dossier", "read"): OWN_GROUPS,
        ("dossier", "write"): OWN_GROUPS,
        ("route", "view"): OWN_GROUPS,
        ("route", "move"): OWN_GROUPS,
        ("meeting", "view"): OWN_GROUPS,
        ("meeting", "plan"): OWN_GROUPS,
        ("consent", "view"): OWN_GROUPS,
        ("application", "view"): OWN_GROUPS,
        ("opp", "view"): OWN_GROUPS,  # the care coordinator draws it up (R-VO-11: regie over het OPP)
    },
    "zorg": {
        ("student", "view"): SCHOOL,
        ("student", "edit"): SCHOOL,
        ("dossier", "read"): SCHOOL,
        ("dossier", "write"): SCHOOL,
        ("dossier", "confidential"): SCHOOL,
        ("audit", "read"): SCHOOL,
        ("route", "view"): SCHOOL,
        ("route", "move"): SCHOOL,
        ("route", "adapt"): SCHOOL,
        ("meeting", "view"): SCHOOL,
        ("meeting", "plan"): SCHOOL,
        ("consent", "view"): SCHOOL,
        ("consent", "record"): SCHOOL,
        ("share_link", "manage"): SCHOOL,  # besides the chair of the meeting
        ("meeting", "coordinate"): SCHOOL,  # cancel a meeting, close its actions (besides the chair)
        ("application", "view"): SCHOOL,
        ("application", "write"): SCHOOL,  # draw up, share documents for, submit, withdraw, object
        ("opp", "view"): SCHOOL,
        ("opp", "write"): SCHOOL,  # draw up, record instemming and evaluations, the ROD list
    },
    # The SWV's side sees applications, never a student's dossier or traject: only what a school submitted
    # (SWV staff, every school of the install) or what was assigned (a deskundige, their own advices).
    # Besides: the traject of a student whose lead request (DOA VO, RET: ``ApplicationType.lead_request``) the SWV
    # user handles, to see and move the phase the SWV leads (``_participant`` below).
    "swv": {("application", "view"): SUBMITTED, ("application", "review"): SUBMITTED,
            ("meeting", "view"): PARTICIPANT, ("route", "view"): PARTICIPANT, ("route", "move"): PARTICIPANT},
    "deskundige": {("application", "view"): PARTICIPANT, ("application", "advise"): PARTICIPANT,
                   ("meeting", "view"): PARTICIPANT},
    "jeugdhulp": {("student", "view"): PARTICIPANT, ("dossier", "read"): PARTICIPANT,
                  ("route", "view"): PARTICIPANT, ("meeting", "view"): PARTICIPANT},
}

ADMIN_PERMISSIONS = {("school", "manage"), ("outbox", "read"), ("plugins", "view"), ("user", "manage_admin"),
                     ("admin_log", "read"), ("swv", "manage")}  # swv: its deskundigen and letter details


def features() -> frozenset[tuple[str, str]]:
    """Every feature some role or the administrator can hold: what a plugin's nav item may ask for."""
    return frozenset(ADMIN_PERMISSIONS).union(*(granted.keys() for granted in PERMISSIONS.values()))


@dataclass
class Actor:
    kind: str  # "user" | "guest" | "system" | "anonymous"
    user: object | None = None
    school_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False
    guest_meeting_id: int | None = None
    guest_link_id: int | None = None  # the share link a guest came in through (audited as the actor)
    ip: str | None = None  # the client's address, set where a request builds the actor (audited with it)

    @property
    def id(self) -> int | None:
        return getattr(self.user, "id", None)

    def scope_for(self, resource: str, action: str) -> str | None:
        """The widest scope any of the actor's roles has for this feature, or None."""
        if self.is_admin and (resource, action) in ADMIN_PERMISSIONS:
            return INSTALL
        scopes = {PERMISSIONS.get(role, {}).get((resource, action)) for role in self.roles}
        for scope in (SCHOOL, OWN_GROUPS, SUBMITTED, PARTICIPANT):
            if scope in scopes:
                return scope
        return None

    def can(self, resource: str, action: str) -> bool:
        return self.scope_for(resource, action) is not None


ANONYMOUS = Actor(kind="anonymous")
SYSTEM = Actor(kind="system")
CLI = Actor(kind="cli")  # whoever runs the ``portal`` command on the server (audited as such)


def current() -> Actor:
    return getattr(g, "actor", ANONYMOUS)


def require(resource: str, action: str, actor: Actor | None = None) -> str:
    """Abort with 403 unless the actor's (by default the current actor's) role has this feature; returns its scope."""
    scope = (actor or current()).scope_for(resource, action)
    if scope is None:
        abort(403)
    return scope


# --- scope resolvers: scope -> peewee expression over Student ------------------------------------------

StudentFilter = Callable[[Actor], object]
_student_scopes: dict[str, StudentFilter] = {}


def student_scope(name: str):
    """Register how a scope limits the students an actor may see (used by later features too)."""

    def register(fn: StudentFilter) -> StudentFilter:
        _student_scopes[name] = fn
        return fn

    return register


@student_scope(SCHOOL)
def _school(actor: Actor):
    return Student.school == actor.school_id


@student_scope(OWN_GROUPS)
def _own_groups(actor: Actor):
    groups = GroupTeacher.select(GroupTeacher.group).where(GroupTeacher.user == actor.id)
    return (Student.school == actor.school_id) & ((Student.group.in_(groups)) | (Student.mentor == actor.id))


def _nothing(actor: Actor):
    return Student.id.is_null()  # never true for a stored row


_student_scopes.setdefault(SUBMITTED, _nothing)  # the SWV side sees applications, never students

# Applications still open or decided (not refused, withdrawn or expired): their handler takes part in the traject.
LEAD_REQUEST_STATUSES = ("submitted", "in_review", "addition_requested", "granted", "objection")


@student_scope(PARTICIPANT)
def _participant(actor: Actor):
    """The students whose lead request (an application type with ``lead_request``, e.g. DOA VO) the actor
    handles for the SWV; jeugdhulp and others without such a request see no student through this scope."""
    from flask import current_app

    kinds = [k for k, t in current_app.extensions["registry"].application_types.items() if t.lead_request]
    if not kinds or actor.id is None:
        return _nothing(actor)
    handled = Application.select(Application.student).where(
        (Application.handler == actor.id) & Application.type_key.in_(kinds)
        & Application.status.in_(LEAD_REQUEST_STATUSES))
    return Student.id.in_(handled)


def acting_roles(actor: Actor) -> frozenset[str]:
    """The roles an actor leads phases in: their own, and those they act for (``ACTS_FOR``)."""
    return frozenset(actor.roles).union(*(ACTS_FOR.get(role, frozenset()) for role in actor.roles))


def students(action_resource: tuple[str, str] = ("student", "view"), actor: Actor | None = None):
    """Query of the students the actor (default: the current one) may see for a feature (403 if the role
    lacks it)."""
    actor = actor or current()
    scope = require(*action_resource, actor=actor)
    return Student.select().where(_student_scopes[scope](actor))


def sees_student(feature: tuple[str, str], actor: Actor, student_id: int) -> bool:
    """Whether the actor's scope for ``feature`` covers this student; features with the same scope share one
    answer for the rest of the request (a page asks for several)."""
    scope = require(*feature, actor=actor)
    cache = g.setdefault("student_scope_answers", {}) if has_request_context() else {}
    key = (actor.id, actor.school_id, scope, student_id)
    if key not in cache:
        cache[key] = students(feature, actor).where(Student.id == student_id).exists()
    return cache[key]


def opens_student(feature: tuple[str, str], actor: Actor, student_id: int) -> bool:
    """Whether a page of this student for ``feature`` opens for the actor (no 403, no 404): a page links to it
    only then (an SWV user leading a phase sees the traject, not the student's file)."""
    return actor.can(*feature) and sees_student(feature, actor, student_id)


def students_school(action_resource: tuple[str, str] = ("student", "view"), actor: Actor | None = None) -> int | None:
    """The school that every student of ``students()`` belongs to, or None when the scope is not one school's:
    lets a search index keyed by school read one school's part (the scope's own filter still applies)."""
    actor = actor or current()
    return actor.school_id if actor.scope_for(*action_resource) in (SCHOOL, OWN_GROUPS) else None


def student_or_404(student_id: int, feature: tuple[str, str] = ("student", "view")):
    student = students(feature).where(Student.id == student_id).first()
    if student is None:
        abort(404)
    return student


def meetings(feature: tuple[str, str] = ("meeting", "view"), actor: Actor | None = None):
    """Query of the meetings the actor (default: the current one) may see for a feature (403 if the role
    lacks it).

    School scopes see the meetings of their students; every scope also sees the meetings the actor takes part
    in; PARTICIPANT (SWV staff, jeugdhulp) sees only those, never the rest of the student's file.
    """
    actor = actor or current()
    scope = require(*feature, actor=actor)
    own = Meeting.id.in_(Participant.select(Participant.meeting).where(Participant.user == actor.id))
    if scope == PARTICIPANT:
        return Meeting.select().where(own)
    where = Meeting.student.in_(Student.select(Student.id).where(_student_scopes[scope](actor)))
    return Meeting.select().where(where | own if feature == ("meeting", "view") else where)


def meeting_or_404(meeting_id: int, feature: tuple[str, str] = ("meeting", "view")):
    meeting = meetings(feature).where(Meeting.id == meeting_id).first()
    if meeting is None:
        abort(404)
    return meeting


def entry_visible(entry, actor: Actor | None = None) -> bool:
    """Confidential entries are limited to care roles."""
    return not entry.confidential or (actor or current()).can("dossier", "confidential")


# --- who may do what with a meeting (object level, after meeting_or_404) --------------------------------

MINUTE_TAKER_ROLE = "notulist"  # Participant.role of the minute-taker (set by meetings.services.plan)


@dataclass(frozen=True)
class MeetingRights:
    """What one actor may do with one meeting: the one answer every meeting and share-link page asks."""

    manage: bool = False  # change it, add or remove participants, record attendance: the chair or a planner
    report: bool = False  # write the report: the chair or the minute-taker
    planner: bool = False  # may plan meetings for this student
    dossier: bool = False  # may pick attachments from the student's dossier to share (chair or planner)
    coordinate: bool = False  # the chair, or a care coordinator of its school
    share_report: bool = False  # share the final report with the participants: the chair
    manage_links: bool = False  # share links for participants without an account: the chair or a care coordinator
    see_student: bool = False  # may open the student's own pages (not only this meeting)
    # Sees the page, the contributions, documents and report: school staff always; an outside role (OUTSIDE_ROLES)
    # only with a recorded consent that covers them, otherwise the date and their own contribution only.
    full_view: bool = False
    actor_id: int | None = None

    @property
    def cancel(self) -> bool:
        """Only the chair or the care coordinator cancels (not the minute-taker, not another planner)."""
        return self.coordinate

    def close_action(self, action) -> bool:
        """The action's owner (an account), the chair or the care coordinator closes an action."""
        return self.actor_id is not None and (action.owner.user_id == self.actor_id or self.coordinate)


NO_MEETING_RIGHTS = MeetingRights()
OUTSIDE_ROLES = frozenset({"jeugdhulp", "swv", "deskundige"})  # see a meeting by taking part, not by the school


def outside_names(actor: Actor, me) -> list[str]:
    """The names a consent must give as recipient to cover this outside actor: their organisation (their account's,
    as a meeting participant, as an SWV deskundige) or themselves."""
    advisor = Advisor.get_or_none(Advisor.user == actor.id)
    names = [getattr(actor.user, "organisation", ""), getattr(me, "organisation", ""),
             advisor.organisation if advisor else "", getattr(actor.user, "name", "")]
    return [n for n in dict.fromkeys(" ".join((n or "").split()) for n in names) if n]


def consent_covers(meeting, actor: Actor, me) -> bool:
    """Is a consent recorded that lets this outside actor see the meeting (purpose: the meeting's type, every
    meeting, or sharing in general; recipient: their organisation or themselves)?"""
    names = outside_names(actor, me)
    return bool(names) and consent.valid_consent(
        meeting.student_id, (meeting.type_key, consent.ANY_MEETING), names) is not None


_UNKNOWN = object()


def meeting_rights(meeting, actor: Actor, me=_UNKNOWN) -> MeetingRights:
    """The rights of ``actor`` on ``meeting`` (a guest or a system actor has none: the guest page is read-only
    apart from the guest's own contribution, which the share link itself allows). ``me``: the actor's
    Participant row (or None) when the caller has read the participants already."""
    if actor.kind != "user" or actor.id is None:
        return NO_MEETING_RIGHTS
    if me is _UNKNOWN:
        me = Participant.get_or_none((Participant.meeting == meeting.id) & (Participant.user == actor.id))
    if actor.roles & OUTSIDE_ROLES and actor.scope_for("meeting", "view") == PARTICIPANT \
            and not consent_covers(meeting, actor, me):
        return MeetingRights(actor_id=actor.id)  # the date and their own contribution: nothing to manage
    chair = meeting.chair_id == actor.id
    planner = actor.can("meeting", "plan") and meetings(("meeting", "plan"), actor).where(
        Meeting.id == meeting.id).exists()
    dossier = actor.can("dossier", "read") and sees_student(("dossier", "read"), actor, meeting.student_id)
    coordinate = chair or (actor.can("meeting", "coordinate") and meeting.school_id == actor.school_id)
    manage_links = chair or (actor.can("share_link", "manage") and meeting.school_id == actor.school_id)
    see_student = actor.can("student", "view") and sees_student(("student", "view"), actor, meeting.student_id)
    return MeetingRights(manage=chair or planner,
                         report=chair or (me is not None and me.role == MINUTE_TAKER_ROLE),
                         planner=planner, dossier=dossier and (chair or planner), coordinate=coordinate,
                         share_report=chair, manage_links=manage_links, see_student=see_student,
                         full_view=True, actor_id=actor.id)


# --- applications to the SWV: which ones an actor sees, and what they may do with one -------------------------

def applications(feature: tuple[str, str] = ("application", "view"), actor: Actor | None = None):
    """Query of the applications the actor may see for a feature (403 if the role lacks it).

    The school's side (SCHOOL, OWN_GROUPS) sees its students' applications in every status; SUBMITTED (SWV
    staff) sees every school's applications once submitted, never a concept; PARTICIPANT (a deskundige) sees
    the submitted applications they were asked to advise on.
    """
    actor = actor or current()
    scope = require(*feature, actor=actor)
    if scope == SUBMITTED:
        return Application.select().where(Application.submitted_at.is_null(False))
    if scope == PARTICIPANT:
        mine = Advice.select(Advice.application).join(Advisor).where(Advisor.user == actor.id)
        return Application.select().where(Application.id.in_(mine) & Application.submitted_at.is_null(False))
    return Application.select().where(
        Application.student.in_(Student.select(Student.id).where(_student_scopes[scope](actor))))


def application_or_404(application_id: int, feature: tuple[str, str] = ("application", "view"),
                       actor: Actor | None = None):
    application = applications(feature, actor).where(Application.id == application_id).first()
    if application is None:
        abort(404)
    return application


def advice_or_404(advice_id: int, actor: Actor | None = None):
    """One of the actor's own advices (a deskundige), on a submitted application; 403 without the feature."""
    actor = actor or current()
    require("application", "advise", actor)
    advice = (Advice.select(Advice, Advisor).join(Advisor)
              .where((Advice.id == advice_id) & (Advisor.user == actor.id)
                     & Advice.application.in_(applications(("application", "advise"), actor)
                                              .select(Application.id))).first())
    if advice is None:
        abort(404)
    return advice


@dataclass(frozen=True)
class ApplicationRights:
    """What one actor may do with one application (after application_or_404)."""

    school: bool = False  # the applying school's side: draw up, share, record signatures, submit, withdraw, object
    review: bool = False  # the SWV's side: take up, assign deskundigen, ask for an addition, decide, send the letter
    advise: bool = False  # a deskundige assigned to it: write their own advice
    actor_id: int | None = None

    @property
    def side(self) -> str | None:
        """The workflow side (workflow.Side value) this actor acts on, or None."""
        return "school" if self.school else "swv" if self.review else None


def application_rights(application, actor: Actor) -> ApplicationRights:
    if actor.kind != "user" or actor.id is None:
        return ApplicationRights()

    def within(feature):
        return actor.can(*feature) and applications(feature, actor).where(
            Application.id == application.id).exists()

    return ApplicationRights(school=within(("application", "write")), review=within(("application", "review")),
                             advise=within(("application", "advise")), actor_id=actor.id)
