"""Hook implementations of the drenthe region plugin; they only hand the data of ``route.py`` and
``reminders.py`` to the core."""

from portal.hookspecs import hookimpl

from portal_drenthe import route

DISTRIBUTION = "portal-drenthe"
REQUIRES = ("vo",)


@hookimpl
def register_routes():
    return [route.ROUTE]


@hookimpl
def register_meeting_types():
    return list(route.MEETING_TYPES)


@hookimpl
def register_forms():
    return list(route.FORMS)


@hookimpl
def register_guards():
    return list(route.GUARDS)


@hookimpl
def route_for_student(student, school, routes):
    """VO schools in the SWV follow the region's own route (seed 004) instead of the generic VO route."""
    return route.ROUTE.key if school.sector == route.ROUTE.sector else None


@hookimpl
def register_reminder_kinds():
    from portal_drenthe import reminders

    return [reminders.DOA_VO_EVALUATION]
