"""The core's own hook implementations, registered first under the name "core" (as Datasette's default plugins).

The core contributes its blueprints, navigation, background jobs, reminder kinds, migrations and dossier sections
through the same hooks as any plugin, so there is one place to add each and every key is checked for clashes at
start-up. It sits at the top of the layers (docs/architecture.md): it gathers every package's pages and jobs.
"""

from flask_babel import lazy_gettext as _l

from portal import clock, mail, migrations
from portal.admin.views import bp as admin_bp
from portal.applications.desk import bp as desk_bp
from portal.applications.reminders import KINDS as APPLICATION_KINDS
from portal.applications.reminders import expire_ended
from portal.applications.views import bp as applications_bp
from portal.auth import session, throttle
from portal.auth.views import bp as auth_bp
from portal.consent.views import bp as consent_bp
from portal.db import refresh_statistics
from portal.dossier.sections import CORE_SECTIONS
from portal.dossier.views import bp as dossier_bp
from portal.hookspecs import hookimpl
from portal.meetings.reminders import MEETING_ACTION
from portal.meetings.views import bp as meetings_bp
from portal.notifications import digest, reminders
from portal.notifications.reminders import JOB as REMINDERS
from portal.notifications.views import bp as notifications_bp
from portal.opp.reminders import KINDS as OPP_KINDS
from portal.opp.views import bp as opp_bp
from portal.registry import NavItem
from portal.route.reminders import PHASE_EVALUATION
from portal.route.views import bp as route_bp
from portal.scheduler import DAILY, INTERVAL, Job
from portal.sharing.views import bp as sharing_bp
from portal.sharing.views import guest_bp
from portal.students.views import bp as students_bp


@hookimpl
def register_dossier_sections():
    return list(CORE_SECTIONS)


@hookimpl(trylast=True)
def route_for_student(student, school, routes):
    """Default: the first registered route of the school's sector."""
    for key, route in routes.items():
        if route.sector == school.sector:
            return key
    return None


@hookimpl
def register_blueprints():
    return [auth_bp, admin_bp, students_bp, dossier_bp, route_bp, notifications_bp, meetings_bp, consent_bp,
            sharing_bp, guest_bp, applications_bp, desk_bp, opp_bp]


@hookimpl
def register_migrations():
    return migrations.core_migrations()


@hookimpl
def nav_items():
    return [
        NavItem("students", _l("Leerlingen"), "students.index", ("student", "view"), order=10),
        NavItem("meetings", _l("Overleg"), "meetings.index", ("meeting", "view"), order=20),
        NavItem("route", _l("Onze route"), "route.school_settings", ("route", "adapt"), order=30),
        NavItem("opp_rod", _l("OPP's in het ROD"), "opp.rod", ("opp", "write"), order=35),
        NavItem("desk", _l("Aanvragen"), "desk.queue_page", ("application", "review"), order=12),
        NavItem("advices", _l("Mijn adviezen"), "desk.advices", ("application", "advise"), order=13),
        NavItem("advisors", _l("Deskundigen"), "desk.advisors", ("swv", "manage"), order=55),
        NavItem("swv", _l("Gegevens SWV"), "desk.swv_settings", ("swv", "manage"), order=56),
        NavItem("users", _l("Medewerkers"), "admin.users", ("user", "manage"), order=40),
        NavItem("schools", _l("Scholen"), "admin.schools", ("school", "manage"), order=50),
        NavItem("outbox", _l("Uitgaande mail"), "admin.outbox", ("outbox", "read"), order=60),
        NavItem("plugins", _l("Plugins"), "admin.plugins", ("plugins", "view"), order=70),
        NavItem("tasks", _l("Mijn acties"), "notifications.tasks", order=900),
        NavItem("reminders", _l("Herinneringen"), "notifications.admin", ("outbox", "read"), order=910),
    ]


@hookimpl
def register_reminder_kinds():
    """The planned evaluation date of the current phase, the actions agreed in meetings, the applications' terms and
    the OPP's deadlines."""
    return [PHASE_EVALUATION, MEETING_ACTION, *APPLICATION_KINDS, *OPP_KINDS]


@hookimpl
def register_jobs():
    return [
        Job(REMINDERS, _l("Herinneringen versturen"), _send_reminders, INTERVAL),
        Job("core.outbox", _l("Mail opnieuw proberen, oude mail en sessies opruimen"), _outbox, INTERVAL),
        Job("core.digest", _l("Dagelijkse samenvatting per mail"), _digest, DAILY),
        Job("core.application_expiry", _l("Afgelopen toelaatbaarheidsverklaringen laten verlopen"), _expire, DAILY),
        Job("core.statistics", _l("Statistieken van de database bijwerken"), _statistics, DAILY),
    ]


def _statistics():
    return refresh_statistics()


def _expire():
    return expire_ended()


def _send_reminders():
    return reminders.send_due(clock.today())


def _digest():
    return digest.send_digests(clock.today())


def _outbox():
    throttle.purge_expired()
    session.purge_sessions()
    return mail.deliver_due()
