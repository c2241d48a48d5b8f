"""Printable documents as PDF (WeasyPrint): a meeting report, a decision letter, from the same template as the
print page."""

from __future__ import annotations

from portal import paths

MEETING_CSS = paths.STATIC_DIR / "css" / "meeting-print.css"
LETTER_CSS = paths.STATIC_DIR / "css" / "letter-print.css"


def _no_fetch(url: str, *args, **kwargs):
    """A document needs no outside resources; refuse every fetch (no file or network access from content)."""
    raise ValueError(f"resource not allowed: {url}")


def render(html: str, stylesheet=MEETING_CSS) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[CSS(filename=str(stylesheet))])
