"""Write audit events: who did what to which record, from where. Never the content itself.

The caller names the actor (``actor=policy.current()`` in a view, the service's own ``actor`` argument elsewhere);
the client's address comes with the actor (``Actor.ip``), so recording needs no request.
"""

from __future__ import annotations

from portal import policy
from portal.audit.models import AuditEvent
from portal.auth.models import User


def record(action: str, object_type: str, object_id: int | None, *, kind: str,
           student_id: int | None = None, actor: policy.Actor, school_id: int | None = None) -> None:
    """One event. ``school_id``: the school the change concerns, when that is not the actor's current school
    (the SWV administrator changing a school's staff); by default the actor's."""
    AuditEvent.create(
        actor_type=actor.kind,
        actor_id=actor.id if actor.kind == "user" else (actor.guest_link_id or actor.guest_meeting_id),
        school_id=school_id if school_id is not None else actor.school_id,
        action=action,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        student_id=student_id,
        ip=actor.ip,
    )


def read(action: str, object_type: str, object_id: int | None, student_id: int | None = None, *,
         actor: policy.Actor) -> None:
    record(action, object_type, object_id, kind="read", student_id=student_id, actor=actor)


def write(action: str, object_type: str, object_id: int | None, student_id: int | None = None, *,
          actor: policy.Actor) -> None:
    record(action, object_type, object_id, kind="write", student_id=student_id, actor=actor)


def readers_of(student_id: int, limit: int = 200, before: int | None = None):
    """Who looked at or changed this student's file, newest first (for the care coordinator); with ``before``
    (an event id of this student) only the events older than that one (keyset: newest first by (at, id))."""
    query = (AuditEvent.select(AuditEvent, User.name.alias("actor_name"))
             .join(User, on=((AuditEvent.actor_id == User.id) & (AuditEvent.actor_type == "user")),
                   join_type="LEFT OUTER JOIN")
             .where(AuditEvent.student_id == student_id))
    cursor = _event_of(student_id, before)
    if cursor is not None:
        query = query.where(_older_than(cursor))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)


def reader_counts(student_id: int, before: int | None = None) -> tuple[int, int]:
    """How many events the student's file has in all, and how many of them are newer than ``before`` or are it
    (so a page after that cursor starts at position newer + 1)."""
    total = AuditEvent.select().where(AuditEvent.student_id == student_id).count()
    cursor = _event_of(student_id, before)
    if cursor is None:
        return total, 0
    older = AuditEvent.select().where((AuditEvent.student_id == student_id) & _older_than(cursor)).count()
    return total, total - older


def _event_of(student_id: int, event_id: int | None) -> AuditEvent | None:
    if not event_id:
        return None
    return AuditEvent.get_or_none((AuditEvent.id == event_id) & (AuditEvent.student_id == student_id))


def _older_than(cursor: AuditEvent):
    return (AuditEvent.at < cursor.at) | ((AuditEvent.at == cursor.at) & (AuditEvent.id < cursor.id))


def events_of(actions, school_id: int | None = None, limit: int = 200):
    """Events of these actions, newest first, with the acting user's name; only the school's when ``school_id``
    is given (the school the actor worked in). For the administration log."""
    query = (AuditEvent.select(AuditEvent, User.name.alias("actor_name"))
             .join(User, on=((AuditEvent.actor_id == User.id) & (AuditEvent.actor_type == "user")),
                   join_type="LEFT OUTER JOIN")
             .where(AuditEvent.action.in_(list(actions))))
    if school_id is not None:
        query = query.where(AuditEvent.school_id == school_id)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
