"""No service reads the request; no view queries another package's models.

Services, reminders, demo data, mail, the scheduler and the CLI receive the acting ``policy.Actor`` from their
caller (a view passes ``policy.current()``): none of them imports ``request``, ``g`` or ``session`` from flask or
flask-login's ``current_user``, builds a fake request, or asks ``policy.current()`` itself. Checked on the source
(AST), so a new module is covered the day it is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"

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
    """Services, reminders, demo data, mail, the scheduler and the CLI take the actor from their
    caller; none reads flask's request, g or session, current_user, or policy.current()."""
    offenders = {_name(path): found for path in checked_modules() if (found := violations(path))}
    assert offenders == {}


def test_the_check_covers_the_modules_it_names():
    """The check sees the modules of the convention and finds a violation when there is one."""
    names = {_name(path) for path in checked_modules()}
    assert {"dossier/services.py", "route/services.py", "route/demo.py", "demo.py", "mail.py", "scheduler.py",
            "notifications/reminders.py", "cli.py"} <= names
    assert violations(PORTAL / "auth" / "session.py")  # builds the actor from the request: a view-side module


def foreign_models(source: str, own: str) -> list[str]:
    """The ``portal.<other>.models`` a module of package ``own`` imports at run time (``if TYPE_CHECKING:``
    blocks excepted: naming a type is not a query)."""
    tree = ast.parse(source)
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and getattr(block.test, "id", None) == "TYPE_CHECKING" for node in ast.walk(block)}
    return [f"{node.lineno}: {node.module}" for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and id(node) not in typing_only and node.module
            and node.module.startswith("portal.") and node.module.endswith(".models")
            and node.module.split(".")[1] != own]


def test_views_take_other_packages_data_from_their_services():
    """Views show, services decide: a view module never imports another package's models to
    query them; it asks that package's service (or read model) instead."""
    views = sorted(PORTAL.glob("*/views.py"))
    assert len(views) >= 9
    offenders = {_name(path): found for path in views
                 if (found := foreign_models(path.read_text(encoding="utf-8"), own=path.parent.name))}
    assert offenders == {}


# Every package builds on the students of its schools and their staff: those models are everyone's to join on.
SHARED_ENTITIES = {"auth", "schools", "students"}
# Couplings a service keeps on purpose, each read in its own query for one page's cost.
SERVICE_COUPLINGS = {
    ("meetings", "dossier"): "a meeting's documents and contributions are dossier attachments, read with them",
    ("meetings", "sharing"): "a participant's share links end with the participant",
    ("sharing", "meetings"): "a share link opens one meeting, for one participant",
    ("opp", "consent"): "the instemming with the handelingsdeel is a consent in the register, read with the answers",
}


def test_services_take_other_packages_data_from_their_services():
    """One home per concept: a service module queries its own package's models, the shared entities (students,
    schools, staff) and, for the couplings named above, the other package's; anything else it asks that package's
    service (e.g. whether an advisor wrote in the dossier, which attachments an actor may see)."""
    services = sorted(PORTAL.glob("*/services.py"))
    assert len(services) >= 10
    offenders = {}
    for path in services:
        own = path.parent.name
        found = [line for line in foreign_models(path.read_text(encoding="utf-8"), own=own)
                 if line.split(": ")[1].split(".")[1] not in SHARED_ENTITIES
                 and (own, line.split(": ")[1].split(".")[1]) not in SERVICE_COUPLINGS]
        if found:
            offenders[_name(path)] = found
    assert offenders == {}


def test_the_view_check_finds_a_foreign_model():
    """The check sees a foreign import, also inside a function, and lets its own package's
    models and a TYPE_CHECKING import pass."""
    source = ("from portal.route.models import Traject\n"
              "if TYPE_CHECKING:\n    from portal.auth.models import User\n"
              "def page():\n    from portal.students.models import Student\n")
    assert foreign_models(source, own="route") == ["5: portal.students.models"]
