"""The core uses its own plugin seam, and plugins hold one API module.

The core's blueprints, nav items, jobs, reminder kinds and migrations come through the same hooks as a
plugin's (``portal.core_plugin``), every key is checked for clashes at start-up, and the menu keeps its order.
``portal.plugin`` exports every type a hook names; the bundled plugins import nothing else from the
portal; role keys and features a plugin names are checked against the policy at start-up.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from flask import Blueprint

import portal.plugin
from portal import hookspecs
from portal.plugin import Job, Migration, NavItem, Phase, ReminderKind, Route
from portal.plugins import PluginError
from portal.testing import create_test_app
from tests import factories
from tests.plugin_example import caseload, clashes

ROOT = Path(__file__).resolve().parents[1]
HOOKS = sorted(name for name, fn in vars(hookspecs).items() if hasattr(fn, "portal_spec"))


def _boot(tmp_path, **modules):
    return create_test_app(tmp_path, ["po", "vo"], modules)


def _core_impls(app) -> set[str]:
    hook = app.extensions["plugin_manager"].hook
    return {name for name in HOOKS if "core" in [i.plugin_name for i in getattr(hook, name).get_hookimpls()]}


# --- the core through its own hooks -------------------------------------------------------------------------


def test_the_core_contributes_through_the_plugin_hooks(app):
    """Blueprints, nav items, jobs, reminder kinds and migrations of the core are hook answers of
    the plugin "core", and the registry holds them before the plugins'."""
    assert {"register_blueprints", "nav_items", "register_jobs", "register_reminder_kinds", "register_migrations",
            "register_dossier_sections", "route_for_student"} <= _core_impls(app)
    registry = app.extensions["registry"]
    assert [bp.name for bp in registry.blueprints][:2] == ["auth", "admin"]
    assert set(app.blueprints) == {bp.name for bp in registry.blueprints}
    assert list(registry.jobs) == ["core.reminders", "core.outbox", "core.digest", "core.application_expiry",
                                   "core.statistics"]
    assert list(registry.reminder_kinds)[:2] == ["core.phase_evaluation", "core.meeting_action"]
    assert registry.migrations[0].namespace == "core" and registry.migrations[0].name.startswith("m0001")
    assert [item.key for item in registry.nav_items] == ["students", "desk", "advices", "meetings", "route", "opp_rod",
                                                         "users",
                                                         "schools", "advisors", "swv", "outbox", "plugins", "tasks",
                                                         "reminders"]


def test_the_phase_evaluation_reminder_lives_with_the_route():
    """The route's reminder kind is in portal/route/; the generic machinery knows no route."""
    from portal.route.reminders import PHASE_EVALUATION

    assert PHASE_EVALUATION.key == "core.phase_evaluation"
    tree = ast.parse((ROOT / "portal" / "notifications" / "reminders.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in imported if m and m.startswith("portal.route")}


def _nav(html: str) -> list[str]:
    menu = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', menu)


def test_the_menu_keeps_its_order_and_gating(client, auth):
    """The rendered menu per role is what it was before the core used the nav_items hook,
    plus the SWV's queue, the deskundige's advices and the SWV administrator's deskundigen and letter details, and
    the care coordinator's list of OPPs to register in the ROD."""
    school = factories.school()
    expected = {
        "zorg": ["Leerlingen", "Overleg", "Onze route", "OPP's in het ROD", "Mijn acties"],
        "mentor": ["Leerlingen", "Overleg", "Mijn acties"],
        "beheerder": ["Leerlingen", "Onze route", "Medewerkers", "Mijn acties"],
        "swv": ["Aanvragen", "Overleg", "Mijn acties"],
        "deskundige": ["Mijn adviezen", "Overleg", "Mijn acties"],
        None: ["Scholen", "Deskundigen", "Gegevens SWV", "Uitgaande mail", "Plugins", "Mijn acties", "Herinneringen"],
    }
    for role, menu in expected.items():
        user = factories.user(role, school) if role else factories.user(is_admin=True)
        auth.login(user.email)
        landing = "/beheer/plugins" if role is None else "/mijn-acties" if role in ("swv", "deskundige") \
            else "/leerlingen/"
        assert _nav(client.get(landing).get_data(as_text=True)) == menu, role
        auth.logout()


CORE_CLASHES = {
    "nav item": (dict(nav_items=[NavItem("tasks", "Nog eens mijn acties", "notifications.tasks")]),
                 "Menu-item 'tasks'"),
    "job": (dict(register_jobs=[Job("core.outbox", "Nog een outbox", lambda: None)]), "Taak 'core.outbox'"),
    "reminder kind": (dict(register_reminder_kinds=[ReminderKind("core.phase_evaluation", "Nog eens", lambda s: [])]),
                      "Herinneringssoort 'core.phase_evaluation'"),
    "blueprint": (dict(register_blueprints=[Blueprint("auth", __name__)]), "Blueprint 'auth'"),
    "migration": (dict(register_migrations=[Migration("core", "m0001_initial", lambda db: None)]),
                  "Migratie 'core.m0001_initial'"),
}


@pytest.mark.parametrize("kind", sorted(CORE_CLASHES))
def test_a_key_of_the_core_defined_again_stops_start_up_naming_the_plugin(tmp_path, kind):
    """A plugin cannot take a key the core contributes: it lies outside the plugin's own namespace (a migration:
    in another's namespace), and start-up stops naming the plugin and the key."""
    answers, message = CORE_CLASHES[kind]
    with pytest.raises(PluginError, match=f"Plugin 'dubbel'.*{message.split(' ', 1)[1]}"):
        _boot(tmp_path, dubbel=clashes.plugin(**answers))


def test_a_menu_item_to_a_page_that_does_not_exist_stops_start_up(tmp_path):
    """A menu item whose endpoint is missing would make every page of its roles a 500 after login: start-up
    refuses it, naming the item and the page."""
    item = NavItem("een.overzicht", "Overzicht", "een.bestaat_niet")
    with pytest.raises(PluginError, match="Menu-item 'een.overzicht' verwijst naar de pagina 'een.bestaat_niet'"):
        _boot(tmp_path, een=clashes.plugin(nav_items=[item]))


def test_a_key_outside_the_plugins_namespace_stops_start_up(tmp_path):
    """Keys start with the plugin's own name, so a later release of another plugin can never clash with them."""
    with pytest.raises(PluginError, match="Plugin 'een': Taak 'twee.opruimen' valt buiten de eigen naamruimte"):
        _boot(tmp_path, een=clashes.plugin(register_jobs=[Job("twee.opruimen", "Opruimen", lambda: None)]))


def test_the_same_job_key_twice_stops_start_up(tmp_path):
    job = Job("een.opruimen", "Opruimen", lambda: None)
    with pytest.raises(PluginError, match="Taak 'een.opruimen' is twee keer gedefinieerd door 'een'"):
        _boot(tmp_path, een=clashes.plugin(register_jobs=[job, job]))


def test_a_migration_in_another_plugins_namespace_stops_start_up(tmp_path):
    """Migrations are recorded per namespace, so a plugin writes only in its own."""
    with pytest.raises(PluginError, match="Plugin 'dubbel' levert migratie 'vo.m0001_x' in de naamruimte van "
                                          "'vo'"):
        _boot(tmp_path, dubbel=clashes.plugin(register_migrations=[Migration("vo", "m0001_x", lambda db: None)]))


# --- role keys and features are the core's --------------------------------------------------------------------


def test_an_unknown_lead_role_stops_start_up(tmp_path):
    """``lead_roles`` name roles of portal.policy.ROLES; the message names plugin and role."""
    route = Route("dubbel.route", "Route", "PO", "1", (Phase("dubbel.a", "A", "", ("ib",)),))
    with pytest.raises(PluginError, match="Plugin 'dubbel': fase 'dubbel.a' noemt de onbekende rol 'ib'"):
        _boot(tmp_path, dubbel=clashes.plugin(register_routes=[route]))


def test_an_unknown_lead_role_in_an_extension_stops_start_up(tmp_path):
    phase = Phase("dubbel.extra", "Extra", "", ("Zorg",), order=35)
    with pytest.raises(PluginError, match="Plugin 'dubbel': fase 'dubbel.extra' noemt de onbekende rol 'Zorg'"):
        _boot(tmp_path, dubbel=clashes.plugin(extend_routes=[("po.route", [phase])]))


def test_a_nav_item_with_an_unknown_feature_stops_start_up(tmp_path):
    item = NavItem("dubbel.lijst", "Lijst", "students.index", ("leerling", "bekijken"))
    with pytest.raises(PluginError, match="Plugin 'dubbel': menu-item 'dubbel.lijst' vraagt de onbekende "
                                          "bevoegdheid"):
        _boot(tmp_path, dubbel=clashes.plugin(nav_items=[item]))


# --- one API module ---------------------------------------------------------------------------------------------

STANDARD_NAMES = {"list", "tuple", "dict", "str", "int", "bool", "None", "Mapping", "Blueprint"}


def test_every_type_a_hook_names_is_exported_by_the_plugin_api():
    """The hookspecs are annotated, and each type they name comes from ``portal.plugin``."""
    exported = set(portal.plugin.__all__)
    for name in HOOKS:
        spec = getattr(hookspecs, name)
        annotations = dict(spec.__annotations__)
        assert "return" in annotations, f"{name} has no return annotation"
        params = [p for p in spec.__code__.co_varnames[:spec.__code__.co_argcount]]
        assert set(params) <= set(annotations), f"{name}: parameters without annotation"
        for text in annotations.values():
            unknown = set(re.findall(r"[A-Za-z_]\w*", text)) - exported - STANDARD_NAMES
            assert not unknown, f"{name} names {unknown}, which portal.plugin does not export"
    assert all(hasattr(portal.plugin, name) for name in portal.plugin.__all__)


def _portal_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found |= {f"portal.{a.name}" for a in node.names} if node.module == "portal" else {node.module}
    return {name for name in found if name == "portal" or name.startswith("portal.")}


def test_plugins_import_nothing_from_the_portal_but_its_plugin_api():
    """Every module under plugins/ imports only ``portal.plugin`` (tests: also portal.testing)."""
    modules = sorted((ROOT / "plugins").rglob("*.py"))
    assert len(modules) >= 9
    wrong = {}
    for path in modules:
        is_test = path.name.startswith("test_") or path.name == "conftest.py" or "tests" in path.parts
        allowed = {"portal.plugin", "portal.testing"} if is_test else {"portal.plugin"}
        extra = _portal_imports(path) - allowed
        if extra:
            wrong[str(path.relative_to(ROOT))] = sorted(extra)
    assert not wrong


def test_the_read_helpers_return_plain_data(app):
    """A plugin reads students, guardians and trajecten as plain records, never ORM models."""
    school = factories.school(sector="VO")
    pupil = factories.student(school, first="Mila", last="Visser")
    info = portal.plugin.student_info(pupil.id)
    assert (info.full_name, info.school_id, info.has_left) == ("Mila Visser", school.id, False)
    assert [g.name for g in portal.plugin.guardians(pupil.id)] == ["Ouder van Mila"]
    state = portal.plugin.traject_state(pupil.id)
    assert state.status == portal.plugin.Status.NEW and state.route.key == "drenthe.route"
    assert portal.plugin.student_info(10_000_000) is None and portal.plugin.guardians(10_000_000) == []
    with pytest.raises(ValueError):
        portal.plugin.Scope(student_ids=None, user_id=1)


def test_a_plugin_reads_the_plans_and_evaluations_already_recorded(app):
    """R-ROUTE-4, R-ROUTE-7: a guard can see a phase's plan, evaluation and the parents' view already recorded
    (``phase_plans``), the latest first, as plain data; a student without a traject has none."""
    school = factories.school(sector="VO")
    pupil = factories.student(school, first="Mila", last="Visser")
    assert portal.plugin.phase_plans(pupil.id) == []
    visit = factories.enter_phase(pupil, factories.drenthe_route(), "drenthe.intern_basis",
                                  entered=dt.datetime(2026, 11, 2, 9), by=factories.user("zorg", school),
                                  evaluation_date=dt.date(2026, 12, 14))
    visit.goals, visit.parent_view = "Rust in de klas.", "Moeder ziet thuis dezelfde onrust."
    visit.save()
    [plan] = portal.plugin.phase_plans(pupil.id)
    assert (plan.phase_key, plan.goals, plan.parent_view, plan.evaluation_date) == (
        "drenthe.intern_basis", "Rust in de klas.", "Moeder ziet thuis dezelfde onrust.", dt.date(2026, 12, 14))
    assert not hasattr(plan, "save")  # plain data, not the ORM row


# --- the worked example of docs/plugins.md, tested the way its guide says -------------------------------------


EXAMPLE = ROOT / "plugins" / "voorbeeldregio"
QUOTED = {"### pyproject.toml": "pyproject.toml", "### route.py": "portal_voorbeeldregio/route.py",
          "### table.py": "portal_voorbeeldregio/table.py", "### templates/tafel.html":
          "portal_voorbeeldregio/templates/tafel.html", "### plugin.py": "portal_voorbeeldregio/plugin.py"}


def _blocks(markdown: str, heading: str) -> list[str]:
    section = markdown.split(f"\n{heading}\n", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```[a-z]*\n(.*?)```", section, re.S)


def test_the_guide_quotes_the_example_plugin_as_it_is():
    """docs/plugins.md shows only what runs: every file of its worked example is the file of the example plugin
    in plugins/voorbeeldregio, which the suite installs and tests."""
    docs = (ROOT / "docs" / "plugins.md").read_text().split("## Worked example", 1)[1]
    for heading, path in QUOTED.items():
        assert _blocks(docs, heading)[0] == (EXAMPLE / path).read_text().rstrip() + "\n", path
    conftest, test_route = _blocks(docs, "### Testing it")
    assert conftest == (EXAMPLE / "tests" / "conftest.py").read_text().rstrip() + "\n"
    assert test_route == (EXAMPLE / "tests" / "test_route.py").read_text().rstrip() + "\n"


def test_the_example_plugin_implements_every_hook_and_passes_its_own_tests(tmp_path):
    """The example plugin, installed by pip as a distribution of its own (into a folder of its own, so the
    portal's demo never enables it), implements every hook of the portal and passes its tests, which use only
    ``portal.testing`` (run by pytest in a process of their own, as a third party would)."""
    import os
    import subprocess
    import sys

    site = tmp_path / "site"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                          "--target", str(site), str(EXAMPLE)], capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stdout[-2000:] + pip.stderr[-2000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "PYTEST_"))}
    env["PYTHONPATH"] = str(site)
    probe = ("from portal import hookspecs, plugins\n"
             "pm = plugins.build_manager(['vo', 'voorbeeldregio'])\n"
             "print(sorted(c.name for c in pm.get_hookcallers(pm.get_plugin('voorbeeldregio'))))\n")
    hooks = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
    assert hooks.returncode == 0, hooks.stderr[-2000:]
    assert hooks.stdout.strip() == str(sorted(HOOKS))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "tests"], cwd=EXAMPLE,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout


# --- a plugin page cannot list more than its viewer may see ---------------------------------------------------


@pytest.mark.parametrize("app_overrides", [{"PLUGINS": ["po", "vo", "drenthe"],
                                             "EXTRA_PLUGIN_MODULES": {"caseload": caseload}}], ids=["caseload"])
def test_a_plugin_page_lists_only_the_students_its_viewer_may_see(app, client, auth):
    """R-DRE-AVG: a plugin page built from the guide (``open_phase_visits(scope_for(feature))``), walked as every
    role: the care coordinator sees their own school's students in a route, a mentor only those of their own group,
    no role of another school, the SWV or jeugdhulp sees a student of this school; a Scope without students is
    refused."""
    ours, theirs = factories.school("De Regenboog"), factories.school("Het Kompas")
    mentor = factories.user("mentor", ours)
    group = factories.group(ours, "Groep 7", teachers=[mentor])
    in_group = factories.student(ours, group, first="Sem", last="Bakker")
    elsewhere = factories.student(ours, factories.group(ours, "Groep 8"), first="Lieke", last="Mol")
    other = factories.student(theirs, first="Tijn", last="Vos")
    route = factories.drenthe_route()
    for pupil in (in_group, elsewhere, other):
        factories.enter_phase(pupil, route, "drenthe.intern_basis", entered=dt.datetime(2026, 11, 2, 9),
                              by=factories.user("zorg", pupil.school))
    names = {in_group: "Sem Bakker", elsewhere: "Lieke Mol", other: "Tijn Vos"}
    expected = {
        "zorg": {in_group, elsewhere}, "mentor": {in_group}, "beheerder": set(), "swv": set(),
        "deskundige": set(), "jeugdhulp": set(), "admin": set(), "zorg-elders": {other},
    }
    for role, visible in expected.items():
        if role == "admin":
            user = factories.user(is_admin=True)
        elif role == "mentor":
            user = mentor
        else:
            user = factories.user(role.split("-")[0], theirs if role == "zorg-elders" else ours)
        auth.login(user.email)
        page = client.get("/caseload")
        assert page.status_code == 200, role
        shown = {pupil for pupil, name in names.items() if name in page.get_data(as_text=True)}
        assert shown == visible, role
        auth.logout()
    with pytest.raises(ValueError):
        portal.plugin.Scope(student_ids=None)
