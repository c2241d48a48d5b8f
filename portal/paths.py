"""Where templates, static files and translations live, in a wheel and in a source checkout alike."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    installed = PACKAGE_DIR / name  # wheel: mapped into the package by pyproject's package-dir
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name  # source checkout


TEMPLATES_DIR = _locate("templates")
STATIC_DIR = _locate("static")
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
HTMX_FILE = STATIC_DIR / "vendor" / "htmx.min.js"
