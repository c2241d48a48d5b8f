"""The inzage-log in words: "Pieter Smit (GGD Drenthe) via gedeelde link, las het verslag van 15-12".

The audit log holds IDs and action keys only; this module turns a student's events into sentences a school can
show a parent who asks who saw the file. Records are looked up per type in one query each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _

from portal import clock, labels
from portal.audit import services as audit
from portal.paging import KeysetPage
from portal.dossier.models import Attachment, Entry
from portal.meetings import services as meetings
from portal.meetings.models import Meeting, Participant, Report
from portal.sharing.models import ShareLink
from portal.students.models import Guardian


@dataclass(frozen=True)
class Row:
    at: dt.datetime
    who: str
    what: str
    kind: str  # read | write
    ip: str


PAGE_SIZE = 100  # events per page of the inzage-log


def page(student_id: int, before: int | None = None, size: int = PAGE_SIZE) -> KeysetPage:
    """One page of the complete log, newest first, older than the event ``before``; nothing is left out, every
    event is on some page (R-AVG-ACCESS-2)."""
    events = list(audit.readers_of(student_id, size + 1, before).objects())
    total, newer = audit.reader_counts(student_id, before)
    shown = events[:size]
    return KeysetPage(items=_rows(shown), total=total, first=newer + 1,
                      next_cursor=shown[-1].id if len(events) > size else None)


def rows(student_id: int, limit: int = 200) -> list[Row]:
    """The newest ``limit`` events in words."""
    return _rows(list(audit.readers_of(student_id, limit).objects()))


def _rows(events) -> list[Row]:
    objects = _describe_objects(events)
    guests = _guests({e.actor_id for e in events if e.actor_type == "guest" and e.actor_id})
    result = []
    for ev in events:
        text = objects.get((ev.object_type, ev.object_id)) or labels.object_type(ev.object_type)
        result.append(Row(at=ev.at, who=_who(ev, guests), what=labels.audit_action(ev.action, ev.kind, text),
                          kind=ev.kind, ip=ev.ip or ""))
    return result


def _who(ev, guests: dict[int, str]) -> str:
    if ev.actor_type == "user":
        return ev.actor_name or _("een medewerker (account verwijderd)")
    if ev.actor_type == "guest":
        return guests.get(ev.actor_id) or _("een gast via gedeelde link")
    if ev.actor_type == "system":
        return _("het portaal (automatisch)")
    return _("onbekend")


def _guests(link_ids: set[int]) -> dict[int, str]:
    if not link_ids:
        return {}

    found = {}
    for link in (ShareLink.select(ShareLink, Participant).join(Participant)
                 .where(ShareLink.id.in_(list(link_ids)))):
        person = link.participant
        name = f"{person.name} ({person.organisation})" if person.organisation else person.name
        found[link.id] = _("%(name)s via gedeelde link", name=name)
    return found


def _ids(events, object_type: str) -> list[int]:
    return list({e.object_id for e in events if e.object_type == object_type and e.object_id})


def _day(moment, stored=clock.UTC_STORED) -> str:
    return clock.show(moment, "day", stored=stored)


def _describe_objects(events) -> dict[tuple[str, int], str]:
    described: dict[tuple[str, int], str] = {}
    if ids := _ids(events, "entry"):
        for entry in Entry.select(Entry.id, Entry.title, Entry.created_at).where(Entry.id.in_(ids)):
            described[("entry", entry.id)] = _("de aantekening ‘%(title)s’ van %(day)s", title=entry.title,
                                               day=_day(entry.created_at))
    if ids := _ids(events, "report"):
        for report in Report.select(Report, Meeting).join(Meeting).where(Report.id.in_(ids)):
            described[("report", report.id)] = _("het verslag van %(day)s",
                                                 day=_day(report.meeting.starts_at, clock.LOCAL_STORED))
    if ids := _ids(events, "meeting"):
        for meeting in Meeting.select().where(Meeting.id.in_(ids)):
            described[("meeting", meeting.id)] = _("het overleg ‘%(type)s’ van %(day)s",
                                                   type=meetings.type_label(meeting.type_key),
                                                   day=_day(meeting.starts_at, clock.LOCAL_STORED))
    if ids := _ids(events, "attachment"):
        for attachment in Attachment.select(Attachment.id, Attachment.filename).where(Attachment.id.in_(ids)):
            described[("attachment", attachment.id)] = _("de bijlage ‘%(name)s’", name=attachment.filename)
    if ids := _ids(events, "guardian"):
        for guardian in Guardian.select(Guardian.id, Guardian.name).where(Guardian.id.in_(ids)):
            described[("guardian", guardian.id)] = _("ouder/verzorger %(name)s", name=guardian.name)
    return described
