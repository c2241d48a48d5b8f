"""What the SWV offers a student: the application types the student's route names, and the SWV's own settings
(its name on letters and consent forms). Read by the consent services and the application services alike.
"""

from __future__ import annotations

from portal.applications.decisions import types
from portal.applications.models import SwvSettings
from portal.applications.types import ApplicationType
from portal.route import services as route
from portal.students.models import Student


def available_types(student: Student) -> list[ApplicationType]:
    """The types the student's route names in its phases (a PO school is not offered a TLV VSO)."""
    definition = route.route_of_student(student)
    keys = [key for phase in (definition.phases if definition else ()) for key in phase.forms]
    return [types()[key] for key in dict.fromkeys(keys) if key in types()]


def settings() -> SwvSettings:
    return SwvSettings.select().order_by(SwvSettings.id).first() or SwvSettings()
