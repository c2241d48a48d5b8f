"""The bell, the notification list, mail preferences, "mijn acties" and the administrator's reminder page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _

from portal import clock, policy
from portal import scheduler as scheduler_module
from portal.auth.session import public
from portal.htmx import is_htmx, redirect_after_post, render
from portal.notifications import reminders, services
from portal.notifications.forms import PreferenceForm
from portal.notifications.models import OutboxMail

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _bell_context():
    actor = policy.current()
    if actor.kind != "user":
        return {}
    return {"unread_notifications": lambda: services.unread_count(actor.id)}


@bp.get("/meldingen/teller")
@public
def count():
    """The bell alone, polled by htmx every minute; an expired session goes to the login page."""
    actor = policy.current()
    if actor.kind != "user":
        if is_htmx():
            response = current_app.make_response(("", 200))
            response.headers["HX-Redirect"] = url_for("auth.login")
            return response
        return redirect(url_for("auth.login"))
    return render("notifications/_bell.html", unread=services.unread_count(actor.id))


@bp.get("/meldingen")
def index():
    actor = policy.current()
    return render("notifications/index.html", notifications=services.for_user(actor.id))


@bp.post("/meldingen/<int:notification_id>/gelezen")
def mark_read(notification_id: int):
    if not services.mark_read(policy.current().id, notification_id):
        abort(404)
    return redirect_after_post(url_for("notifications.index"))


@bp.post("/meldingen/alles-gelezen")
def mark_all_read():
    services.mark_read(policy.current().id)
    flash(_("Alle meldingen zijn gelezen."), "success")
    return redirect_after_post(url_for("notifications.index"))


@bp.route("/meldingen/instellingen", methods=["GET", "POST"])
def settings():
    user_id = policy.current().id
    form = PreferenceForm()
    if form.validate_on_submit():
        services.set_mail_preference(user_id, form.mail.data)
        flash(_("Uw voorkeur is opgeslagen."), "success")
        return redirect_after_post(url_for("notifications.settings"))
    if not form.is_submitted():
        form.mail.data = services.mail_preference(user_id)
    return render("notifications/settings.html", form=form), (422 if form.errors else 200)


@bp.get("/mijn-acties")
def tasks():
    """Evaluations and actions due for the students this user may see, overdue first to stand out."""
    today = clock.today()
    listed = reminders.tasks(reminders.Scope.of(policy.current()), today)
    return render("notifications/tasks.html", tasks=listed.tasks, capped=listed.capped,
                  most=reminders.TASK_LIST_MOST, today=today)


@bp.get("/beheer/herinneringen")
def admin():
    """Mail set-up, the scheduler's last runs, unfinished claims and the next reminders (ids only)."""
    policy.require("outbox", "read")
    today = clock.today()
    return render(
        "notifications/admin.html",
        mail_configured=bool(current_app.config.get("MAIL_HOST")),
        failed_mails=OutboxMail.select().where(OutboxMail.failed_at.is_null(False)).count(),
        runs=scheduler_module.last_runs(),
        problems=scheduler_module.problems(),
        interval=current_app.config.get("SCHEDULER_INTERVAL_MINUTES"),
        unfinished=reminders.unfinished_claims(),
        upcoming=reminders.upcoming(today),
        kinds=reminders.kinds(),
        describe=reminders.describe_offsets,
        today=today,
    )
