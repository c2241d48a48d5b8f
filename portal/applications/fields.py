"""An application type's own form fields: their labels, the stored values shown, and loaded back into a form.

Values are stored as JSON (``services.save``); dates as ISO dates. Pages, the dossier entry and the letter show
them through ``data_rows``, so a value never shows as an internal key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from wtforms import BooleanField, DateField, SelectField

from portal.applications.types import ApplicationType


@dataclass(frozen=True)
class Row:
    label: str
    value: str


def vars_of(form_class) -> dict:
    """The unbound fields of a form class and its bases (not CSRF or the core's own fields)."""
    found: dict = {}
    for klass in reversed((form_class or object).__mro__):
        for name, value in vars(klass).items():
            if hasattr(value, "field_class") and name not in ("csrf_token", "version"):
                found[name] = value
    return found


def data_rows(kind: ApplicationType, values: dict) -> list[Row]:
    """The stored values as (label, shown value): dates as dd-mm-jjjj, choices by their label, yes/no."""
    rows = []
    for name, unbound in sorted(vars_of(kind.form).items(), key=lambda item: item[1].creation_counter):
        value = values.get(name)
        if value in (None, "", []):
            continue
        label = str(unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else name))
        rows.append(Row(label, shown(unbound, value)))
    return rows


def shown(unbound, value) -> str:
    klass = unbound.field_class
    if issubclass(klass, BooleanField):
        return _("ja") if value else _("nee")
    if issubclass(klass, DateField) and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    if issubclass(klass, SelectField):
        choices = dict((str(k), str(v)) for k, v in unbound.kwargs.get("choices") or ())
        return choices.get(str(value), str(value))
    return str(value)


def load_values(kind: ApplicationType, values: dict) -> dict:
    """Stored JSON values back into what the type's form fields take (ISO dates become dates)."""
    loaded = dict(values)
    for name, unbound in vars_of(kind.form).items():
        if issubclass(unbound.field_class, DateField) and isinstance(loaded.get(name), str):
            try:
                loaded[name] = dt.date.fromisoformat(loaded[name])
            except ValueError:
                loaded.pop(name)
    return loaded


def decision_rows(kind: ApplicationType, values: dict, skip: tuple[str, ...] = ()) -> list[Row]:
    """What a decision recorded, as (label, shown value): dates as dd-mm-jjjj, choices by their label. The page,
    the dossier entry and the letter all show it this way."""
    rows = []
    for item in kind.decision_fields:
        value = values.get(item.key)
        if not value or item.key in skip:
            continue
        if item.kind == "date":
            try:
                value = dt.date.fromisoformat(value).strftime("%d-%m-%Y")
            except (TypeError, ValueError):
                pass
        elif item.kind == "choice":
            value = dict(item.choices).get(value, value)
        rows.append(Row(item.label, str(value)))
    return rows
