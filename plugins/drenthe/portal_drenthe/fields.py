"""What the region's application types share: their names as the route gives them, and a bounded text field."""

from __future__ import annotations

from wtforms.validators import Optional

from portal.plugin import PLANNING, DateWithin, DutchDateField, TextField, as_named

from portal_drenthe import route


def named(key: str) -> dict:
    """Key, label, description and source of the form as the route names it (``route.FORMS``)."""
    return as_named(route.FORMS, key)


def text(label, description=""):
    return TextField(label, description)


def date(label, description="", window=PLANNING):
    """An optional date with the portal's bounds and a Dutch message for what is not a date."""
    return DutchDateField(label, description=description, validators=[Optional(), DateWithin(window)])


def with_types(route_forms, types) -> list:
    """The route's named forms, each one an application type is made of replaced by that type (same key)."""
    by_key = {t.key: t for t in types}
    return [by_key.get(form.key, form) for form in route_forms]
