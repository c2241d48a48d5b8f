"""Hook implementations of the drenthe region plugin: the data of ``route.py`` and ``reminders.py``, and the
choice of the region's route for its VO schools."""

from portal.plugin import hookimpl, provides

from portal_drenthe import applications, fields, placements, reminders, route

DISTRIBUTION = "portal-drenthe"
REQUIRES = ("vo",)  # the route names vo's meeting types and forms

register_routes = provides([route.ROUTE])
register_meeting_types = provides(route.MEETING_TYPES)
# The requests the region's route names are application types of the core's framework: DOA VO and RET in
# applications.py, OTV, vrijstelling and MBO/HBO in placements.py.
register_forms = provides(fields.with_types(route.FORMS, [*applications.TYPES, *placements.TYPES]))
register_guards = provides(route.GUARDS)
register_reminder_kinds = provides([reminders.DOA_VO_EVALUATION, *placements.REMINDERS])


@hookimpl
def route_for_student(student, school, routes):
    """VO schools in the SWV follow the region's own route (seed 004) instead of the generic VO route."""
    return route.ROUTE.key if school.sector == route.ROUTE.sector else None


@hookimpl
def opp_in_rod(school):
    """VSO and PrO schools draw up an OPP for every student and do not register it in the ROD (seed 004 §2.2)."""
    return False if school.type_key in route.OPP_FOR_EVERY_STUDENT else None
