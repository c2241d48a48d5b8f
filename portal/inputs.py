"""Bounded input at the edge of the portal: URL parameters, query strings and form text.

- ``<int:...>`` in every URL is an id the databases can hold (at most 2**63 - 1): a larger number is a 404, not
  an overflow in SQLite or PostgreSQL.
- A URL path with a control character (a NUL is an error in PostgreSQL and in file names) is a 404.
- Query strings and form fields lose NUL bytes and other control characters (tab, line feed and carriage return
  stay) before any view or form sees them. They are invisible, so nothing a user typed is lost.
- Query-string numbers are read with :func:`arg_int` (an id or filter) and :func:`arg_page` (a page number).
- Bidirectional override and isolate characters (U+202A-U+202E, U+2066-U+2069) are removed from the same input:
  typed into a name they reverse what others read ("B1\u202egpj.pdf" shows as "B1fdp.jpg").
- A single-line form field is :class:`StringField` from this module: a line break in it is refused with a Dutch
  message beside the field (names and titles go into mail headers, letters and file names).
- Every text field has a length bound with one Dutch wording, :func:`at_most`; a long text (a plan, a motivation,
  a view) is :func:`TextField`, bounded at ``LONG_TEXT`` characters.
- A name that comes from elsewhere (an uploaded file's name, a stored name put into a header) goes through
  :func:`one_line`.
"""

from __future__ import annotations

import re

import wtforms
from flask import Flask, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter
from wtforms.validators import Length, ValidationError

MAX_ID = 2**63 - 1  # the largest BIGINT / SQLite INTEGER
MAX_PAGE = 100_000  # a page number beyond this is the last page anyway; keeps OFFSET far from overflowing
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
LINE_BREAK = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]")
SPACING = re.compile("[\t\r\n\x0b\x0c\x85\u2028\u2029]")  # whitespace that breaks a line: becomes a space
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")  # removed


def clean(text: str) -> str:
    """The text without NUL bytes, other control characters and bidi overrides; tabs and line breaks stay."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def one_line(text: str | None) -> str:
    """A name for a header, a file name or a line of a letter: control characters and bidi overrides removed,
    line breaks and tabs turned into a space, runs of spaces made one, surrounding spaces trimmed."""
    return " ".join(SPACING.sub(" ", INVISIBLE.sub("", text or "")).split())


def neutral(text: str) -> str:
    """The text without bidi override and isolate characters (for names shown to others)."""
    return BIDI.sub("", text) if BIDI.search(text) else text


LONG_TEXT = 10_000  # a plan, a motivation, a view: the bound of every long text field


class AtMost(Length):
    """A length bound whose message, "Hooguit 10.000 tekens.", is translated when it is shown (a lazy string
    formatted with a value would count as safe markup)."""

    def __init__(self, chars: int):
        super().__init__(max=chars)

    def __call__(self, form, field) -> None:
        try:
            super().__call__(form, field)
        except ValidationError:
            shown = f"{self.max:,}".replace(",", ".")  # 10.000, as Dutch writes it
            raise ValidationError(_("Hooguit %(n)s tekens.", n=shown)) from None


def at_most(chars: int) -> Length:
    """A length bound with the portal's one Dutch message ("Hooguit 10.000 tekens.")."""
    return AtMost(chars)


def TextField(label, description: str = "", validators=(), **kwargs) -> wtforms.TextAreaField:
    """A text with lines, bounded at ``LONG_TEXT`` characters (more validators may follow the bound)."""
    return wtforms.TextAreaField(label, description=description, validators=[at_most(LONG_TEXT), *validators],
                                 **kwargs)


class StringField(wtforms.StringField):
    """A single-line text field: a line break in it is refused with a Dutch message beside the field. Use it
    for every one-line input (names, titles, organisations); TextAreaField is for text that has lines."""

    def pre_validate(self, form) -> None:
        if isinstance(self.data, str) and LINE_BREAK.search(self.data):
            raise ValidationError(_l("Dit veld is één regel: haal de regelovergang weg."))


class IdConverter(IntegerConverter):
    """The default ``int`` converter: a non-negative id that fits a BIGINT, otherwise the URL does not match."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class CleanMultiDict(ImmutableMultiDict):
    """Query-string and form values (and keys) without control characters; uploaded files pass unchanged."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        if isinstance(mapping, MultiDict):
            pairs = list(mapping.items(multi=True))
        elif isinstance(mapping, dict):
            pairs = [(k, v) for k, values in mapping.items()
                     for v in (values if isinstance(values, (list, tuple)) else [values])]
        else:
            pairs = list(mapping)
        super().__init__([(clean(k) if isinstance(k, str) else k, clean(v) if isinstance(v, str) else v)
                          for k, v in pairs])


class CleanInput:
    """Mixed into the app's request class (htmx-flask brings its own): args and form as CleanMultiDict."""

    parameter_storage_class = CleanMultiDict


def arg_int(args, name: str, default: int = 0, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """A whole number from a query string or form (``request.args``): an id or a numeric filter. Anything else,
    including a number out of range, gives ``default``."""
    raw = (args.get(name) or "").strip()
    if not re.fullmatch(r"[0-9]{1,19}", raw):  # ASCII digits only: int() would also take '٣' or '1_0'
        return default
    value = int(raw)
    return value if minimum <= value <= maximum else default


def arg_page(args, name: str = "pagina") -> int:
    """A page number from a query string: 1 when missing or malformed, at most MAX_PAGE."""
    return min(arg_int(args, name, 1, minimum=1), MAX_PAGE)


def init_app(app: Flask) -> None:
    """After the extensions that set a request class, before any blueprint adds a rule (the converters bind to
    the rules when they are added)."""
    if not issubclass(app.request_class, CleanInput):
        app.request_class = type("PortalRequest", (CleanInput, app.request_class), {})
    app.url_map.converters["int"] = IdConverter

    def no_control_characters_in_the_path():
        if CONTROL.search(request.path):
            raise NotFound()

    # First of all request hooks: the session and guest-link hooks read the path's values from the database.
    app.before_request_funcs.setdefault(None, []).insert(0, no_control_characters_in_the_path)
