"""Hook specifications: the contract between the core and plugins.

Every spec's docstring has the same layout: purpose, ``Parameters``, ``Returns``, and ``Answer`` (whether all
answers are collected or the first one wins). Hooks return data; the core registers it.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("portal")
hookimpl = pluggy.HookimplMarker("portal")


@hookspec
def register_dossier_sections() -> list:
    """Dossier sections this plugin adds next to the core sections of the Drenthe annex 1.

    Parameters: none.
    Returns: a list of ``portal.dossier.sections.Section``; keys namespaced ``<plugin>.<name>``.
    Answer: all answers are collected; a duplicate key stops start-up.
    """


@hookspec
def register_blueprints() -> list:
    """Flask blueprints this plugin serves (their views must use ``portal.policy``).

    Parameters: none.
    Returns: a list of ``flask.Blueprint``.
    Answer: all answers are collected.
    """


@hookspec
def register_template_folder() -> str | None:
    """The folder holding this plugin's templates, served under the prefix ``<plugin>/``.

    Parameters: none.
    Returns: a path, or None.
    Answer: all answers are collected, one per plugin.
    """


@hookspec
def register_migrations() -> list:
    """Schema migrations for this plugin's own models, applied after the core's by ``portal migrate``.

    Parameters: none.
    Returns: a list of ``portal.migrations.Migration`` with the plugin's name as namespace.
    Answer: all answers are collected.
    """


@hookspec
def nav_items() -> list:
    """Extra items for the main navigation.

    Parameters: none.
    Returns: a list of ``portal.registry.NavItem``.
    Answer: all answers are collected.
    """
