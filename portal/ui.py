"""Template globals shared by every page: the actor, navigation, school switcher, htmx availability."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup

from portal import clock, inputs, labels, policy
from portal.registry import NavItem


def _nav_for(actor: policy.Actor) -> list[NavItem]:
    items = current_app.extensions["registry"].nav_items  # the core's and the plugins', in menu order
    return [item for item in items if item.feature is None or actor.can(*item.feature)]


def _without_bidi(value):
    """Every value a template prints (pages, PDFs, mails from templates) without bidi overrides, also text
    stored before input lost them: a name never turns a line around for the person reading it."""
    if isinstance(value, str) and inputs.BIDI.search(value):
        return Markup(inputs.neutral(value)) if isinstance(value, Markup) else inputs.neutral(value)
    return value


def init_app(app) -> None:
    app.jinja_env.finalize = _without_bidi
    # One way to show a time, in Europe/Amsterdam: {{ entry.created_at|when }}, {{ day|when("date") }},
    # {{ meeting.starts_at|when(stored="local") }} for wall-clock meeting times; <time datetime="{{ x|when_iso }}">.
    app.add_template_filter(clock.show, "when")
    app.add_template_filter(clock.iso, "when_iso")
    app.add_template_filter(labels.citation, "citation")  # "seed 004, §2.1" -> "Ondersteuningsroute SWV 22.02, §2.1"
    app.add_template_global(labels.job, "job_label")
    app.add_template_global(labels.reminder_kind, "reminder_kind_label")
    app.add_template_global(labels.jeugdhulp_kind, "jeugdhulp_kind_label")

    @app.context_processor
    def _globals():
        actor = policy.current()
        return {
            "actor": actor,
            "nav_items": _nav_for(actor) if actor.kind == "user" else [],
            "switch_schools": list({m.school_id: m.school for m in g.get("memberships", [])}.values()),
            "current_school": g.get("current_school"),
            "htmx_available": current_app.config.get("HTMX_AVAILABLE", False),
            "current_locale": str(get_locale()),
            "role_labels": policy.ROLES,
            "request_path": request.full_path.rstrip("?") if has_request_context() else "",  # a letter: none
        }
