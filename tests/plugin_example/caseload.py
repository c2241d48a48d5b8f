"""A test plugin page written the natural way from docs/plugins.md: every student in a route that the current user
may follow, with their phase. It may list only what that user may see."""

from __future__ import annotations

from flask import Blueprint
from markupsafe import escape

from portal.plugin import hookimpl, open_phase_visits, scope_for

bp = Blueprint("caseload", __name__)


@bp.get("/caseload")
def page():
    visits = open_phase_visits(scope_for(("route", "view")))
    return "".join(f"<li>{escape(visit.student_name)}</li>" for visit in visits) or "<p>Niemand</p>"


@hookimpl
def register_blueprints():
    return [bp]
