"""Login, logout, password reset and invitation acceptance, school and language switching."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal import htmx
from portal.auth import services
from portal.auth.forms import LoginForm, ResetRequestForm, SetPasswordForm
from portal.auth.models import User
from portal.auth.session import public
from portal.db import utcnow

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("students.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("students.index"))
    form = LoginForm()
    error = None
    if g.get("session_expired"):
        error = _("Je sessie is verlopen omdat je een tijd niet actief was. Log opnieuw in.")
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        lock = services.locked_until(email)
        if lock:
            error = _("Te veel mislukte pogingen. Probeer het opnieuw na %(time)s.",
                      time=format_datetime(lock, "HH:mm"))
        else:
            user = services.authenticate(email, form.password.data)
            if user is None:
                services.register_failure(email)
                error = _("E-mailadres of wachtwoord klopt niet.")
            else:
                services.clear_failures(email)
                session.clear()
                login_user(user)
                user.last_login_at = utcnow()
                user.save()
                session["last_seen"] = utcnow().isoformat()
                return redirect(_safe_next(request.args.get("next")), code=303)
    return render_template("auth/login.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash(_("Je bent uitgelogd."), "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = User.get_or_none(User.email == form.email.data.strip().lower())
        if user and user.active and user.password_hash:
            services.send_reset(user)
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
        user.password_hash = services.hash_password(form.password.data)
        user.save()
        services.clear_failures(user.email)
        flash(_("Je wachtwoord is ingesteld. Je kunt nu inloggen."), "success")
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/set_password.html", form=form, purpose=purpose)


@bp.route("/school", methods=["POST"])
def switch_school():
    school_id = request.form.get("school_id", type=int)
    if school_id not in {m.school_id for m in g.memberships}:
        abort(404)
    session["school_id"] = school_id
    return htmx.redirect_after_post(url_for("students.index"))


@bp.route("/taal", methods=["POST"])
@public
def set_language():
    lang = request.form.get("lang")
    if lang in ("nl", "en"):
        session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")), code=303)
