"""Issue 9 item 3, "services take the actor": no service reads the request.

Services, reminders, demo data, mail, the scheduler and the CLI receive the acting ``policy.Actor`` from their
caller (a view passes ``policy.current()``): none of them imports ``request``, ``g`` or ``session`` from flask or
flask-login's ``current_user``, builds a fake request, or asks ``policy.current()`` itself. Checked on the source
(AST), so a new module is covered the day it is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"

PENDING: set[str] = set()  # modules not yet converted: none

REQUEST_NAMES = {"request", "g", "session", "has_request_context"}
FORBIDDEN_IMPORTS = {"flask": REQUEST_NAMES, "flask_login": {"current_user"}}
FORBIDDEN_ATTRIBUTES = {("flask", name) for name in REQUEST_NAMES} | {("flask_login", "current_user")}


def checked_modules() -> list[Path]:
    patterns = ("services.py", "reminders.py", "demo.py", "cli.py")
    found = {path for pattern in patterns for path in PORTAL.rglob(pattern)}
    found |= {PORTAL / "mail.py", PORTAL / "scheduler.py"}
    return sorted(found)


def _name(path: Path) -> str:
    return path.relative_to(PORTAL).as_posix()


def violations(path: Path) -> list[str]:
    """What in this module reads the request or the current actor, as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module in FORBIDDEN_IMPORTS:
            found += [f"{node.lineno}: from {node.module} import {alias.name}" for alias in node.names
                      if alias.name in FORBIDDEN_IMPORTS[node.module]]
        elif isinstance(node, ast.ImportFrom) and node.module == "portal.policy":
            found += [f"{node.lineno}: from portal.policy import current" for alias in node.names
                      if alias.name == "current"]
        elif isinstance(node, ast.Attribute) and node.attr == "test_request_context":
            found.append(f"{node.lineno}: a fake request (test_request_context)")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in FORBIDDEN_ATTRIBUTES:
                found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
            elif (node.value.id, node.attr) == ("policy", "current"):
                found.append(f"{node.lineno}: policy.current()")
    return found


def test_no_service_reads_the_request_or_the_current_actor():
    """Issue 9 item 3: services, reminders, demo data, mail, the scheduler and the CLI take the actor from their
    caller; none reads flask's request, g or session, current_user, or policy.current()."""
    offenders = {_name(path): found for path in checked_modules()
                 if _name(path) not in PENDING and (found := violations(path))}
    assert offenders == {}


def test_the_check_covers_the_modules_it_names():
    """Issue 9 item 3: the check sees the modules of the convention, finds a violation when there is one, and its
    exemptions name modules that exist (a stale entry is noticed)."""
    names = {_name(path) for path in checked_modules()}
    assert {"dossier/services.py", "route/services.py", "route/demo.py", "demo.py", "mail.py", "scheduler.py",
            "notifications/reminders.py", "cli.py"} <= names
    assert PENDING <= names
    assert violations(PORTAL / "auth" / "session.py")  # builds the actor from the request: a view-side module
