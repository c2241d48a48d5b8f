"""The one check for a redirect target or a mailed link: a path on this portal, never another host.

Browsers are lenient where attackers like it: they drop tabs and newlines inside a URL (``/\\t/evil.example``
becomes ``//evil.example``), read a backslash as a slash (``/\\evil.example``), and treat ``//host`` as another
host. So a target is accepted only when it is a plain absolute path: it starts with one ``/``, has no scheme or
host, no backslash, no control character, no whitespace in the path, and stays so after percent-decoding.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000


def safe_path(target: object) -> str | None:
    """``target`` when it is a path inside this portal, otherwise None."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return None
    # Check the text as sent and as decoded once and twice: a later hop (proxy, browser) may decode again.
    decoded_once = unquote(target)
    for form in (target, decoded_once, unquote(decoded_once)):
        head = re.split(r"[?#]", form, maxsplit=1)[0]  # a space in a search query is harmless, not in the path
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in form) or any(ch.isspace() for ch in head):
            return None
        if "\\" in form or not form.startswith("/") or form.startswith("//"):
            return None
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return None
    return target


def safe_next(target: object, default: str) -> str:
    """Where to go after a form: ``target`` when safe, else ``default`` (a URL the portal built itself)."""
    return safe_path(target) or default
