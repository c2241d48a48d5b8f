"""Shared by the standing suites (payloads, fuzz, CSRF): concrete URLs for every rule in app.url_map, built from
the objects in the database, and a per-suite tally that tests/conftest.py prints at the end of the run.

A URL argument that no table here knows fails the suite with a message, so a route added later is covered or
flagged, never silently skipped.
"""

from __future__ import annotations

from flask import url_for

from portal.applications.models import Advice, Advisor, Application, SharedItem
from portal.auth.models import Membership, User
from portal.dossier.models import Attachment, Entry
from portal.meetings.models import Action, Contribution, Meeting, Participant, SharedDocument
from portal.notifications.models import Notification, OutboxMail
from portal.route.models import PhaseVisit, Traject
from portal.consent.models import Consent
from portal.opp.models import Opp
from portal.schools.models import School
from portal.sharing.models import ShareLink
from portal.students.models import Group, Guardian, Student

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PROPERTY = "standing_suite"


def report(record_property, suite: str, backend: str, tried: int, failed: int) -> None:
    """Hand the counts to tests/conftest.py (through the test report, so it also works under xdist), which
    prints "<suite> [<backend>]: N tried, M failed" at the end of the run."""
    record_property(PROPERTY, (suite, backend, tried, failed))


def methods(rule) -> list[str]:
    return sorted(set(rule.methods) & set(METHODS))


def _first(query):
    row = query.first()
    return row.id if row is not None else 0


def contexts(limit_students: int = 4) -> list[dict]:
    """Coherent sets of URL arguments: one per meeting and per student with data (its entry, attachment, ...)."""
    out = []
    for meeting in Meeting.select().order_by(Meeting.id):
        out.append({
            "meeting_id": meeting.id, "student_id": meeting.student_id,
            "document_id": _first(SharedDocument.select().where(SharedDocument.meeting == meeting.id)),
            "contribution_id": _first(Contribution.select().where(Contribution.meeting == meeting.id)
                                      .order_by(Contribution.attachment.desc(nulls="LAST"))),
            "participant_id": _first(Participant.select().where((Participant.meeting == meeting.id)
                                                                & (Participant.kind == "external"))),
            "link_id": _first(ShareLink.select().where(ShareLink.meeting == meeting.id)),
            "action_id": _first(Action.select().where(Action.meeting == meeting.id)),
        })
    with_traject = [t.student_id for t in Traject.select(Traject.student).order_by(Traject.id)]
    seen = set()
    students = [s for s in with_traject if not (s in seen or seen.add(s))][:limit_students]
    for student_id in students:
        out.append({
            "student_id": student_id,
            "entry_id": _first(Entry.select().where(Entry.student == student_id).order_by(Entry.id)),
            "attachment_id": _first(Attachment.select().where(Attachment.student == student_id)),
            "guardian_id": _first(Guardian.select().where(Guardian.student == student_id)),
            "visit_id": _first(PhaseVisit.select().join(Traject).where(Traject.student == student_id)
                               .order_by(PhaseVisit.id.desc())),
            "consent_id": _first(Consent.select().where(Consent.student == student_id)),
        })
    for opp in Opp.select().order_by(Opp.id):  # the OPP's pages need a student that has one
        out.append({"student_id": opp.student_id})
    for application in Application.select().order_by(Application.id):
        out.append({
            "application_id": application.id, "student_id": application.student_id,
            "item_id": _first(SharedItem.select().where(SharedItem.application == application.id)
                              .order_by(SharedItem.attachment.desc(nulls="LAST"))),
            "advice_id": _first(Advice.select().where(Advice.application == application.id)),
        })
    return out


def globals_(token: str = "ongeldig-token") -> dict:
    """Arguments that stand on their own: a user with a membership, a group, a school, a mail, a token."""
    user = User.select().where(~User.is_admin).order_by(User.id).first()
    return {
        "user_id": user.id if user else 0,
        "membership_id": _first(Membership.select().where(Membership.user == (user.id if user else 0))),
        "group_id": _first(Group.select().order_by(Group.id)), "school_id": _first(School.select().order_by(School.id)),
        "mail_id": _first(OutboxMail.select().order_by(OutboxMail.id.desc())),
        "notification_id": _first(Notification.select()), "token": token, "filename": "css/portal.css",
        "student_id": _first(Student.select()), "application_id": _first(Application.select().order_by(Application.id)),
        "advice_id": _first(Advice.select().order_by(Advice.id)), "item_id": _first(SharedItem.select()),
        "advisor_id": _first(Advisor.select().order_by(Advisor.id)),
    }


KNOWN = {"meeting_id", "student_id", "document_id", "contribution_id", "participant_id", "link_id", "entry_id",
         "attachment_id", "guardian_id", "visit_id", "consent_id", "user_id", "membership_id", "group_id",
         "school_id", "mail_id", "notification_id", "token", "filename", "action_id", "application_id", "advice_id",
         "item_id", "advisor_id"}


def unknown_arguments(app) -> list[str]:
    """Rules with an argument this module cannot fill: add it to contexts() / globals_() and KNOWN."""
    return [f"{rule.rule} ({rule.endpoint}): {sorted(set(rule.arguments) - KNOWN)}"
            for rule in app.url_map.iter_rules() if set(rule.arguments) - KNOWN]


def urls(app, rule, ctxs: list[dict], base: dict, per_rule: int = 3) -> list[str]:
    """Up to ``per_rule`` URLs for the rule: each context that holds all its arguments, else the global ones."""
    needed = set(rule.arguments) - set(rule.defaults or {})
    chosen = [ctx for ctx in ctxs if needed and needed <= set(ctx)][:per_rule] or [{}]
    out = []
    with app.test_request_context():
        for ctx in chosen:
            values = {name: ctx.get(name, base.get(name, 0)) for name in needed}
            out.append(url_for(rule.endpoint, **values))
    return list(dict.fromkeys(out))
