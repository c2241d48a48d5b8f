"""Tests share builders. Builders live in tests/factories.py, shared fixtures in tests/fixtures.py,
form harvesting in tests/forms.py; no test module imports anything from another test module."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_module(dotted: str) -> bool:
    return any(part.startswith("test_") for part in dotted.split("."))


def imported_test_modules(path: Path) -> list[str]:
    """The test modules that ``path`` imports from (absolute or relative, at any depth of the file)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if _is_test_module(module):
                found.append(module)
            elif module in ("tests", "tests.browser") or node.level:  # from tests import test_x
                found += [f"{module}.{a.name}" for a in node.names if a.name.startswith("test_")]
    return found


def test_no_test_module_imports_another():
    """Every tests/**/test_*.py imports builders from tests/factories.py (and fixtures come from
    tests/fixtures.py through conftest), never from another test module."""
    modules = sorted(TESTS.rglob("test_*.py"))
    assert len(modules) > 30
    offenders = [f"{path.relative_to(TESTS.parent)} imports {name}"
                 for path in modules for name in imported_test_modules(path)]
    assert not offenders, "move the shared builder to tests/factories.py:\n" + "\n".join(offenders)


def test_the_check_finds_each_form_of_import(tmp_path):
    """The check itself catches the forms an import from a test module takes."""
    sample = tmp_path / "test_sample.py"
    sample.write_text("from tests.test_sharing import build_meeting\nimport tests.test_fuzz\n"
                      "from tests import factories, test_meetings\nfrom .test_reminders import at\n"
                      "def f():\n    from tests.browser.test_journey import x\n"
                      "from tests.factories import login\nfrom tests.browser.conftest import login\n")
    assert imported_test_modules(sample) == [
        "tests.test_sharing", "tests.test_fuzz", "tests.test_meetings", ".test_reminders",
        "tests.browser.test_journey"]
