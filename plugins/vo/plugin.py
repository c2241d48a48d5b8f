"""Hook implementations of the vo plugin: they hand the data of ``route.py`` to the core."""

from portal.plugin import provides

from portal_vo import route

DISTRIBUTION = "ondersteuningsroute-portal"

register_routes = provides([route.ROUTE])
register_meeting_types = provides(route.MEETING_TYPES)
register_forms = provides(route.FORMS)
register_guards = provides(route.GUARDS)
