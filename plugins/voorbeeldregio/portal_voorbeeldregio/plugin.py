import dataclasses
from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal.plugin import DAILY, Job, NavItem, hookimpl, provides

from portal_voorbeeldregio import route, table

DISTRIBUTION = "portal-voorbeeldregio"
REQUIRES = ("vo",)  # the route names vo's meeting types and forms
TRANSLATIONS = Path(__file__).parent / "translations"  # the plugin's own catalog (English), next to the core's

register_routes = provides([route.ROUTE])
register_meeting_types = provides(route.MEETING_TYPES)
register_forms = provides(route.FORMS)
register_guards = provides(route.GUARDS)
register_dossier_sections = provides(route.SECTIONS)
register_blueprints = provides([table.bp])
register_migrations = provides(table.MIGRATIONS)
register_reminder_kinds = provides(table.REMINDER_KINDS)


@hookimpl
def register_template_folder():
    return str(Path(__file__).parent / "templates")


@hookimpl
def nav_items():
    return [NavItem("voorbeeldregio.tafel", _l("Arrangeertafel"), "voorbeeldregio.overview", ("route", "view"))]


@hookimpl
def extend_routes(routes):
    """The loket joins the generic VO route, for this SWV's schools that keep it."""
    return [("vo.route", [route.LOKET])] if "vo.route" in routes else []


@hookimpl
def adjust_application_type(application_type):
    """The SWV asks for a TLV VSO to be discussed at the table first: its description says so."""
    if application_type.key != "vo.tlv_vso":
        return None
    return dataclasses.replace(application_type, description=f"{application_type.description} "
                               "Bespreek de aanvraag eerst aan de arrangeertafel.")


@hookimpl
def route_for_student(student, school, routes):
    """VO schools of this SWV follow the region's route instead of the generic VO route."""
    return route.ROUTE.key if school.sector == route.ROUTE.sector else None


@hookimpl
def opp_in_rod(school):
    """The region's schools for praktijkonderwijs draw up an OPP for every student and keep it out of the ROD."""
    return False if school.type_key == "pro" else None


@hookimpl
def after_transition(traject, action, actor):
    table.record_referral(traject, action, actor)


@hookimpl
def register_jobs():
    return [Job("voorbeeldregio.opruimen", "Oude tafeldata opruimen", run=table.forget_past_dates, schedule=DAILY)]
