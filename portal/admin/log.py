"""The administration log in words: "Bea Beheer kende de rol ‘IB'er / zorgcoördinator’ van Mo Mentor toe".

The audit log holds action keys and IDs only; this module turns the administration events an actor may see into
sentences: a beheerder sees what was changed while working in their school, the SWV administrator everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _

from portal import labels, policy
from portal.admin import services
from portal.audit import services as audit
from portal.auth.models import Membership, User
from portal.route import services as route_services
from portal.schools.models import School
from portal.students.models import Group

LOG = ("admin_log", "read")


def actions() -> tuple[str, ...]:
    """Every audited administration change: staff, roles, groups and schools, and the school's route settings."""
    return (*services.ACTIONS, route_services.SETTINGS_SAVE)


@dataclass(frozen=True)
class Row:
    at: dt.datetime
    who: str
    what: str


def rows(actor: policy.Actor, limit: int = 200) -> list[Row]:
    scope = actor.scope_for(*LOG)
    if scope is None:
        return []
    school_id = None if scope == policy.INSTALL else actor.school_id
    events = list(audit.events_of(actions(), school_id=school_id, limit=limit).objects())
    objects = _describe_objects(events)
    return [Row(at=ev.at, who=_who(ev),
                what=labels.audit_action(ev.action, ev.kind, objects.get((ev.object_type, ev.object_id))
                                         or labels.object_type(ev.object_type)))
            for ev in events]


def _who(ev) -> str:
    if ev.actor_type == "user":
        return ev.actor_name or _("een medewerker (account verwijderd)")
    if ev.actor_type == "cli":
        return _("de serverbeheerder (opdrachtregel)")
    return _("het portaal (automatisch)")


def _ids(events, object_type: str) -> list[int]:
    return list({e.object_id for e in events if e.object_type == object_type and e.object_id})


def _describe_objects(events) -> dict[tuple[str, int], str]:
    described: dict[tuple[str, int], str] = {}
    if ids := _ids(events, "school"):
        for school in School.select(School.id, School.name).where(School.id.in_(ids)):
            described[("school", school.id)] = _("school %(name)s", name=school.name)
    if ids := _ids(events, "group"):
        for group in Group.select(Group.id, Group.name, Group.school_year).where(Group.id.in_(ids)):
            described[("group", group.id)] = _("groep %(name)s (%(year)s)", name=group.name,
                                               year=group.school_year)
    if ids := _ids(events, "user"):
        for user in User.select(User.id, User.name).where(User.id.in_(ids)):
            described[("user", user.id)] = user.name
    if ids := _ids(events, "membership"):
        for membership in (Membership.select(Membership, User).join(User, on=(Membership.user == User.id))
                           .where(Membership.id.in_(ids))):
            described[("membership", membership.id)] = _(
                "de rol ‘%(role)s’ van %(name)s", role=policy.ROLES.get(membership.role, _("onbekend")),
                name=membership.user.name)
    return described
