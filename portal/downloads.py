"""The Content-Disposition of every download the portal sends (attachments, PDFs, letters, CSV, .ics).

A file name may hold what a person typed or what a student number is: anything outside Latin-1 is an error in an
HTTP header, and a quote or a semicolon would add parameters of its own. So the name is cleaned like every other
name (no control characters, line breaks or bidi overrides), the plain ``filename`` is an ASCII fallback of safe
characters only, and the real name travels percent-encoded as ``filename*=UTF-8''...`` (RFC 6266, RFC 5987).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from portal import inputs

UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+-]")


def disposition(filename: str, *, inline: bool = False) -> str:
    """The header value for a download named ``filename``."""
    name = inputs.one_line(filename).replace("/", "_").replace("\\", "_") or "download"
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = UNSAFE.sub("_", fallback).strip() or "download"
    value = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def attach(response, filename: str, *, inline: bool = False):
    """``response`` as a download named ``filename``."""
    response.headers["Content-Disposition"] = disposition(filename, inline=inline)
    return response
