"""Finding, enabling and registering plugins. No module-level plugin manager: one per app."""

from __future__ import annotations

import dataclasses
import logging
from importlib.metadata import entry_points, version, PackageNotFoundError

from types import MappingProxyType

import pluggy

from portal import core_plugin, hookspecs, policy
from portal.applications.types import ApplicationType
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


log = logging.getLogger(__name__)


def _failing_safely(plugin: str, name: str, check):
    """A plugin's rule that raises refuses the step with a Dutch reason naming the plugin, logged, instead of turning
    the step into a 500 (every guard is asked for every route, so one broken rule would stop other regions too)."""
    def guarded(*args, **kwargs) -> list[str]:
        try:
            return list(check(*args, **kwargs))
        except Exception:  # noqa: BLE001 - any failure of outside code becomes a refusal
            log.exception("plugin %s: rule %s failed", plugin, name)
            return [f"De regel '{name}' van plugin '{plugin}' kon niet worden gecontroleerd; de stap is daarom niet "
                    "gezet. Probeer het later opnieuw of meld het aan de beheerder."]
    return guarded


def _safe_guards(hook) -> tuple:
    return tuple(dataclasses.replace(guard, check=_failing_safely(plugin, guard.label, guard.check))
                 for plugin, guard in _gather(hook.register_guards, "Regel"))


def _safe_application_guards(forms: MappingProxyType, owners: dict) -> MappingProxyType:
    """Each application type's own guards, failing safely like the route's."""
    safe = {}
    for key, form in forms.items():
        if isinstance(form, ApplicationType) and form.guards:
            plugin = owners.get(key, key.split(".")[0])
            form = dataclasses.replace(form, guards=tuple(_failing_safely(plugin, form.label, g) for g in form.guards))
        safe[key] = form
    return MappingProxyType(safe)


def _check_namespace(plugin: str, what: str, name: str, item=None) -> None:
    """A plugin's keys start with its own name ("drenthe.doa_vo"): another plugin's later release can then never
    take a key this one uses, which would stop the portal at start-up (a blueprint: its name, or "<name>_...")."""
    if plugin == "core" or name.startswith(f"{plugin}.") or name == plugin or name.startswith(f"{plugin}_"):
        return
    raise RegistryError(f"Plugin '{plugin}': {what} '{name}' valt buiten de eigen naamruimte; "
                        f"begin de sleutel met '{plugin}.'.")


def check_endpoints(app) -> None:
    """Every menu item leads to a page that exists; a wrong endpoint would make every page of its roles a 500."""
    for item in app.extensions["registry"].nav_items:
        if item.endpoint not in app.view_functions:
            raise PluginError(f"Menu-item '{item.key}' verwijst naar de pagina '{item.endpoint}', die niet bestaat.")


def _gather(caller, what: str, key=lambda item: item.key, check=_check_namespace) -> list[tuple[str, object]]:
    """(plugin, item) of a list hook in registration order (core first); a key defined twice names both owners."""
    owners: dict = {}
    gathered = []
    for impl in caller.get_hookimpls():
        for item in impl.function() or ():
            name = key(item)
            check(impl.plugin_name, what, name, item)
            if name in owners and owners[name] == impl.plugin_name:
                raise RegistryError(f"{what} '{name}' is twee keer gedefinieerd door '{impl.plugin_name}'.")
            if name in owners:
                raise RegistryError(f"{what} '{name}' is door twee plugins gedefinieerd: "
                                    f"'{owners[name]}' en '{impl.plugin_name}'.")
            owners[name] = impl.plugin_name
            gathered.append((impl.plugin_name, item))
    return gathered


def _collect(caller, what: str, key=lambda item: item.key) -> MappingProxyType:
    """Items of a list hook by key, in registration order (core first); a key defined twice names both plugins."""
    return MappingProxyType({key(item): item for _, item in _gather(caller, what, key)})


def _migration_key(migration) -> str:
    return f"{migration.namespace}.{migration.name}"


def _own_migration(plugin: str, what: str, name: str, migration) -> None:
    if migration.namespace != plugin:
        raise RegistryError(f"Plugin '{plugin}' levert migratie '{name}' in de naamruimte "
                            f"van '{migration.namespace}'; gebruik de eigen naam '{plugin}' als naamruimte.")


def _migrations(hook) -> tuple:
    """Every migration, the core's first; each plugin writes in its own namespace (the core in "core")."""
    gathered = _gather(hook.register_migrations, "Migratie", _migration_key, check=_own_migration)
    return tuple(migration for _, migration in gathered)


def _nav_items(hook) -> tuple:
    """The menu in its order (the core's items and the plugins'); a feature must be one the core knows."""
    known = policy.features()
    gathered = _gather(hook.nav_items, "Menu-item")
    for plugin, item in gathered:
        if item.feature is not None and tuple(item.feature) not in known:
            raise RegistryError(f"Plugin '{plugin}': menu-item '{item.key}' vraagt de onbekende bevoegdheid "
                                f"{tuple(item.feature)!r}.")
    return tuple(sorted((item for _, item in gathered), key=lambda item: item.order))


def _check_roles(plugin: str, phases) -> None:
    """Every role a phase names as lead must be a role of ``portal.policy.ROLES``."""
    for phase in phases:
        for role in phase.lead_roles:
            if role not in policy.ROLES:
                raise RegistryError(f"Plugin '{plugin}': fase '{phase.key}' noemt de onbekende rol '{role}' "
                                    f"(bekende rollen: {', '.join(sorted(policy.ROLES))}).")


def _adjusted_forms(hook, forms: MappingProxyType) -> MappingProxyType:
    """Every plugin may replace another's application type (an SWV's own criteria, advices or terms); the
    replacement keeps its key and stays an ``ApplicationType``."""
    adjusted = dict(forms)
    for impl in hook.adjust_application_type.get_hookimpls():
        for key, kind in list(adjusted.items()):
            if not isinstance(kind, ApplicationType):
                continue
            new = impl.function(application_type=kind)
            if new is None:
                continue
            if not isinstance(new, ApplicationType) or new.key != key:
                raise RegistryError(f"Plugin '{impl.plugin_name}' vervangt aanvraag '{key}' door iets anders dan "
                                    "een ApplicationType met dezelfde sleutel.")
            adjusted[key] = new
    return MappingProxyType(adjusted)


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
    gathered_forms = _gather(hook.register_forms, "Formulier")
    owners = {form.key: plugin for plugin, form in gathered_forms}
    forms = _adjusted_forms(hook, MappingProxyType({form.key: form for _, form in gathered_forms}))
    forms = _safe_application_guards(forms, owners)
    routes = _assemble_routes(hook)
    check_route_references(routes, meeting_types, forms)
    return Registry(
        plugins=infos,
        routes=routes,
        meeting_types=meeting_types,
        forms=forms,
        application_types=MappingProxyType({k: f for k, f in forms.items() if isinstance(f, ApplicationType)}),
        guards=_safe_guards(hook),
        dossier_sections=_collect(hook.register_dossier_sections, "Dossiersectie"),
        blueprints=tuple(_collect(hook.register_blueprints, "Blueprint", lambda bp: bp.name).values()),
        template_folders=folders,
        migrations=_migrations(hook),
        nav_items=_nav_items(hook),
        reminder_kinds=_collect(hook.register_reminder_kinds, "Herinneringssoort"),
        jobs=_collect(hook.register_jobs, "Taak"),
    )


def _assemble_routes(hook) -> MappingProxyType:
    """The registered routes with the phases other plugins add to them sorted in."""
    gathered = _gather(hook.register_routes, "Route")
    for plugin, route in gathered:
        _check_roles(plugin, route.phases)
    routes = {route.key: route for _, route in gathered}
    registered = MappingProxyType(dict(routes))
    for impl in hook.extend_routes.get_hookimpls():
        for route_key, phases in impl.function(**{arg: registered for arg in impl.argnames}) or ():
            if route_key not in routes:
                raise RegistryError(f"Plugin '{impl.plugin_name}' breidt route '{route_key}' uit, maar die route "
                                    "is niet ingeschakeld.")
            phases = tuple(phases)
            for phase in phases:
                _check_namespace(impl.plugin_name, "Fase", phase.key)
            _check_roles(impl.plugin_name, phases)
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
    _add_translations(app, pm)


def _add_translations(app, pm: pluggy.PluginManager) -> None:
    """A plugin's own catalog (module attribute ``TRANSLATIONS``: a folder like ``translations/en/LC_MESSAGES``)
    joins the core's; the core's comes last, so a plugin cannot change what the core's strings say."""
    folders = [str(module.TRANSLATIONS) for name, module in pm.list_name_plugin()
               if name != "core" and getattr(module, "TRANSLATIONS", None)]
    if folders:
        babel = app.extensions["babel"]
        babel.translation_directories = [*folders, *babel.translation_directories]


__all__ = ["PluginError", "build_manager", "build_registry", "check_endpoints", "init_app", "available"]
