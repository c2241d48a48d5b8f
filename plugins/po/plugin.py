"""Hook implementations of the po plugin: they hand the data of ``route.py`` to the core."""

from portal.plugin import provides

from portal_po import applications, route

DISTRIBUTION = "ondersteuningsroute-portal"

register_routes = provides([route.ROUTE])
register_meeting_types = provides(route.MEETING_TYPES)
register_forms = provides(applications.TYPES)  # route.FORMS, as applications to the SWV
register_guards = provides(route.GUARDS)
