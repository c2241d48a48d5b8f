"""Login, logout, password reset and invitation acceptance, school and language switching."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal import htmx, policy
from portal.auth import services, throttle
from portal.auth.forms import LoginForm, ResetRequestForm, SetPasswordForm
from portal.auth.session import end_all_sessions, end_current_session, public, start_session
from portal.auth.throttle import limiter
from portal.db import utcnow
from portal.redirects import safe_next

bp = Blueprint("auth", __name__)


def start_page(actor: policy.Actor) -> str:
    """Where a logged-in user starts: school staff at the students, the SWV administrator at the schools
    (beheer), SWV staff at the queue of applications, a deskundige at their advices, anyone else at "mijn
    acties"."""
    if actor.can("student", "view") and (actor.can("student", "edit") or policy.students().exists()):
        return url_for("students.index")
    if actor.can("application", "review"):
        return url_for("desk.queue_page")
    if actor.can("application", "advise"):
        return url_for("desk.advices")
    if actor.can("school", "manage"):
        return url_for("admin.schools")
    return url_for("notifications.tasks")


@bp.get("/")
@public
def start():
    """The portal's address (every mail and .ics links here): the login page or the user's start page."""
    actor = policy.current()
    if actor.kind != "user":
        return redirect(url_for("auth.login"))
    return redirect(start_page(actor))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(throttle.login_client_limit, methods=["POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(start_page(policy.current()))
    form = LoginForm()
    error, status, headers = None, 200, {}
    if g.get("session_expired"):
        error = _("Je sessie is verlopen omdat je een tijd niet actief was. Log opnieuw in.")
    if form.validate_on_submit():
        try:
            user = services.login(form.email.data, form.password.data, throttle.client())
        except services.LoginRefused as refused:
            error = _("Te veel mislukte pogingen. Probeer het opnieuw na %(time)s.",
                      time=format_datetime(refused.until, "HH:mm"))
        except services.LoginPaused as paused:
            error = _("Te veel mislukte pogingen voor dit account. Probeer het over %(seconds)s seconden opnieuw.",
                      seconds=paused.seconds)
            status, headers = 429, {"Retry-After": str(paused.seconds)}
        else:
            if user is None:
                error = _("E-mailadres of wachtwoord klopt niet.")
            else:
                session.clear()
                login_user(user)
                start_session(user)
                user.last_login_at = utcnow()
                user.save()
                session["last_seen"] = utcnow().isoformat()
                target = safe_next(request.args.get("next"), url_for("auth.start"))
                return redirect(target, code=303)
    return render_template("auth/login.html", form=form, error=error), status, headers


@bp.route("/logout", methods=["POST"])
def logout():
    end_current_session("logout")
    logout_user()
    session.clear()
    flash(_("Je bent uitgelogd."), "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/uitloggen-overal", methods=["POST"])
def logout_everywhere():
    """End every session of this account, on every device, this one included."""
    end_all_sessions(policy.current().id, "everywhere")
    logout_user()
    session.clear()
    flash(_("Je bent op alle apparaten uitgelogd."), "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public
@limiter.limit(throttle.reset_client_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_reset(form.email.data)
        # Same answer either way: do not reveal which addresses have an account.
        flash(_("Als dit adres bij ons bekend is, ontvang je een e-mail met een link."), "info")
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/wachtwoord/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    purpose = "invite" if services.redeem_token(token, "invite", consume=False) else "reset"
    user = services.redeem_token(token, purpose, consume=False)
    if user is None:
        return render_template("auth/token_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        if services.redeem_token(token, purpose, consume=True) is None:
            return render_template("auth/token_invalid.html"), 404
        services.set_password(user, form.password.data)
        flash(_("Je wachtwoord is ingesteld. Je kunt nu inloggen."), "success")
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/set_password.html", form=form, purpose=purpose)


@bp.route("/school", methods=["POST"])
def switch_school():
    school_id = request.form.get("school_id", type=int)
    if school_id not in {m.school_id for m in g.memberships}:
        abort(404)
    session["school_id"] = school_id
    return htmx.redirect_after_post(url_for("auth.start"))


@bp.route("/taal", methods=["POST"])
@public
def set_language():
    lang = request.form.get("lang")
    if lang in ("nl", "en"):
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("auth.start")), code=303)
