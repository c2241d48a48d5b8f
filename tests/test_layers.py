"""The portal's modules depend one way: each imports only from its own layer or a lower one, without cycles.

The layer table below is the one place the order is declared (docs/architecture.md draws it). The import graph of
``portal/`` is read from the source (AST), every import counted: at module level, under ``TYPE_CHECKING`` and
inside functions. A new module must be given a layer here, so the check covers it the day it is added.
"""

from __future__ import annotations

import ast
from fnmatch import fnmatchcase
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module may import from its own layer or any layer before it; never from a later one. An exact
# module name wins over a pattern.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", (
        "portal", "portal.admin", "portal.applications", "portal.audit", "portal.auth", "portal.consent",
        "portal.dossier", "portal.meetings", "portal.notifications", "portal.opp", "portal.route", "portal.schools",
        "portal.sharing", "portal.students", "portal.translations",
        "portal.clock", "portal.config", "portal.db", "portal.bounds", "portal.inputs", "portal.language",
        "portal.paths", "portal.links", "portal.tokens", "portal.csvfile", "portal.paging", "portal.htmx",
        "portal.redirects", "portal.registry", "portal.pdf", "portal.serve", "portal.migrations.ddl",
        "portal.route.definition", "portal.dossier.sections", "portal.dossier.storage", "portal.meetings.ics",
        "portal.downloads",
    )),
    ("models", ("portal.*.models", "portal.migrations", "portal.migrations.m*")),
    ("rules", (
        "portal.policy", "portal.consent.rules", "portal.applications.types", "portal.applications.fields",
        "portal.applications.workflow", "portal.applications.decisions", "portal.route.engine",
        "portal.route.diagram", "portal.students.deciders", "portal.students.search", "portal.versioning",
        "portal.applications.objection_rules", "portal.applications.tlv", "portal.meetings.rules",
    )),
    ("shared services", (
        "portal.audit.services", "portal.dossier.services", "portal.mail", "portal.notifications.services",
        "portal.scheduler", "portal.labels", "portal.idempotency", "portal.auth.services", "portal.auth.session",
        "portal.auth.throttle", "portal.auth.accounts", "portal.notifications.events", "portal.auth.second_factor",
    )),
    # The domain services, in the order they build on each other: a meeting follows the route, sharing shares a
    # meeting, a consent names the meetings' and applications' purposes, an OPP records its instemming as a
    # consent, and an application is prefilled from the OPP.
    ("domain services: route, students, staff", (
        "portal.route.services", "portal.students.services", "portal.admin.services")),
    ("domain services: meetings", ("portal.meetings.services",)),
    ("domain services: sharing", ("portal.sharing.services",)),
    ("domain services: what the SWV offers", ("portal.applications.catalog",)),
    ("domain services: consent", ("portal.consent.services",)),
    ("domain services: OPP", ("portal.opp.services",)),
    ("domain services: applications", ("portal.applications.services", "portal.applications.letters",
                                       "portal.applications.objections")),
    ("read models", (
        "portal.*.read", "portal.*.reminders", "portal.applications.queue", "portal.notifications.digest",
        "portal.dossier.inzage", "portal.admin.log", "portal.ui",
    )),
    ("views and entry points", (
        "portal.*.views", "portal.*.forms", "portal.applications.desk", "portal.applications.desk_forms",
        "portal.applications.objection_forms", "portal.applications.objection_page",
        "portal.*.demo", "portal.demo", "portal.hookspecs", "portal.plugin", "portal.core_plugin",
        "portal.plugins", "portal.app", "portal.route.cli", "portal.cli", "portal.backup", "portal.testing",
    )),
]

# The entry points where an import may sit inside a function, each with a comment (on its line or the one above)
# saying why. None needs one today: the app factory and the CLI import at module level like every other module.
LAZY_ENTRY_POINTS: frozenset[str] = frozenset()


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str, layers=LAYERS) -> int | None:
    for index, (_name, patterns) in enumerate(layers):
        if module in patterns:
            return index
    matches = {index for index, (_name, patterns) in enumerate(layers)
               for pattern in patterns if "*" in pattern and fnmatchcase(module, pattern)}
    return min(matches) if matches else None


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The dotted names an import statement may load (``from a import b``: ``a.b`` and ``a``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[:len(package) - (node.level - 1)]
        base = ".".join(package + ([base] if base else []))
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def imports_of(source: str, module: str, is_package: bool = False):
    """(line, names the statement may load, enclosing function or None, has a comment) of every import."""
    lines = source.splitlines()
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                above = lines[child.lineno - 2].strip() if child.lineno > 1 else ""
                commented = "#" in lines[child.lineno - 1] or above.startswith("#")
                found.append((child.lineno, _imported(child, module, is_package), function, commented))
            visit(child, inner)

    visit(ast.parse(source), None)
    return found


def graph(sources: dict[str, tuple[str, bool]]):
    """{module: {imported module: first line}} within these modules, and the in-function imports
    [(module, line, function, imported module, commented)]."""
    edges: dict[str, dict[str, int]] = {name: {} for name in sources}
    in_functions = []

    def resolve(name):
        while name and name not in sources:
            name = name.rpartition(".")[0]
        return name

    for module, (source, is_package) in sources.items():
        for line, names, function, commented in imports_of(source, module, is_package):
            targets = [t for t in (resolve(name) for name in names) if t and t != module]
            for target in targets:
                edges[module].setdefault(target, line)
            if function is not None and targets:
                in_functions.append((module, line, function, max(targets, key=len), commented))
    return edges, sorted(in_functions)


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = 0
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for target in successors:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges.get(target, {}))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def problems(sources: dict[str, tuple[str, bool]], layers=LAYERS, lazy=LAZY_ENTRY_POINTS) -> list[str]:
    edges, in_functions = graph(sources)
    found = [f"no layer declared for {module} (add it to LAYERS in tests/test_layers.py)"
             for module in sorted(sources) if layer_of(module, layers) is None]
    found += ["import cycle: " + " <-> ".join(component) for component in cycles(edges)]
    for module, targets in sorted(edges.items()):
        own = layer_of(module, layers)
        for target, line in sorted(targets.items()):
            theirs = layer_of(target, layers)
            if own is not None and theirs is not None and theirs > own:
                found.append(f"{module}:{line} imports {target} upward "
                             f"({layers[own][0]} -> {layers[theirs][0]})")
    for module, line, function, target, commented in in_functions:
        if module not in lazy:
            found.append(f"{module}:{line} imports {target} inside {function}() (import at module level)")
        elif not commented:
            found.append(f"{module}:{line} imports {target} inside {function}() without a comment saying why")
    return found


def portal_sources() -> dict[str, tuple[str, bool]]:
    return {module_name(path, ROOT): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
            for path in sorted((ROOT / "portal").rglob("*.py"))}


def test_portal_imports_point_downward_without_cycles():
    """Every module of portal/ has a layer, imports only from its own layer or lower ones, forms no cycle, and
    imports inside a function only in the declared lazy entry points (with a comment why)."""
    assert problems(portal_sources()) == []


# --- the checker itself -------------------------------------------------------------------------------------

TOY_LAYERS = [("low", ("toy.low", "toy.low2")), ("high", ("toy.high",))]


def test_checker_finds_a_cycle():
    sources = {"toy.low": ("from toy import low2\n", False), "toy.low2": ("import toy.low\n", False),
               "toy.high": ("", False), "toy": ("", True)}
    found = problems(sources, [("package", ("toy",))] + TOY_LAYERS, lazy=frozenset())
    assert found == ["import cycle: toy.low <-> toy.low2"]


def test_checker_finds_an_upward_import():
    sources = {"toy.low": ("from toy.high import thing\n", False), "toy.high": ("", False)}
    found = problems(sources, TOY_LAYERS, lazy=frozenset())
    assert found == ["toy.low:1 imports toy.high upward (low -> high)"]


def test_checker_finds_an_import_inside_a_function_and_one_under_type_checking():
    sources = {"toy.low": ("", False),
               "toy.high": ("def f():\n    from toy.low import thing\n    return thing\n", False),
               "toy.low2": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from toy import high\n", False)}
    found = problems(sources, TOY_LAYERS, lazy=frozenset())
    assert found == ["toy.low2:3 imports toy.high upward (low -> high)",
                     "toy.high:2 imports toy.low inside f() (import at module level)"]


def test_checker_allows_a_commented_lazy_import_in_a_declared_entry_point_only():
    commented = "def f():\n    # only the command that needs it loads it\n    from toy import low\n"
    bare = "def f():\n    from toy import low\n"
    layers = [("low", ("toy.low",)), ("high", ("toy.high", "toy.other"))]
    lazy = frozenset({"toy.high"})
    assert problems({"toy.low": ("", False), "toy.high": (commented, False), "toy.other": (commented, False)},
                    layers, lazy) == ["toy.other:3 imports toy.low inside f() (import at module level)"]
    assert problems({"toy.low": ("", False), "toy.high": (bare, False)}, layers, lazy) == [
        "toy.high:2 imports toy.low inside f() without a comment saying why"]


def test_checker_requires_a_layer_for_every_module():
    assert problems({"toy.new": ("", False)}, TOY_LAYERS, lazy=frozenset()) == [
        "no layer declared for toy.new (add it to LAYERS in tests/test_layers.py)"]
