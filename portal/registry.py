"""The frozen registry: what the enabled plugins contribute, gathered once in create_app."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    endpoint: str
    feature: tuple[str, str] | None = None  # (resource, action) the actor needs to see the item
    # Position in the menu (stable for equal values). The core's pages use 10-70 and its lists "Mijn acties" and
    # "Herinneringen" 900 and 910, so a plugin's item comes between them unless it asks for another place.
    order: int = 500


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str
    requires: tuple[str, ...]
    hooks: tuple[str, ...]


@dataclass(frozen=True)
class Registry:
    plugins: tuple[PluginInfo, ...] = ()
    dossier_sections: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    blueprints: tuple = ()
    template_folders: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    migrations: tuple = ()
    nav_items: tuple[NavItem, ...] = ()
    routes: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    meeting_types: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    forms: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    application_types: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # forms applied for
    guards: tuple = ()
    reminder_kinds: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    jobs: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


class RegistryError(RuntimeError):
    """A plugin contribution conflicts with another (e.g. the same key twice)."""


def check_route_references(routes, meeting_types, forms) -> None:
    """Every meeting type and form a phase names must be registered by some enabled plugin."""
    for route in routes.values():
        for phase in route.phases:
            for key in phase.meeting_types:
                if key not in meeting_types:
                    raise RegistryError(f"Fase '{phase.key}' van route '{route.key}' noemt overlegvorm '{key}', "
                                        "maar geen ingeschakelde plugin definieert die.")
            for key in phase.forms:
                if key not in forms:
                    raise RegistryError(f"Fase '{phase.key}' van route '{route.key}' noemt formulier '{key}', "
                                        "maar geen ingeschakelde plugin definieert dat.")
