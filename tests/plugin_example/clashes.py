"""Test plugins built from keyword arguments, for start-up conflicts (duplicate keys, unknown references)."""

from types import SimpleNamespace

from portal.plugin import hookimpl


def plugin(**answers) -> SimpleNamespace:
    """A plugin whose hooks return the given lists, e.g. ``plugin(register_forms=[FormType(...)])``."""
    return SimpleNamespace(**{name: hookimpl(_answer(name, value)) for name, value in answers.items()})


def _answer(name: str, value):
    if name == "extend_routes":
        return lambda routes: value
    return lambda: value
