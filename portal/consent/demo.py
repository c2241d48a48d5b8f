"""Demo consent: at the VO school one consent recorded and later withdrawn, through the consent services."""

from __future__ import annotations

import datetime as dt

from portal import clock, policy
from portal.consent import services
from portal.consent.models import Consent
from portal.students import deciders

RECIPIENT = "Wijkteam Emmen"  # the outside organisation of the demo meetings


def load(student, coordinator) -> int:
    """For ``student``: consent to share for meetings with the wijkteam, given six weeks ago and withdrawn last
    week (by the student from 16, otherwise by a parent with gezag); returns how many were made."""
    if student is None or Consent.select().where(Consent.student == student.id).exists():
        return 0
    actor = policy.Actor(kind="user", user=coordinator, school_id=student.school_id, roles=frozenset({"zorg"}))
    given_on = clock.today() - dt.timedelta(weeks=6)
    adult = deciders.decides_own_data(student, given_on)
    guardians = [g for g in services.guardians_of(student) if g.has_authority]
    if not adult and not guardians:
        return 0
    consent = services.record(student, {
        "given_by": "student" if adult else "guardian", "guardian": None if adult else guardians[0],
        "purpose": services.ANY_MEETING, "recipient": RECIPIENT, "given_on": given_on, "valid_until": None},
        actor=actor)
    services.withdraw(consent, actor=actor)
    return 1
