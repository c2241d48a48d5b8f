"""Packaging: a real wheel (not an editable install) yields a working portal.

Packaging and CLI: ``pip install .`` builds a wheel that carries the templates, the
static files (htmx included when it was built after the npm step) and the compiled translations; the sector
plugins get their own import names (``portal_po``, ``portal_vo``), not a generic ``plugins`` package; the console
script ``portal`` offers ``init-db`` and ``run`` (waitress); ``GET /healthz`` answers 200 with a reachable database.

The test copies the source tree (so no ``build/`` or ``*.egg-info`` left in the work tree can leak stale files into
the wheel, and none is left behind), builds the wheel, installs it non-editable into a fresh virtualenv without
system site-packages (dependencies from the package index, pip's cache keeps a second run fast), and boots it on a
free loopback port with its own instance folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.factories import free_port

ROOT = Path(__file__).resolve().parent.parent
SOURCE_HTMX = ROOT / "static" / "vendor" / "htmx.min.js"

# Left out of the copy that is built: local environments, build output, runtime data and version control.
BOOT_TIMEOUT = 60.0


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float, what: str) -> str:
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=timeout,
    )
    if proc.returncode != 0:
        pytest.fail(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-6000:]}")
    return proc.stdout


def _clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that could point the installed portal back at the work tree
    or at the test databases."""
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("PORTAL_", "PYTHON", "PIP_REQUIRE", "FLASK_")) and key not in {"VIRTUAL_ENV"}
    }
    env.update({"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(extra)
    return env


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Language": "nl"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _build_wheel(src: Path, outdir: Path, env: dict[str, str]) -> Path:
    try:
        import build  # noqa: F401  (the test extra provides it)
    except ImportError:
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(outdir), str(src)]
    else:
        cmd = [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(src)]
    _run(cmd, cwd=src, env=env, timeout=600, what="building the wheel")
    wheels = sorted(outdir.glob("*.whl"))
    assert len(wheels) == 1, f"expected one wheel, found {[w.name for w in wheels]}"
    return wheels[0]


def _checkout(dest: Path) -> None:
    """What a fresh clone holds: the files git tracks or would track (no node_modules, no ignored build output)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def test_the_committed_htmx_is_the_locked_release():
    """The htmx the portal serves is the file of the htmx.org release pinned in package-lock.json, committed so that a
    clean checkout (and a wheel built from it) serves it without npm."""
    import json

    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/htmx.org"]["version"]
    assert locked.startswith("2.")
    assert f'version:"{locked}"' in SOURCE_HTMX.read_text(encoding="utf-8")
    fetched = ROOT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"
    if fetched.is_file():
        assert fetched.read_bytes() == SOURCE_HTMX.read_bytes()


def test_wheel_installs_non_editable_and_boots(tmp_path: Path) -> None:
    """The wheel built from a clean checkout, installed into a fresh virtualenv, serves the portal with htmx."""
    env = _clean_env()

    # 1. Build the wheel from what a fresh clone holds.
    src = tmp_path / "src"
    _checkout(src)
    wheel = _build_wheel(src, tmp_path / "dist", env)

    # 2. The wheel carries templates, static files, translations and the plugins under their own import names.
    names = zipfile.ZipFile(wheel).namelist()
    assert "portal/templates/base.html" in names
    assert any(name.startswith("portal/static/") for name in names), "no portal/static/ in the wheel"
    assert any(name.startswith("portal_po/") for name in names), "no portal_po/ in the wheel"
    assert any(name.startswith("portal_vo/") for name in names), "no portal_vo/ in the wheel"
    assert "portal/translations/en/LC_MESSAGES/messages.mo" in names, "compiled English translation missing"
    assert not any(name.startswith("plugins/") for name in names), "generic top-level 'plugins' package in the wheel"
    assert not any(name.startswith("tests/") for name in names), "tests/ shipped in the wheel"
    assert "portal/static/vendor/htmx.min.js" in names, "htmx is not in the wheel"

    # 3. A fresh virtualenv (no system site-packages) with the wheel installed non-editable.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path, env=env, timeout=120, what="creating the venv")
    python, portal = venv / "bin" / "python", venv / "bin" / "portal"
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=tmp_path, env=env, timeout=900,
         what="installing the wheel")
    located = _run(
        [str(python), "-c", "import portal, sysconfig; print(portal.__file__); print(sysconfig.get_paths()['purelib'])"],
        cwd=tmp_path, env=env, timeout=60, what="importing portal",
    ).split()
    module_file, purelib = Path(located[-2]).resolve(), Path(located[-1]).resolve()
    assert purelib in module_file.parents, f"portal imported from {module_file}, not from the venv's site-packages"
    assert portal.is_file(), "the wheel did not install the `portal` console script"

    # 4. Boot it: own instance folder, SQLite default, a real secret key, the production server on a free port.
    instance = tmp_path / "instance"
    run_env = _clean_env(PORTAL_INSTANCE_PATH=str(instance), PORTAL_SECRET_KEY=secrets.token_hex(32))
    _run([str(portal), "init-db"], cwd=tmp_path, env=run_env, timeout=120, what="portal init-db")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [str(portal), "run", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path, env=run_env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + BOOT_TIMEOUT
        status = None
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"`portal run` exited with {server.returncode}:\n{log_path.read_text(errors='replace')}")
            try:
                status, _ = _get(f"{base}/healthz", timeout=2)
            except OSError:
                status = None
            if status == 200:
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"/healthz did not answer 200 within {BOOT_TIMEOUT:.0f} s (last: {status}):\n"
                        f"{log_path.read_text(errors='replace')}")

        status, body = _get(f"{base}/login")
        assert status == 200, f"/login answered {status}"
        assert "Inloggen" in body.decode("utf-8", errors="replace")

        status, body = _get(f"{base}/static/vendor/htmx.min.js")
        assert status == 200, f"/static/vendor/htmx.min.js answered {status}"
        assert body == SOURCE_HTMX.read_bytes()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
