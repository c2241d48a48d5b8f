"""A CSV download as a spreadsheet opens it: UTF-8 with a byte-order mark, semicolons (Dutch Excel), and no cell a
spreadsheet would evaluate as a formula."""

from __future__ import annotations

import csv
import io
from typing import Iterable

from flask import make_response

from portal import downloads, inputs


def safe(value: str) -> str:
    """No formula injection: a cell that a spreadsheet would evaluate starts with an apostrophe. No bidi
    override either: it would turn the rest of the row around for whoever reads it."""
    value = inputs.neutral(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def response(filename: str, headers: Iterable[str], rows: Iterable[Iterable[str]]):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([safe(str(h)) for h in headers])
    for row in rows:
        writer.writerow([safe(value) for value in row])
    answer = make_response("\ufeff" + out.getvalue())
    answer.headers["Content-Type"] = "text/csv; charset=utf-8"
    return downloads.attach(answer, filename)
