"""Per-request identity: flask-login user, the current school membership, the idle timeout."""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user, logout_user

from portal import policy
from portal.auth.models import Membership, User
from portal.db import utcnow
from portal.schools.models import School

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(user_id: str):
    user = User.get_or_none(User.id == int(user_id)) if user_id.isdigit() else None
    return user if user and user.active else None


def memberships_of(user: User) -> list[Membership]:
    return list(Membership.select(Membership, School)
                .join(School)
                .where((Membership.user == user) & Membership.active)
                .order_by(School.name))


def _idle_expired() -> bool:
    last = session.get("last_seen")
    limit = dt.timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    return last is not None and utcnow() - dt.datetime.fromisoformat(last) > limit


def load_actor() -> None:
    """before_request: build g.actor from the logged-in user and the chosen school."""
    g.actor = policy.ANONYMOUS
    g.memberships = []
    if not current_user.is_authenticated:
        return
    if _idle_expired():
        logout_user()
        session.clear()
        g.session_expired = True
        return
    session["last_seen"] = utcnow().isoformat()
    user = current_user._get_current_object()
    g.memberships = memberships_of(user)
    school_ids = {m.school_id for m in g.memberships}
    school_id = session.get("school_id")
    if school_id not in school_ids:
        school_id = g.memberships[0].school_id if g.memberships else None
        session["school_id"] = school_id
    roles = frozenset(m.role for m in g.memberships if m.school_id == school_id)
    g.actor = policy.Actor(kind="user", user=user, school_id=school_id, roles=roles, is_admin=user.is_admin)
    g.current_school = next((m.school for m in g.memberships if m.school_id == school_id), None)


def public(view):
    """Mark a view as reachable without logging in (everything else requires a login)."""
    view.is_public = True
    return view


def require_login():
    """before_request: anonymous visitors of a non-public page go to the login page."""
    if g.actor.kind != "anonymous" or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if request.endpoint == "static" or getattr(view, "is_public", False):
        return None
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app) -> None:
    login_manager.init_app(app)
    app.before_request(load_actor)
    app.before_request(require_login)
