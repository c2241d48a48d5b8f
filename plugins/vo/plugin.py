"""Hook implementations of the vo plugin: they hand the data of ``route.py`` to the core."""

from pathlib import Path

from portal.plugin import hookimpl, provides

from portal_vo import applications, route

DISTRIBUTION = "ondersteuningsroute-portal"

register_routes = provides([route.ROUTE])
register_meeting_types = provides(route.MEETING_TYPES)
register_forms = provides(applications.TYPES)  # route.FORMS, as applications to the SWV
register_guards = provides(route.GUARDS)


@hookimpl
def register_template_folder():
    """``vo/assessment.html`` (the PrO / LWOO worked calculation) and the plugin's other templates."""
    return str(Path(__file__).parent / "templates")
