"""Tell the people asked to act: one function per event, called by the service that makes it happen.

Each event reaches its recipients in the bell and by mail as each chose (immediately, in the daily digest, or not
at all; see ``services.notify``), exactly once: the event key is unique per recipient, so a service that is retried
(a resubmitted form, a second scheduler, a repeated call) tells nobody twice. Titles are stored in the portal's
language; the mail itself names nobody (R-DRE-AVG).

Who is told:
- ``advice_requested``: the deskundige asked for an advice on an application;
- ``application_submitted``: the SWV's staff, when a school submits an application;
- ``objection_filed``: the SWV staff member handling the application (every SWV staff member when nobody does),
  when an objection against its decision is filed; the objection's own service calls it with a key of the
  objection, e.g. ``objection_filed(application, label, name, objection_key=str(objection.id))``;
- ``report_shared``: the meeting's participants with an account (not who shared it), when the report is shared;
- ``signal_recorded``: the school's care staff (IB'er, zorgcoördinator), when a teacher records a signal.
"""

from __future__ import annotations

from flask_babel import gettext as _

from portal.auth.models import Membership, User
from portal.language import portal_language
from portal.notifications.services import notify

SWV_ROLE = "swv"
CARE_ROLE = "zorg"


def swv_staff() -> list[int]:
    """The active accounts with an active SWV membership."""
    return _members(Membership.role == SWV_ROLE)


def care_staff(school_id: int) -> list[int]:
    """The active care staff (IB'er, zorgcoördinator) of one school."""
    return _members((Membership.role == CARE_ROLE) & (Membership.school == school_id))


def _members(where) -> list[int]:
    rows = (Membership.select(Membership.user).join(User, on=(Membership.user == User.id))
            .where(where & Membership.active & User.active).distinct())
    return [row.user_id for row in rows]


def advice_requested(advice, label: str, student_name: str) -> None:
    """The deskundige of ``advice`` (an Advice with its advisor) is asked for an advice on a ``label`` application."""
    with portal_language():
        title = _("Gevraagd om advies: %(kind)s voor %(name)s", kind=label, name=student_name)
    notify([advice.advisor.user_id], "application.advice_requested", title, f"/advies/{advice.id}",
           event_key=f"advice.requested:{advice.id}")


def application_submitted(application, label: str, student_name: str) -> None:
    """The SWV's staff: a school submitted an application for them to take up."""
    with portal_language():
        title = _("Nieuwe aanvraag ingediend: %(kind)s voor %(name)s", kind=label, name=student_name)
    notify(swv_staff(), "application.submitted", title, f"/swv/aanvragen/{application.id}",
           event_key=f"application.submitted:{application.id}")


def objection_filed(application, label: str, student_name: str, *, objection_key: str) -> None:
    """The SWV staff handling ``application`` (all SWV staff when nobody handles it): an objection was filed
    against its decision. ``objection_key`` identifies the objection (a second objection is a new event)."""
    recipients = [application.handler_id] if application.handler_id else swv_staff()
    with portal_language():
        title = _("Bezwaar ingediend: %(kind)s voor %(name)s", kind=label, name=student_name)
    notify(recipients, "application.objection", title, f"/swv/aanvragen/{application.id}",
           event_key=f"application.objection:{application.id}:{objection_key}")


def report_shared(meeting, participant_user_ids, type_label: str, actor_id: int | None) -> None:
    """The participants with an account: the report of the meeting they took part in is shared with them."""
    with portal_language():
        title = _("Verslag gedeeld: %(type)s van %(day)s", type=type_label,
                  day=meeting.starts_at.strftime("%d-%m-%Y"))
    recipients = [user_id for user_id in participant_user_ids if user_id and user_id != actor_id]
    notify(recipients, "meeting.report_shared", title, f"/overleg/{meeting.id}#report",
           event_key=f"meeting.report_shared:{meeting.id}")


def signal_recorded(student, transition_id: int, actor) -> None:
    """The school's care staff: a teacher recorded a signal about ``student`` (a traject started with it). A
    signal the care staff record themselves needs no notice to them."""
    if CARE_ROLE in getattr(actor, "roles", ()):
        return
    with portal_language():
        title = _("Nieuw signaal over %(name)s", name=student.full_name)
    recipients = [user_id for user_id in care_staff(student.school_id) if user_id != actor.id]
    notify(recipients, "route.signal", title, f"/leerlingen/{student.id}/traject",
           event_key=f"route.signal:{transition_id}")
