"""Absolute links to the portal's own pages, for mails, invitations and calendar files.

Built from ``BASE_URL`` with the app's URL map, so they work the same inside a request, in the scheduler and in
the CLI: a service never needs a (fake) request to write a link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def absolute(endpoint: str, **values) -> str:
    """The full address of ``endpoint`` (e.g. ``"meetings.show"``) under the configured ``BASE_URL``."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)
