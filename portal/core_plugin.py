"""The core's own hook implementations: dossier sections, the default route choice, reminders, nav items."""

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


@hookimpl
def register_reminder_kinds():
    """The core's reminders: the planned evaluation date of the current phase, and actions from meetings."""
    from portal.meetings.reminders import MEETING_ACTION
    from portal.notifications.reminders import PHASE_EVALUATION

    return [PHASE_EVALUATION, MEETING_ACTION]


@hookimpl
def nav_items():
    from flask_babel import lazy_gettext as _l

    from portal.registry import NavItem

    return [NavItem("tasks", _l("Mijn acties"), "notifications.tasks"),
            NavItem("reminders", _l("Herinneringen"), "notifications.admin", ("outbox", "read"))]
