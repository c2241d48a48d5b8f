"""The plugin system through the app: every hook's effect, start-up errors, external plugins, SWV configurations.

Test plugins live in tests/plugin_example/ and are enabled with the app setting EXTRA_PLUGIN_MODULES, or, for a
plugin outside the repository, installed into tmp_path as a distribution with an entry point.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal import hookspecs
from portal.cli import main as portal_cli
from portal.db import database
from portal.migrations import SchemaMigration
from portal.plugins import PluginError
from portal.route.definition import FormType, MeetingType, Phase, Route
from portal.route.models import Traject
from tests import factories
from tests.factories import traject_step
from tests.conftest import make_app
from tests.plugin_example import applications, broken_guard, chooser, clashes, example, misspelled

ROOT = Path(__file__).resolve().parents[1]
HOOKS = sorted(name for name, fn in vars(hookspecs).items() if hasattr(fn, "portal_spec"))
PO_ROUTE, VO_ROUTE = "Ondersteuningsroute primair onderwijs", "Ondersteuningsroute voortgezet onderwijs"
DRENTHE_ROUTE = "Ondersteuningsroute SWV 22.02"


def with_plugins(plugins=("po", "vo", "drenthe"), **modules):
    """Run the test on an app with these plugins enabled by name plus the given test plugin modules."""
    overrides = {"PLUGINS": list(plugins), "EXTRA_PLUGIN_MODULES": modules}
    return pytest.mark.parametrize("app_overrides", [overrides], ids=["+".join([*plugins, *modules])])


def install_distribution(root: Path, monkeypatch, dist: str, version: str, entry_points: dict[str, str],
                         files: dict[str, str]) -> None:
    """Install a distribution into ``root`` the way pip lays it out: its files plus a dist-info folder."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[portal.plugins]\n{lines}")
    monkeypatch.syspath_prepend(str(root))  # also clears the importlib.metadata path caches


@pytest.fixture(autouse=True)
def _forget_installed(monkeypatch):
    """Distributions installed by a test disappear with it: drop their modules and the metadata caches."""
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.startswith("portal_example_region") or name.startswith("portal_kapot"):
            del sys.modules[name]
    monkeypatch.undo()
    importlib.invalidate_caches()


@pytest.fixture
def po_world(app):
    school = factories.school("Basisschool De Linde", sector="PO")
    coordinator = factories.user("zorg", school)
    student = factories.student(school, first="Noor", last="Visser")
    return {"school": school, "zorg": coordinator, "student": student}


def _start(client, student):
    return traject_step(client, student, "start", signal="Noor is stil in de klas en haalt haar werk niet af.")


WHY = "Ouders vragen zelf om een gesprek thuis; de zorgen zijn groot."


def _to_home_visit(client, auth, world, **extra):
    auth.login(world["zorg"].email)
    assert _start(client, world["student"]).status_code == 303
    return traject_step(client, world["student"], "escalate", target=example.PHASE, justification=WHY, **extra)


# --- the contract ---------------------------------------------------------------------------------------------


def _signature(name: str) -> str:
    """A hookspec's signature as docs/plugins.md writes it: ``extend_routes(routes: Mapping[str, Route]) -> ...``."""
    signature = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(p.name if p.annotation is p.empty else f"{p.name}: {p.annotation}"
                       for p in signature.parameters.values())
    return f"{name}({params}) -> {signature.return_annotation}"


def test_every_hookspec_is_documented_with_its_signature_and_has_its_own_test():
    """Every hookspec is documented in docs/plugins.md with its full signature (parameter names and types, return
    type), no other hook is, and each has a test named test_hook_<name>."""
    assert HOOKS, "no hookspecs found"
    docs = (ROOT / "docs" / "plugins.md").read_text()
    tests = "\n".join(p.read_text() for p in (ROOT / "tests").rglob("*.py"))
    documented = {m["name"]: m["signature"] for m in
                  re.finditer(r"^`(?P<signature>(?P<name>\w+)\(.*\) -> .+)`$", docs, re.M)}
    assert sorted(documented) == HOOKS, "docs/plugins.md documents other hooks than portal/hookspecs.py"
    wrong = {h: (documented[h], _signature(h)) for h in HOOKS if documented[h] != _signature(h)}
    assert not wrong, f"signatures in docs/plugins.md differ from portal/hookspecs.py: {wrong}"
    untested = [h for h in HOOKS if not re.search(rf"^\s*def test_hook_{h}\w*\(", tests, re.M)]
    assert not untested, f"hookspecs without a test_hook_<name> test: {', '.join(untested)}"


# --- one test per hook -----------------------------------------------------------------------------------------


@with_plugins(example=example)
def test_hook_register_dossier_sections(client, auth, po_world):
    """A plugin's dossier section appears next to the core sections of every dossier."""
    auth.login(po_world["zorg"].email)
    page = client.get(f"/leerlingen/{po_world['student'].id}/dossier").get_data(as_text=True)
    assert "Huisbezoeken" in page and "Begeleiding en ondersteuning" in page


@with_plugins(example=example)
def test_hook_register_blueprints(client, auth, po_world):
    """A plugin's blueprint is served behind the login and the policy like the core's pages."""
    assert client.get("/voorbeeld").status_code in (302, 303)
    auth.login(po_world["zorg"].email)
    page = client.get("/voorbeeld")
    assert page.status_code == 200 and "Voorbeeldpagina" in page.get_data(as_text=True)
    auth.logout()
    auth.login(factories.user(is_admin=True).email)
    assert client.get("/voorbeeld").status_code == 403


@with_plugins(example=example)
def test_hook_register_template_folder(client, auth, po_world):
    """A plugin's templates are served under its own prefix (example/page.html)."""
    auth.login(po_world["zorg"].email)
    page = client.get("/voorbeeld").get_data(as_text=True)
    assert "Tekst van de plugin." in page and "<h1>Voorbeeldpagina</h1>" in page


@with_plugins(example=example)
def test_instance_template_overrides_and_extends_the_plugin_original(app, client, auth, po_world):
    """An instance template replaces the plugin's and still extends the original via ``original:``."""
    override = Path(app.instance_path) / "templates" / "example" / "page.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "original:example/page.html" %}'
                        "{% block body %}<p>Eigen tekst van het SWV.</p>{{ super() }}{% endblock %}")
    auth.login(po_world["zorg"].email)
    page = client.get("/voorbeeld").get_data(as_text=True)
    assert "Eigen tekst van het SWV." in page
    assert "Tekst van de plugin." in page and "<h1>Voorbeeldpagina</h1>" in page


def test_hook_register_migrations(app, database_url, tmp_path, monkeypatch):
    """``portal migrate`` applies a plugin's migrations after the core's, once."""
    database.connect(reuse_if_open=True)
    database.obj.execute_sql("DROP TABLE IF EXISTS example_note")
    SchemaMigration.delete().where(SchemaMigration.namespace == "example").execute()
    install_distribution(tmp_path / "site", monkeypatch, "portal-example-migrations", "1.0",
                         {"example": "tests.plugin_example.example"}, {})
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", app.instance_path)
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_PLUGINS", "po,vo,drenthe,example")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "a-long-enough-secret-for-the-cli-test")
    first = CliRunner().invoke(portal_cli, ["migrate"])
    assert first.exit_code == 0, first.output
    assert first.output.split() == ["example.m0001_note"]
    again = CliRunner().invoke(portal_cli, ["migrate"])
    assert again.output.strip() == "Geen nieuwe migraties."
    database.connect(reuse_if_open=True)
    assert database.obj.table_exists("example_note")
    database.obj.execute_sql("DROP TABLE example_note")
    SchemaMigration.delete().where(SchemaMigration.namespace == "example").execute()


@with_plugins(example=example)
def test_hook_nav_items(client, auth, po_world):
    """A plugin's nav item shows for actors with its feature and is hidden for others."""
    auth.login(po_world["zorg"].email)
    page = client.get("/leerlingen/").get_data(as_text=True)
    assert '<a href="/voorbeeld">Voorbeeldpagina</a>' in page
    auth.logout()
    auth.login(factories.user(is_admin=True).email)
    assert "Voorbeeldpagina" not in client.get("/beheer/plugins").get_data(as_text=True)


@with_plugins(plugins=("po",), chooser=chooser)
def test_hook_register_routes(client):
    """A plugin's own route is part of the install and drawn on the public route page."""
    page = client.get("/ondersteuningsroute").get_data(as_text=True)
    assert "Kiesroute voor PO" in page and PO_ROUTE in page
    assert page.count("<svg") == 2


@with_plugins(example=example)
def test_hook_extend_routes(app, client):
    """A plugin adds a phase to another plugin's route, sorted in by its order; other routes keep theirs."""
    routes = app.extensions["registry"].routes
    assert routes["po.route"].keys[2:5] == ("po.leerlingbespreking", example.PHASE, "po.mdo")
    assert example.PHASE not in routes["vo.route"].keys
    page = client.get("/ondersteuningsroute?route=po.route").get_data(as_text=True)
    assert page.index("Bespreken in de interne leerlingbespreking") < page.index("Huisbezoek") \
        < page.index("Bespreken in multidisciplinair overleg (mdo)")


@with_plugins(example=example)
def test_hook_register_meeting_types(client, auth, po_world):
    """A plugin's meeting type is listed on the phase that names it, next to one reused from po by key."""
    assert _to_home_visit(client, auth, po_world).status_code == 422
    assert _to_home_visit_with_consent(client, po_world).status_code == 303
    page = client.get(f"/leerlingen/{po_world['student'].id}/traject").get_data(as_text=True)
    assert "<strong>Huisbezoek</strong>: Gesprek bij de leerling thuis." in page
    assert "<strong>Multidisciplinair overleg (mdo)</strong>" in page


def _to_home_visit_with_consent(client, world):
    return traject_step(client, world["student"], "escalate", target=example.PHASE, justification=WHY,
                 **{"extra-example_consent": "1"})


@with_plugins(example=example)
def test_hook_register_forms(client, auth, po_world):
    """A plugin's form is listed on the phase that names it."""
    _to_home_visit(client, auth, po_world)
    assert _to_home_visit_with_consent(client, po_world).status_code == 303
    page = client.get(f"/leerlingen/{po_world['student'].id}/traject").get_data(as_text=True)
    assert "<strong>Verslag huisbezoek</strong>: Kort verslag." in page


def test_hook_adjust_application_type(tmp_path):
    """PrO/LWOO criteria are data an SWV may replace: a plugin replaces another plugin's application
    type, here its assessment's criteria; the registry then holds the replacement under the same key."""
    plain = _boot(tmp_path, example=applications.Registers)
    kind = plain.extensions["registry"].application_types["example.aanvraag"]
    assert kind.assessment.criteria == applications.CRITERIA
    adjusted = _boot(tmp_path, example=applications.Registers, swv=applications.Adjusts)
    kind = adjusted.extensions["registry"].application_types["example.aanvraag"]
    assert kind.assessment.criteria == applications.OWN_CRITERIA and kind.label == "Voorbeeldaanvraag"


def test_an_adjustment_that_changes_the_key_stops_start_up(tmp_path):
    with pytest.raises(Exception, match="Plugin 'kapot' vervangt aanvraag 'example.aanvraag'"):
        _boot(tmp_path, example=applications.Registers, kapot=applications.Breaks)


@with_plugins(example=example)
def test_hook_register_guards(client, auth, po_world):
    """R-ROUTE-3: a plugin's guard asks its field on the transition form and vetoes in the HTTP response; the
    alternative it names (the parents' consent) is the only way past."""
    refused = _to_home_visit(client, auth, po_world)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Een huisbezoek kan alleen met toestemming van de ouders." in body
    assert "Ouders gaven toestemming" in body  # the guard's field on the form
    assert Traject.get(Traject.student == po_world["student"].id).current_phase == "po.signaleren"
    assert _to_home_visit_with_consent(client, po_world).status_code == 303
    assert Traject.get(Traject.student == po_world["student"].id).current_phase == example.PHASE


@with_plugins(broken=broken_guard)
def test_a_rule_that_raises_refuses_the_step_naming_its_plugin(client, auth, po_world, caplog):
    """A plugin's guard that raises is asked for every route's steps: it refuses the step with a Dutch reason that
    names the plugin (and is logged), instead of a 500 for every region; nothing of the traject changes."""
    auth.login(po_world["zorg"].email)
    refused = _start(client, po_world["student"])
    assert refused.status_code == 422
    assert "plugin &#39;broken&#39;" in refused.get_data(as_text=True)
    assert Traject.get_or_none(Traject.student == po_world["student"].id) is None
    assert any("broken" in r.getMessage() and r.exc_info for r in caplog.records)


@with_plugins(chooser=chooser)
def test_hook_route_for_student(client, auth, po_world):
    """A plugin's answer to route_for_student beats the core default (the school's sector); None leaves the
    choice to others."""
    auth.login(po_world["zorg"].email)
    page = client.get(f"/leerlingen/{po_world['student'].id}/traject").get_data(as_text=True)
    assert "Kiesroute voor PO" in page and PO_ROUTE not in page
    assert _start(client, po_world["student"]).status_code == 303
    assert Traject.get(Traject.student == po_world["student"].id).current_phase == "chooser.start"
    vo_school = factories.school("Het Lyceum", sector="VO")
    auth.logout()
    auth.login(factories.user("zorg", vo_school).email)
    vo_student = factories.student(vo_school)
    assert DRENTHE_ROUTE in client.get(f"/leerlingen/{vo_student.id}/traject").get_data(as_text=True)


def test_hook_opp_in_rod(app, client, auth):
    """R-DRE-2.2-d: a plugin's answer to opp_in_rod decides whether a school's ROD list offers its OPPs (the
    Drenthe plugin: a PrO school does not register them); without an answer they are registered."""
    from portal.opp.models import Opp
    from portal.schools.models import School

    world = factories.vo_school()
    factories.agreed_opp(world["student"], world["zorg"])
    Opp.update(rod_registered_on=None).execute()
    hook = app.extensions["plugin_manager"].hook
    assert hook.opp_in_rod(school=world["school"]) is None  # regular VO: the core's default, registered
    auth.login(world["zorg"].email)
    assert world["student"].last_name in client.get("/opp/rod").get_data(as_text=True)
    School.update(school_type="pro").where(School.id == world["school"].id).execute()
    assert hook.opp_in_rod(school=School.get_by_id(world["school"].id)) is False
    page = client.get("/opp/rod").get_data(as_text=True)
    assert world["student"].last_name not in page and 'id="rod-not-registered"' in page
    assert client.get("/opp/rod.csv").get_data(as_text=True).count("\n") <= 1  # the header only


@with_plugins(example=example)
def test_hook_after_transition(client, auth, po_world):
    """after_transition is called once per stored transition, never for a refused one."""
    example.CALLS.clear()
    auth.login(po_world["zorg"].email)
    student = po_world["student"]
    _start(client, student)
    traject = Traject.get(Traject.student == student.id)
    assert example.CALLS == [(traject.id, "start", po_world["zorg"].id)]
    assert traject_step(client, student, "advance").status_code == 422  # the phase is not evaluated yet
    assert traject_step(client, student, "stop", reason="goal_reached",
                 justification="Noor doet weer volop mee in de klas.").status_code == 303
    assert [call[1] for call in example.CALLS] == ["start", "stop"]


# --- start-up errors ------------------------------------------------------------------------------------------


def _boot(tmp_path, plugins=("po", "vo"), **modules):
    return make_app(f"sqlite:///{tmp_path / 'boot.db'}", tmp_path, PLUGINS=list(plugins),
                    EXTRA_PLUGIN_MODULES=modules)


def test_unknown_plugin_stops_start_up(tmp_path):
    with pytest.raises(PluginError, match="Plugin 'onbekend' is niet geïnstalleerd"):
        _boot(tmp_path, ("po", "onbekend"))


def test_plugin_whose_import_fails_stops_start_up(tmp_path, monkeypatch):
    install_distribution(tmp_path / "site", monkeypatch, "portal-kapot", "0.1", {"kapot": "portal_kapot.plugin"},
                         {"portal_kapot/__init__.py": "", "portal_kapot/plugin.py": "import portal_bestaat_niet\n"})
    with pytest.raises(PluginError, match="Plugin 'kapot' kan niet worden geladen: .*portal_bestaat_niet"):
        _boot(tmp_path, ("po", "kapot"))


def test_missing_required_plugin_stops_start_up(tmp_path):
    """drenthe requires vo (seed 004 builds on the VO route)."""
    with pytest.raises(PluginError, match="Plugin 'drenthe' vereist plugin 'vo'"):
        _boot(tmp_path, ("po", "drenthe"))


def test_misspelled_hook_implementation_stops_start_up(tmp_path):
    with pytest.raises(PluginError, match="Plugin 'typo' implementeert een onbekende hook.*register_route"):
        _boot(tmp_path, typo=misspelled)


MDO = MeetingType("vo.mdo", "Nog een mdo", "", (), (), "test")
TLV = FormType("vo.tlv_vso", "Nog een TLV", "", "test")
CLASHES = {
    "meeting type": (clashes.plugin(register_meeting_types=[MDO]), "Overlegvorm 'vo.mdo'"),
    "form": (clashes.plugin(register_forms=[TLV]), "Formulier 'vo.tlv_vso'"),
    "route": (clashes.plugin(register_routes=[Route("vo.route", "Nog een route", "VO", "1",
                                                    (Phase("dubbel.a", "A", "", ("zorg",)),))]), "Route 'vo.route'"),
    "phase": (clashes.plugin(extend_routes=[("vo.route", [Phase("vo.mdo", "Nog een mdo", "", ("zorg",))])]),
              "Fase 'vo.mdo'"),
}


@pytest.mark.parametrize("kind", sorted(CLASHES))
def test_another_plugins_key_stops_start_up_naming_the_plugin(tmp_path, kind):
    """A key of another plugin (vo's mdo, TLV, route, phase) taken again stops start-up, naming the plugin."""
    module, message = CLASHES[kind]
    with pytest.raises(PluginError, match=message) as refused:
        _boot(tmp_path, dubbel=module)
    assert "'dubbel'" in str(refused.value) and "valt buiten de eigen naamruimte" in str(refused.value)


def test_a_phase_naming_an_unregistered_meeting_type_stops_start_up(tmp_path):
    phase = Phase("dubbel.extra", "Extra", "", ("zorg",), meeting_types=("vo.bestaat_niet",))
    with pytest.raises(PluginError, match="Fase 'dubbel.extra' van route 'vo.route' noemt overlegvorm "
                                          "'vo.bestaat_niet'"):
        _boot(tmp_path, dubbel=clashes.plugin(extend_routes=[("vo.route", [phase])]))


# --- a plugin from outside the repository, enabled purely by name -------------------------------------------

REGION_PLUGIN = '''
from portal.hookspecs import hookimpl
from portal.route.definition import Phase, Route

DISTRIBUTION = "portal-example-region"
REQUIRES = ("po",)


@hookimpl
def register_routes():
    return [Route("example_region.route", "Route van regio Voorbeeld", "PO", "2024-1", (
        Phase("example_region.start", "Signaleren in de regio", "Zien wat nodig is.", ("mentor",), order=10,
              meeting_types=("po.oudergesprek",)),
        Phase("example_region.mdo", "Regionaal mdo", "Samen met jeugdhulp.", ("zorg",), order=20,
              meeting_types=("po.mdo",)),
    ))]
'''


@pytest.fixture
def example_region(tmp_path, monkeypatch):
    install_distribution(tmp_path / "site", monkeypatch, "portal-example-region", "1.0",
                         {"example_region": "portal_example_region.plugin"},
                         {"portal_example_region/__init__.py": "", "portal_example_region/plugin.py": REGION_PLUGIN})


@pytest.mark.usefixtures("example_region")
@pytest.mark.parametrize("app_overrides", [{"PLUGINS": ["po", "example_region"]}], ids=["external"])
def test_external_plugin_enabled_by_name_through_its_entry_point(app, client, auth):
    """A region plugin installed as its own distribution is enabled by name only; its route reuses po's meeting
    types by key and its version shows on the plugin page."""
    page = client.get("/ondersteuningsroute").get_data(as_text=True)
    assert "Route van regio Voorbeeld" in page and "Regionaal mdo" in page
    info = {p.name: p for p in app.extensions["registry"].plugins}
    assert info["example_region"].version == "1.0" and info["example_region"].requires == ("po",)
    auth.login(factories.user(is_admin=True).email)
    admin = client.get("/beheer/plugins").get_data(as_text=True)
    assert re.search(r"<td>example_region</td><td>1.0</td><td>po</td>", admin)


def test_an_uninstalled_external_plugin_is_gone_again(tmp_path):
    """The installation of the previous test does not leak: the name is unknown again."""
    with pytest.raises(PluginError, match="Plugin 'example_region' is niet geïnstalleerd"):
        _boot(tmp_path, ("po", "example_region"))


# --- three SWV configurations --------------------------------------------------------------------------------


@pytest.mark.parametrize("app_overrides, shown, hidden", [
    ({"PLUGINS": ["po"]}, [PO_ROUTE], [VO_ROUTE, DRENTHE_ROUTE]),
    ({"PLUGINS": ["vo"]}, [VO_ROUTE], [PO_ROUTE, DRENTHE_ROUTE]),
    ({"PLUGINS": ["vo", "drenthe"]}, [VO_ROUTE, DRENTHE_ROUTE], [PO_ROUTE]),
], ids=["po", "vo", "vo+drenthe"])
def test_each_swv_configuration_boots_with_its_own_routes(client, shown, hidden):
    """An SWV enables its own set of plugins; the public route page shows exactly those routes."""
    page = client.get("/ondersteuningsroute")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert body.count("<svg") == len(shown)
    assert all(label in body for label in shown)
    assert not any(label in body for label in hidden)
