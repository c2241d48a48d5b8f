"""The core's own hook implementations: the sections every dossier has."""

from portal.hookspecs import hookimpl


@hookimpl
def register_dossier_sections():
    from portal.dossier.sections import CORE_SECTIONS

    return list(CORE_SECTIONS)
