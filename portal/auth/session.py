"""Per-request identity: flask-login user, the server-side session, the current school membership, the idle timeout.

The signed session cookie alone is not enough to be logged in: it must carry the key of an open ``UserSession``
row. Logout ends that row; a password change, deactivation and "log out everywhere" end every row of the user, so
a copied cookie stops working at once, on every worker.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, logout_user

from portal import policy
from portal.auth.models import Membership, User, UserSession
from portal.db import utcnow
from portal.schools.models import School
from portal.tokens import digest, new_token

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "strong"

# Share-link pages. A browser that opened a share link holds a guest session (GUEST_SESSION_KEY): it has no
# flask-login user, and every URL outside this prefix (static files aside) answers 404 for it.
GUEST_PREFIX = "/gast/"
GUEST_SESSION_KEY = "guest_link_id"
GUEST_NOT_FOUND = "sharing/guest_not_found.html"
SESSION_KEY = "sid"  # the random key of the UserSession row, inside the signed cookie
TOUCH_SECONDS = 60  # last_seen_at of the row is renewed at most this often
# Between a correct password and the second factor the browser is not logged in: it holds only the account's id
# and when the password was given, and reaches nothing but these endpoints (the rest lead to the code page).
PENDING_KEY = "second_factor_user"
PENDING_SINCE = "second_factor_since"
PENDING_NEXT = "second_factor_next"
PENDING_ENDPOINTS = frozenset({"auth.second_factor", "auth.second_factor_enrol", "auth.login", "auth.set_language",
                               "static", "healthz", "favicon"})


@login_manager.user_loader
def _load_user(user_id: str):
    """The active user of the cookie's open session, in one query (it runs on every request)."""
    key = session.get(SESSION_KEY)
    if not user_id.isdigit() or not isinstance(key, str) or not key:
        return None
    row = (UserSession.select(UserSession, User).join(User)
           .where((UserSession.key_hash == digest(key)) & (UserSession.user == int(user_id))
                  & UserSession.ended_at.is_null() & User.active)
           .first())
    if row is None:
        return None
    g.user_session = row
    return row.user


def start_session(user: User) -> None:
    """After a successful login: a fresh server-side session (the caller has cleared the cookie session)."""
    key = new_token()
    UserSession.create(user=user.id, key_hash=digest(key))
    session[SESSION_KEY] = key


def end_current_session(reason: str = "logout") -> None:
    key = session.get(SESSION_KEY)
    if isinstance(key, str) and key:
        UserSession.update(ended_at=utcnow(), end_reason=reason).where(
            (UserSession.key_hash == digest(key)) & UserSession.ended_at.is_null()).execute()


def end_all_sessions(user_id: int, reason: str) -> int:
    """End every open session of the user (password change, deactivation, "log out everywhere")."""
    return UserSession.update(ended_at=utcnow(), end_reason=reason).where(
        (UserSession.user == user_id) & UserSession.ended_at.is_null()).execute()


def purge_sessions(keep_days: int = 30) -> int:
    """End sessions idle past the timeout, delete those ended more than ``keep_days`` ago (scheduler)."""
    now = utcnow()
    idle = dt.timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"]) + dt.timedelta(seconds=TOUCH_SECONDS)
    UserSession.update(ended_at=now, end_reason="idle").where(
        UserSession.ended_at.is_null() & (UserSession.last_seen_at < now - idle)).execute()
    return UserSession.delete().where(UserSession.ended_at < now - dt.timedelta(days=keep_days)).execute()


def _touch(row: UserSession) -> None:
    """Remember when the session was last used (not on the bell's polling, which is no activity)."""
    now = utcnow()
    if request.endpoint != "notifications.count" and (now - row.last_seen_at).total_seconds() > TOUCH_SECONDS:
        UserSession.update(last_seen_at=now).where(UserSession.id == row.id).execute()


def memberships_of(user: User) -> list[Membership]:
    return list(Membership.select(Membership, School)
                .join(School)
                .where((Membership.user == user) & Membership.active)
                .order_by(School.name))


def _idle_expired() -> bool:
    last = session.get("last_seen")
    # Both clocks are renewed at most every TOUCH_SECONDS, so both may lag by that much.
    limit = dt.timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"]) + dt.timedelta(seconds=TOUCH_SECONDS)
    if last is not None and utcnow() - dt.datetime.fromisoformat(last) > limit:
        return True
    # The server's own clock of the session too: an old copy of the cookie carries an old "last_seen" of its own.
    row = g.get("user_session")
    return row is not None and utcnow() - row.last_seen_at > limit


def _touch_cookie() -> None:
    """Renew the cookie's clock, not on every request (a changed session is a new Set-Cookie each time), and not
    on the bell's polling, which is no activity."""
    now = utcnow()
    last = session.get("last_seen")
    if request.endpoint == "notifications.count" and last is not None:
        return
    if last is None or (now - dt.datetime.fromisoformat(last)).total_seconds() > TOUCH_SECONDS:
        session["last_seen"] = now.isoformat()


def load_actor() -> None:
    """before_request: build g.actor from the logged-in user and the chosen school, with the client's address
    (``request.remote_addr``, behind a trusted proxy already the forwarded one), which audit records."""
    ip = request.remote_addr
    g.actor = policy.Actor(kind="anonymous", ip=ip)
    g.memberships = []
    if request.path.startswith(GUEST_PREFIX):
        g.actor = policy.Actor(kind="guest", ip=ip)  # the share-link views bind it to one link and meeting
        return
    if session.get(GUEST_SESSION_KEY):
        return  # a guest session is never a user session
    if current_user.is_authenticated and _idle_expired():
        end_current_session("idle")
        logout_user()
        session.clear()
        session["session_expired"] = True  # kept across the redirect, so the login page can say why
    if not current_user.is_authenticated:
        if request.endpoint == "auth.login":
            g.session_expired = session.pop("session_expired", False)
        return
    _touch_cookie()
    user = current_user._get_current_object()
    if g.get("user_session") is not None:
        _touch(g.user_session)
    g.memberships = memberships_of(user)
    school_ids = {m.school_id for m in g.memberships}
    school_id = session.get("school_id")
    if school_id not in school_ids:
        school_id = g.memberships[0].school_id if g.memberships else None
        session["school_id"] = school_id
    roles = frozenset(m.role for m in g.memberships if m.school_id == school_id)
    g.actor = policy.Actor(kind="user", user=user, school_id=school_id, roles=roles, is_admin=user.is_admin,
                           ip=ip)
    g.current_school = next((m.school for m in g.memberships if m.school_id == school_id), None)


def public(view):
    """Mark a view as reachable without logging in (everything else requires a login)."""
    view.is_public = True
    return view


def require_login():
    """before_request: anonymous visitors of a non-public page go to the login page."""
    if session.get(GUEST_SESSION_KEY) and g.actor.kind != "guest" and request.endpoint != "static":
        # A guest sees nothing outside the share-link pages, not even that a login exists: the same 404 page
        # as a wrong link.
        return render_template(GUEST_NOT_FOUND), 404
    if g.actor.kind != "anonymous" or request.endpoint is None:
        return None
    if session.get(PENDING_KEY) and request.endpoint not in PENDING_ENDPOINTS:
        return redirect(url_for("auth.second_factor"))
    view = current_app.view_functions.get(request.endpoint)
    if request.endpoint == "static" or getattr(view, "is_public", False):
        return None
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app) -> None:
    login_manager.init_app(app)
    app.before_request(load_actor)
    app.before_request(require_login)
