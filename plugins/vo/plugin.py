"""Hook implementations of the vo plugin; they only hand the data of ``route.py`` to the core."""

from portal.hookspecs import hookimpl

from portal_vo import route

DISTRIBUTION = "ondersteuningsroute-portal"
REQUIRES: tuple[str, ...] = ()


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
