"""A test plugin whose route rule fails with an exception on every step: the step is refused, never a 500."""

from portal.plugin import Guard, hookimpl


def _fails(route, state, action, target_phase, data):
    raise RuntimeError("a bug in the plugin's rule")


@hookimpl
def register_guards():
    return [Guard("broken.regel", "Kapotte regel", "Faalt altijd.", "test", check=_fails)]
