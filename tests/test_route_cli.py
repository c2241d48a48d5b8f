"""``portal route show``: the assembled routes of the enabled plugins on the command line, without a database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal.cli import main as portal_cli


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke ``portal route show`` with an empty instance folder, so only the given settings count."""
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("PORTAL_PLUGINS", raising=False)

    def invoke(*args):
        return CliRunner().invoke(portal_cli, ["route", "show", *args])

    return invoke


def test_text_lists_phases_in_order_with_meeting_types_forms_entry_points_and_guards(run):
    """R-DRE-2.4-b: drenthe's route reuses vo's meeting types and forms by key and shows its guards."""
    result = run("--plugins", "vo,drenthe")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Plugins: vo 0.1.0, drenthe 0.1.0" in out
    assert "Ondersteuningsroute SWV 22.02 Sterk VO Zuidoost-Drenthe [drenthe.route]" in out
    assert "sector VO, versie 1" in out
    order = ["2.1 Intern overleg", "2.2 Intern overleg", "2.3 Extern overleg", "2.4 DOA VO", "3.1–3.2 Vervolg",
             "3.3 RET-Drenthe"]
    drenthe = out[out.index("[drenthe.route]"):]
    assert [drenthe.index(label) for label in order] == sorted(drenthe.index(label) for label in order)
    assert "Multidisciplinair overleg (mdo) [vo.mdo]" in drenthe  # a vo meeting type, by key
    assert "Aanvraag toelaatbaarheidsverklaring (TLV) VSO [vo.tlv_vso]" in drenthe  # a vo form, by key
    assert "Leiding: Mentor of docent" in drenthe
    assert "Ingang: Aanmelding via WEL in Ontwikkeling [drenthe.wel_in_ontwikkeling] -> drenthe.doa_vo" in drenthe
    assert "Regel: DOA VO: eerdere fasen afgerond of acute nood [drenthe.doa_vo_voorwaarden]" in drenthe
    vo = out[out.index("[vo.route]"):out.index("[drenthe.route]")]
    assert "Regel:" not in vo  # drenthe's guards concern only its own phases


def test_json_has_the_same_content(run):
    """The PO route's arrangeren phase carries the TLV SBO/SO form; JSON for scripts."""
    result = run("--plugins", "po", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["name"] for p in data["plugins"]] == ["po"]
    (route,) = data["routes"]
    assert (route["key"], route["sector"], route["version"]) == ("po.route", "PO", "1")
    assert [p["order"] for p in route["phases"]] == sorted(p["order"] for p in route["phases"])
    arrangeren = next(p for p in route["phases"] if p["key"] == "po.arrangeren")
    assert {"key": "po.tlv_sbo_so", "label": "Aanvraag toelaatbaarheidsverklaring (TLV) SBO/SO"} in arrangeren["forms"]
    assert arrangeren["meeting_types"][0]["label"] == "Integraal overleg"
    assert arrangeren["lead"]
    assert route["guards"] == [] and route["entry_points"] == []


def test_guards_in_json_have_key_label_and_description(run):
    data = json.loads(run("--plugins", "vo,drenthe", "--json").output)
    drenthe = next(r for r in data["routes"] if r["key"] == "drenthe.route")
    guard = next(g for g in drenthe["guards"] if g["key"] == "drenthe.ret_voorwaarden")
    assert guard["label"].startswith("RET-Drenthe") and "acute nood" in guard["description"]
    assert guard["targets"] == ["drenthe.ret"]


def test_default_plugins_come_from_the_configuration(run, tmp_path, monkeypatch):
    """Without --plugins the command reads the configuration like the app: portal.toml, then PORTAL_PLUGINS."""
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "portal.toml").write_text('plugins = ["po"]\n')
    data = json.loads(run("--json").output)
    assert [r["key"] for r in data["routes"]] == ["po.route"]
    monkeypatch.setenv("PORTAL_PLUGINS", "vo,drenthe")
    data = json.loads(run("--json").output)
    assert [r["key"] for r in data["routes"]] == ["vo.route", "drenthe.route"]


@pytest.mark.parametrize("plugins, message", [
    ("vo,onbekend", "Plugin 'onbekend' is niet geïnstalleerd (beschikbaar: "),
    ("drenthe", "Plugin 'drenthe' vereist plugin 'vo'"),
])
def test_plugin_errors_exit_non_zero_with_a_clear_message(run, plugins, message):
    result = run("--plugins", plugins)
    assert result.exit_code != 0
    assert message in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught error
    assert "Traceback" not in result.output


def test_the_console_script_prints_the_route(tmp_path):
    """The installed ``portal`` command itself, as an administrator runs it."""
    script = Path(sys.executable).with_name("portal")
    env = {**os.environ, "PORTAL_INSTANCE_PATH": str(tmp_path / "instance")}
    ok = subprocess.run([script, "route", "show", "--plugins", "po"], env=env, capture_output=True, text=True)
    assert ok.returncode == 0 and "Ondersteuningsroute primair onderwijs [po.route]" in ok.stdout
    bad = subprocess.run([script, "route", "show", "--plugins", "xyz"], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "Plugin 'xyz' is niet geïnstalleerd" in bad.stderr
    assert "Traceback" not in bad.stderr
