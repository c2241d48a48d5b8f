"""The meeting report as a PDF a school can file (WeasyPrint), from the same template as the print page."""

from __future__ import annotations

from portal import paths

PRINT_CSS = paths.STATIC_DIR / "css" / "meeting-print.css"


def _no_fetch(url: str, *args, **kwargs):
    """The report needs no outside resources; refuse every fetch (no file or network access from content)."""
    raise ValueError(f"resource not allowed: {url}")


def render(html: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
