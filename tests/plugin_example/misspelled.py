"""A test plugin whose hook implementation is misspelled ("register_route"): start-up must refuse it."""

from portal.plugin import hookimpl


@hookimpl
def register_route():
    return []
