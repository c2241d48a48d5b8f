"""The reminder kind of meeting actions: each open action is due on its date, reminded to its owner."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from portal.meetings import services
from portal.meetings.models import Meeting, Participant
from portal.notifications.reminders import DueItem, ReminderKind, Scope


def _open_actions(scope: Scope) -> Iterable[DueItem]:
    """Every open action for the scheduler; in a user's task list only the actions that user must follow up."""
    query = services.open_actions()
    if scope.user_id is not None:
        chaired_outside = (Meeting.chair == scope.user_id) & Participant.user.is_null()
        query = query.where((Participant.user == scope.user_id) | chaired_outside)
    else:
        query = scope.limit(query, Meeting.student)
    for action in query:
        owner, meeting = action.owner, action.meeting
        outside = owner.user_id is None
        yield DueItem(
            object_id=action.id, due_date=action.due_date, school_id=meeting.school_id, student_id=meeting.student_id,
            title=_("Actie uit het overleg van %(day)s: %(what)s", day=meeting.starts_at.strftime("%d-%m-%Y"),
                    what=_short(action.description)),
            link=f"/overleg/{meeting.id}",
            # An outside owner is mailed directly; the chair gets the reminder in the portal to follow it up.
            user_ids=(meeting.chair_id,) if outside else (owner.user_id,),
            emails=(owner.email,) if outside and owner.email else (),
            close_url=f"/overleg/{meeting.id}/acties/{action.id}/afronden")


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


MEETING_ACTION = ReminderKind(
    key="core.meeting_action", label="Actie uit een overlegverslag", items=_open_actions, offsets=(-7, 1),
    recipients_label="De eigenaar van de actie (een externe deelnemer per mail, met de voorzitter in het portaal "
                     "om het te volgen); heeft de eigenaar de school verlaten: de zorgcoördinator")
