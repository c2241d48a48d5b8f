"""Login, logout, password reset and invitation acceptance, school and language switching."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from markupsafe import Markup
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal import htmx, policy
from portal.auth import second_factor, services, throttle
from portal.auth.forms import LoginForm, ResetRequestForm, SecondFactorForm, SetPasswordForm
from portal.auth.session import (PENDING_KEY, PENDING_NEXT, PENDING_SINCE, end_all_sessions, end_current_session,
                                 public, start_session)
from portal.auth.throttle import limiter
from portal.db import utcnow
from portal.redirects import safe_next

bp = Blueprint("auth", __name__)
PENDING_MINUTES = 10  # between the password and the second factor


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
            error = _throttled(refused)
        except services.LoginPaused as paused:
            error = _throttled(paused)
            status, headers = 429, {"Retry-After": str(paused.seconds)}
        else:
            if user is None:
                error = _("E-mailadres of wachtwoord klopt niet.")
            else:
                target = safe_next(request.args.get("next"), url_for("auth.start"))
                if second_factor.required(user):
                    return _to_second_step(user, target)
                return _complete_login(user, target)
    return render_template("auth/login.html", form=form, error=error), status, headers


def _complete_login(user, target: str):
    """Log the browser in: a fresh cookie session and server-side session."""
    session.clear()
    login_user(user)
    start_session(user)
    user.last_login_at = utcnow()
    user.save()
    session["last_seen"] = utcnow().isoformat()
    return redirect(target, code=303)


def _to_second_step(user, target: str):
    """The password was right; the browser is not logged in until the second factor is (R-AVG-SEC-1)."""
    session.clear()
    session[PENDING_KEY], session[PENDING_SINCE], session[PENDING_NEXT] = user.id, utcnow().isoformat(), target
    endpoint = "auth.second_factor" if second_factor.enrolled(user) else "auth.second_factor_enrol"
    return redirect(url_for(endpoint), code=303)


def _throttled(held) -> str:
    """The Dutch message for a login held back: the client locked until a time, or the account paused."""
    if isinstance(held, services.LoginPaused):
        return _("Te veel mislukte pogingen voor dit account. Probeer het over %(seconds)s seconden opnieuw.",
                 seconds=held.seconds)
    return _("Te veel mislukte pogingen. Probeer het opnieuw na %(time)s.", time=format_datetime(held.until, "HH:mm"))


def _pending_user():
    """The account whose password this browser gave in the last PENDING_MINUTES, or None."""
    since = session.get(PENDING_SINCE)
    try:
        started = dt.datetime.fromisoformat(since) if isinstance(since, str) else None
    except ValueError:
        started = None
    if started is None or utcnow() - started > dt.timedelta(minutes=PENDING_MINUTES):
        return None
    return second_factor.account(session.get(PENDING_KEY))


def _start_over():
    session.pop(PENDING_KEY, None)
    flash(_("Log opnieuw in met je wachtwoord."), "info")
    return redirect(url_for("auth.login"), code=303)


def _code_error(user, form: SecondFactorForm):
    """Check the code (throttled like the password); the message beside the field, or None when it was right."""
    try:
        if second_factor.check(user, form.code.data, throttle.client()):
            return None
    except (services.LoginRefused, services.LoginPaused) as held:
        return _throttled(held)
    except second_factor.Unreadable:
        return _("Je tweede factor kan niet worden gecontroleerd. Vraag de beheerder van het "
                 "samenwerkingsverband om hem opnieuw in te stellen.")
    return _("Deze code klopt niet of is al gebruikt. Gebruik de nieuwste code uit je app.")


@bp.route("/inloggen/code", methods=["GET", "POST"], endpoint="second_factor")
@public
@limiter.limit(throttle.login_client_limit, methods=["POST"])
def second_factor_page():
    """The second step of signing in: the code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        return _start_over()
    if not second_factor.enrolled(user):
        return redirect(url_for("auth.second_factor_enrol"), code=303)
    form = SecondFactorForm()
    if form.validate_on_submit():
        error = _code_error(user, form)
        if error is None:
            return _complete_login(user, session.get(PENDING_NEXT) or url_for("auth.start"))
        form.code.errors.append(error)
    status = 422 if form.errors else 200
    return render_template("auth/second_factor.html", form=form), status


@bp.route("/inloggen/tweede-factor-instellen", methods=["GET", "POST"])
@public
@limiter.limit(throttle.login_client_limit, methods=["POST"])
def second_factor_enrol():
    """First sign-in with a second factor: scan the secret, confirm with a code, note the recovery codes."""
    user = _pending_user()
    if user is None:
        return _start_over()
    if second_factor.enrolled(user):  # never a second authenticator with only the password
        return redirect(url_for("auth.second_factor"), code=303)
    try:
        secret = second_factor.pending_secret(user)
    except second_factor.Unreadable:
        return _start_over()
    form = SecondFactorForm()
    if form.validate_on_submit():
        codes = second_factor.confirm(user, form.code.data)
        if codes is not None:
            target = session.get(PENDING_NEXT) or url_for("auth.start")
            _complete_login(user, target)
            return render_template("auth/recovery_codes.html", codes=codes, next_url=target)
        form.code.errors.append(_("Deze code klopt niet. Controleer de tijd op je telefoon en gebruik de "
                                  "nieuwste code uit je app."))
    status = 422 if form.errors else 200
    return render_template("auth/second_factor_enrol.html", form=form, secret=secret,
                           qr=Markup(second_factor.qr_svg(user, secret))), status


@bp.get("/account/tweede-factor")
def second_factor_account():
    """The user's own second factor: whether it is set up, and new recovery codes."""
    user = policy.current().user
    return render_template("auth/second_factor_account.html", form=SecondFactorForm(formdata=None),
                           enrolled=second_factor.enrolled(user), required=second_factor.required(user),
                           codes_left=second_factor.recovery_codes_left(user))


@bp.post("/account/tweede-factor/herstelcodes")
def recovery_codes_regenerate():
    """Ten new recovery codes after a current code from the app; the old ones stop working."""
    actor = policy.current()
    user = actor.user
    form = SecondFactorForm()
    enrolled = second_factor.enrolled(user)
    if enrolled and form.validate_on_submit():
        try:
            codes = second_factor.regenerate_recovery_codes(user, form.code.data, throttle.client(), actor)
        except (services.LoginRefused, services.LoginPaused):
            codes = None
        if codes is not None:
            return render_template("auth/recovery_codes.html", codes=codes, next_url=url_for(
                "auth.second_factor_account"))
        form.code.errors.append(_("Deze code klopt niet of is al gebruikt. Gebruik de nieuwste code uit je app."))
    return render_template("auth/second_factor_account.html", form=form, enrolled=enrolled,
                           required=second_factor.required(user),
                           codes_left=second_factor.recovery_codes_left(user)), 422


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
        if services.password_guessable(form.password.data, user):
            form.password.errors.append(_("Dit wachtwoord is te makkelijk te raden: het staat in lijsten van "
                                          "veelgebruikte of gelekte wachtwoorden, of lijkt op je naam of "
                                          "e-mailadres. Kies een langer wachtwoord, bijvoorbeeld een paar losse "
                                          "woorden."))
        else:
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
