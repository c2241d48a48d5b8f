"""A test plugin "example" using most hooks: a dossier section, a blueprint with its own template, a migration,
a nav item, a phase added to the PO route with its own meeting type, form and guard, and an after_transition
recorder."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template

from portal.plugin import (FormType, Guard, MeetingType, Migration, NavItem, Phase, Section, TransitionField, hookimpl,
                           require)

PHASE = "example.huisbezoek"
CONSENT = "example_consent"
CALLS: list[tuple[int, str, int]] = []  # (traject id, action, actor id) per after_transition call

bp = Blueprint("example", __name__)


@bp.get("/voorbeeld")
def page():
    require("student", "view")
    return render_template("example/page.html")


def _create_note_table(db) -> None:
    db.execute_sql("CREATE TABLE example_note (id INTEGER PRIMARY KEY, body VARCHAR(200) NOT NULL)")


def _consent_needed(route, state, action, target, data) -> list[str]:
    if target is None or target.key != PHASE or data.get(CONSENT):
        return []
    return ["Een huisbezoek kan alleen met toestemming van de ouders. Vink aan dat ouders toestemming gaven."]


@hookimpl
def register_dossier_sections():
    return [Section("example.huisbezoeken", "Huisbezoeken", "Verslagen van huisbezoeken.", "test")]


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_template_folder():
    return str(Path(__file__).parent / "templates")


@hookimpl
def register_migrations():
    return [Migration("example", "m0001_note", _create_note_table)]


@hookimpl
def nav_items():
    return [NavItem("example.voorbeeld", "Voorbeeldpagina", "example.page", ("student", "view"))]


@hookimpl
def extend_routes(routes):
    assert "po.route" in routes  # the hook reads the registered routes; it never imports the po plugin
    return [("po.route", [Phase(PHASE, "Huisbezoek", "Ouders thuis spreken.", ("zorg",), order=35,
                                meeting_types=("example.huisbezoek", "po.mdo"), forms=("example.verslag",))])]


@hookimpl
def register_meeting_types():
    return [MeetingType("example.huisbezoek", "Huisbezoek", "Gesprek bij de leerling thuis.", ("ouders",), (),
                        "test")]


@hookimpl
def register_forms():
    return [FormType("example.verslag", "Verslag huisbezoek", "Kort verslag.", "test")]


@hookimpl
def register_guards():
    return [Guard("example.toestemming", "Huisbezoek alleen met toestemming", "Ouders stemmen in.", "test",
                  check=_consent_needed, fields=(TransitionField(CONSENT, "Ouders gaven toestemming", "bool"),),
                  targets=(PHASE,))]


@hookimpl
def after_transition(traject, action, actor):
    CALLS.append((traject.id, action, actor.id))
