"""Backup and restore: the database and the attachments folder in one tar.gz archive.

SQLite is copied with the online backup API (safe while the portal runs); PostgreSQL with ``pg_dump`` in custom
format and put back with ``pg_restore --clean --if-exists``. A small manifest records the format version, the
backend, when the archive was made and which migrations the database had.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse, urlunparse

from portal import clock
from portal.db import database, is_sqlite
from portal.migrations import SchemaMigration

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
ATTACHMENTS = "attachments"
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(RuntimeError):
    """A backup cannot be made or restored; the message is meant for the administrator."""


def attachments_dir(app) -> Path:
    return Path(app.instance_path) / ATTACHMENTS


def _backend() -> str:
    return "sqlite" if is_sqlite() else "postgresql"


def create(app, path) -> Path:
    """Write database, attachments and manifest to ``path`` (written aside first, then moved into place)."""
    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    backend = _backend()
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as tmp:
        work = Path(tmp)
        if backend == "sqlite":
            _sqlite_copy(database.obj.database, work / SQLITE_FILE)
            db_file = SQLITE_FILE
        else:
            _pg_dump(app.config["DATABASE_URL"], work / PG_FILE)
            db_file = PG_FILE
        manifest = {
            "format": FORMAT_VERSION,
            "backend": backend,
            "created_at": clock.utc_now().replace(tzinfo=dt.timezone.utc).isoformat(timespec="seconds"),
            "migrations": _applied_migrations(),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(work / db_file, arcname=db_file)
            folder = attachments_dir(app)
            if folder.is_dir():
                tar.add(folder, arcname=ATTACHMENTS)
        partial.chmod(0o600)  # personal data: readable by the owner only
        partial.replace(target)
    return target


def restore(app, path) -> dict:
    """Put the database and the attachments of an archive back; returns its manifest."""
    backend = _backend()
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as tmp:
        work = Path(tmp)
        manifest = _unpack(Path(path), work)
        if manifest.get("backend") != backend:
            found = BACKEND_NAMES.get(manifest.get("backend"), str(manifest.get("backend")))
            raise BackupError(
                f"Deze back-up is gemaakt van een {found}-database, maar dit portaal gebruikt "
                f"{BACKEND_NAMES[backend]}. Zet hem terug op een portaal met {found}.")
        was_open = not database.is_closed()
        database.close()
        if backend == "sqlite":
            _sqlite_copy(work / SQLITE_FILE, database.obj.database)
        else:
            _pg_restore(app.config["DATABASE_URL"], work / PG_FILE)
        _replace_attachments(work / ATTACHMENTS, attachments_dir(app))
        if was_open:
            database.connect(reuse_if_open=True)
    return manifest


def _unpack(archive: Path, work: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")  # no absolute paths, links out of the folder or devices
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} is geen leesbare back-up van het portaal ({exc}).") from exc
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{archive} mist een geldig {MANIFEST}: geen back-up van het portaal.") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Onbekende versie van het back-upformaat: {manifest.get('format')!r}.")
    return manifest


def _applied_migrations() -> list[str]:
    if not database.obj.table_exists(SchemaMigration._meta.table_name):
        return []
    return [f"{m.namespace}.{m.name}" for m in SchemaMigration.select().order_by(SchemaMigration.id)]


def _sqlite_copy(source, destination) -> None:
    """Copy a SQLite database page by page with the online backup API (consistent while others write)."""
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(destination), timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _replace_attachments(restored: Path, live: Path) -> None:
    """Swap the attachments folder for the restored one; the old one is removed only after the swap."""
    live.parent.mkdir(parents=True, exist_ok=True)
    if not restored.is_dir():
        restored.mkdir()
    previous = live.with_name(f"{live.name}.before-restore")
    if previous.exists():
        shutil.rmtree(previous)
    if live.exists():
        live.rename(previous)
    shutil.move(str(restored), str(live))
    if previous.exists():
        shutil.rmtree(previous)


# --- PostgreSQL -------------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """The tool on PATH, else the newest one of Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if not candidates:
        raise BackupError(f"{name} niet gevonden: installeer de PostgreSQL-clientprogramma's "
                          "(Debian: apt-get install postgresql-client).")
    return candidates[-1]


def _pg_connection(url: str) -> tuple[str, dict]:
    """The URL without its password (kept out of the process list) and an environment that carries it."""
    parsed = urlparse(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = unquote(parsed.password)
        host = parsed.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        userinfo = f"{parsed.username}@" if parsed.username else ""
        port = f":{parsed.port}" if parsed.port else ""
        parsed = parsed._replace(netloc=f"{userinfo}{host}{port}")
    return urlunparse(parsed._replace(scheme="postgresql")), env


def _run(args: list[str], env: dict, what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} is mislukt: {result.stderr.strip() or result.stdout.strip()}")


def _pg_dump(url: str, target: Path) -> None:
    dsn, env = _pg_connection(url)
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
          f"--dbname={dsn}"], env, "pg_dump")


def _pg_restore(url: str, dump: Path) -> None:
    dsn, env = _pg_connection(url)
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", f"--dbname={dsn}", str(dump)], env, "pg_restore")
