"""Finding, enabling and registering plugins. No module-level plugin manager: one per app."""

from __future__ import annotations

from importlib.metadata import entry_points, version, PackageNotFoundError

from types import MappingProxyType

import pluggy

from portal import hookspecs
from portal.registry import PluginInfo, Registry, RegistryError, check_route_references

ENTRY_POINT_GROUP = "portal.plugins"


class PluginError(RuntimeError):
    """A plugin is unknown, broken or misses a plugin it requires."""


def available() -> dict:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _load(name: str, eps: dict):
    if name not in eps:
        known = ", ".join(sorted(eps)) or "geen"
        raise PluginError(f"Plugin '{name}' is niet geïnstalleerd (beschikbaar: {known}).")
    try:
        return eps[name].load()
    except Exception as exc:  # a broken plugin must stop start-up with its name
        raise PluginError(f"Plugin '{name}' kan niet worden geladen: {exc}") from exc


def _version_of(module) -> str:
    dist = getattr(module, "DISTRIBUTION", None)
    try:
        return version(dist) if dist else "?"
    except PackageNotFoundError:
        return "?"


def build_manager(names: list[str], extra_modules: dict | None = None) -> pluggy.PluginManager:
    """A plugin manager with the core's own hook implementations and the enabled plugins."""
    pm = pluggy.PluginManager("portal")
    pm.add_hookspecs(hookspecs)
    from portal import core_plugin

    pm.register(core_plugin, name="core")
    eps = available()
    modules = dict(extra_modules or {})
    for name in names:
        modules.setdefault(name, _load(name, eps))
    for name, module in modules.items():
        for required in getattr(module, "REQUIRES", ()):
            if required not in modules:
                raise PluginError(f"Plugin '{name}' vereist plugin '{required}'; schakel die ook in.")
        pm.register(module, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"Plugin '{pm.get_name(exc.plugin)}' implementeert een onbekende hook: {exc}") from exc
    return pm


def _flatten(results) -> list:
    return [item for result in results if result for item in result]


def _collect(caller, what: str) -> MappingProxyType:
    """Items of a list hook by key, in registration order (core first); a key defined twice names both plugins."""
    owners: dict = {}
    for impl in caller.get_hookimpls():
        for item in impl.function() or ():
            if item.key in owners:
                raise RegistryError(f"{what} '{item.key}' is door twee plugins gedefinieerd: "
                                    f"'{owners[item.key][0]}' en '{impl.plugin_name}'.")
            owners[item.key] = (impl.plugin_name, item)
    return MappingProxyType({key: item for key, (_, item) in owners.items()})


def build_registry(pm: pluggy.PluginManager) -> Registry:
    hook = pm.hook
    folders = {}
    for impl in hook.register_template_folder.get_hookimpls():
        folder = impl.function()
        if folder:
            folders[impl.plugin_name] = folder
    infos = tuple(
        PluginInfo(name=name, version=_version_of(module), requires=tuple(getattr(module, "REQUIRES", ())),
                   hooks=tuple(sorted(h.name for h in pm.get_hookcallers(module) or ())))
        for name, module in pm.list_name_plugin() if name != "core"
    )
    meeting_types = _collect(hook.register_meeting_types, "Overlegvorm")
    forms = _collect(hook.register_forms, "Formulier")
    routes = _assemble_routes(hook)
    check_route_references(routes, meeting_types, forms)
    return Registry(
        plugins=infos,
        routes=routes,
        meeting_types=meeting_types,
        forms=forms,
        guards=tuple(_collect(hook.register_guards, "Regel").values()),
        dossier_sections=_collect(hook.register_dossier_sections, "Dossiersectie"),
        blueprints=tuple(_flatten(hook.register_blueprints())),
        template_folders=folders,
        migrations=tuple(_flatten(hook.register_migrations())),
        nav_items=tuple(_flatten(hook.nav_items())),
        reminder_kinds=_collect(hook.register_reminder_kinds, "Herinneringssoort"),
        jobs=_collect(hook.register_jobs, "Taak"),
    )


def _assemble_routes(hook) -> MappingProxyType:
    """The registered routes with the phases other plugins add to them sorted in."""
    routes = dict(_collect(hook.register_routes, "Route"))
    registered = MappingProxyType(dict(routes))
    for impl in hook.extend_routes.get_hookimpls():
        for route_key, phases in impl.function(**{arg: registered for arg in impl.argnames}) or ():
            if route_key not in routes:
                raise RegistryError(f"Plugin '{impl.plugin_name}' breidt route '{route_key}' uit, maar die route "
                                    "is niet ingeschakeld.")
            try:
                routes[route_key] = routes[route_key].extend(phases)
            except ValueError as exc:
                raise RegistryError(f"Plugin '{impl.plugin_name}': {exc}") from exc
    return MappingProxyType(routes)


def init_app(app, extra_modules: dict | None = None) -> None:
    names = list(app.config["PLUGINS"])
    extra = extra_modules or app.config.get("EXTRA_PLUGIN_MODULES")
    try:
        pm = build_manager(names, extra)
        registry = build_registry(pm)
    except RegistryError as exc:
        raise PluginError(str(exc)) from exc
    app.extensions["plugin_manager"] = pm
    app.extensions["registry"] = registry


__all__ = ["PluginError", "build_manager", "build_registry", "init_app", "available"]
