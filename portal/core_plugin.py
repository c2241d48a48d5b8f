"""The core's own hook implementations: the sections every dossier has and the default route choice."""

from portal.hookspecs import hookimpl


@hookimpl
def register_dossier_sections():
    from portal.dossier.sections import CORE_SECTIONS

    return list(CORE_SECTIONS)


@hookimpl(trylast=True)
def route_for_student(student, school, routes):
    """Default: the first registered route of the school's sector."""
    for key, route in routes.items():
        if route.sector == school.sector:
            return key
    return None
