"""``portal route show``: the assembled route(s) of the enabled plugins, as text or JSON, without a database."""

from __future__ import annotations

import json
import sys

import click

from portal import config as config_module
from portal.plugins import PluginError, build_manager, build_registry
from portal.registry import Registry, RegistryError


def _registry(names: list[str]) -> Registry:
    """The registry the app would build for these plugins; a plugin error ends the command with its message."""
    try:
        return build_registry(build_manager(names))
    except (PluginError, RegistryError) as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(2)


def _configured_plugins() -> list[str]:
    return list(config_module.load(config_module.instance_path())["PLUGINS"])


def _labelled(keys, known) -> list[dict]:
    return [{"key": key, "label": known[key].label} for key in keys]


def _guards_for(route, guards) -> list:
    """The guards asked about this route: those without targets, and those naming one of its phases."""
    return [g for g in guards if not g.targets or set(g.targets) & set(route.keys)]


def describe(registry: Registry) -> dict:
    """A JSON-safe description of every route in the registry."""
    routes = []
    for route in registry.routes.values():
        routes.append({
            "key": route.key, "label": route.label, "sector": route.sector, "version": route.version,
            "source": route.source,
            "phases": [{
                "key": p.key, "label": p.label, "order": p.order, "lead": p.lead_label or ", ".join(p.lead_roles),
                "lead_roles": list(p.lead_roles),
                "meeting_types": _labelled(p.meeting_types, registry.meeting_types),
                "forms": _labelled(p.forms, registry.forms),
            } for p in route.phases],
            "entry_points": [{"key": e.key, "label": e.label, "start_phase": e.start_phase}
                             for e in route.entry_points],
            "guards": [{"key": g.key, "label": g.label, "description": g.description, "targets": list(g.targets)}
                       for g in _guards_for(route, registry.guards)],
        })
    return {"plugins": [{"name": p.name, "version": p.version} for p in registry.plugins], "routes": routes}


def _as_text(description: dict) -> str:
    names = ", ".join(f"{p['name']} {p['version']}" for p in description["plugins"]) or "geen"
    lines = [f"Plugins: {names}"]
    for route in description["routes"]:
        lines += ["", f"{route['label']} [{route['key']}]",
                  f"  sector {route['sector']}, versie {route['version']}", "  Fasen:"]
        for n, phase in enumerate(route["phases"], start=1):
            lines.append(f"  {n}. {phase['label']} [{phase['key']}]")
            lines.append(f"     Leiding: {phase['lead']}")
            for title, items in (("Overlegvormen", phase["meeting_types"]), ("Formulieren", phase["forms"])):
                if items:
                    lines.append(f"     {title}: " + ", ".join(f"{i['label']} [{i['key']}]" for i in items))
        for entry in route["entry_points"]:
            lines.append(f"  Ingang: {entry['label']} [{entry['key']}] -> {entry['start_phase']}")
        for guard in route["guards"]:
            lines.append(f"  Regel: {guard['label']} [{guard['key']}]")
            lines.append(f"     {guard['description']}")
    return "\n".join(lines)


@click.group("route")
def route() -> None:
    """The support route(s) of the enabled plugins."""


@route.command("show")
@click.option("--plugins", "plugin_names", help="Kommagescheiden pluginnamen (standaard: uit de configuratie)")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON")
def show(plugin_names: str | None, as_json: bool) -> None:
    """Print the assembled route(s): phases in order with their meeting types, forms, entry points and guards."""
    names = [n.strip() for n in plugin_names.split(",") if n.strip()] if plugin_names is not None \
        else _configured_plugins()
    description = describe(_registry(names))
    click.echo(json.dumps(description, ensure_ascii=False, indent=2) if as_json else _as_text(description))
