"""Idempotent create forms: a form submitted twice creates one thing, and the second submit shows the first result.

A save can reach the database while its answer never reaches the browser (a crash, a timeout, a dropped
connection); the user presses "Opslaan" again. Without a key that makes a second student, entry or attachment.

How a create form adopts it (the meetings and sharing forms can follow the same three steps):

1. The form class mixes in ``IdempotentForm``::

       class StudentForm(IdempotentForm, FlaskForm): ...

   That adds a hidden ``idempotency_key``: a fresh random key each time the empty form is shown; a form shown
   again after a validation error keeps the key it was posted with.

2. The template renders the hidden field inside the ``<form>``: ``{{ form.idempotency_key }}``.

3. Before validating (a resubmit may no longer validate: the first submit took the student number, moved
   the traject), the view sends a resubmit to the first result; then it wraps the creation in ``once``, whose
   callable creates and returns the URL of what it created::

       if (first := idempotency.replay(form, actor.id)):
           return htmx.redirect_after_post(first)
       if form.validate_on_submit():
           outcome = idempotency.once(form, actor.id, lambda: url_for("students.show",
                                                                      student_id=services.create(...).id))
       return idempotency.answer(outcome, _("Leerling is toegevoegd."))

``once`` claims the key (unique per user) and runs the callable in one transaction. The same key from the same
user again returns the stored URL without calling it; a simultaneous duplicate waits for the first (the unique
key, with SQLite's immediate transactions) and then gets the first URL too. If the callable raises (a refusal,
a bad upload) the claim is rolled back with everything else and the form can be posted again. A post without a
key (a client that does not send the hidden field) simply creates, as before.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Callable

import peewee as pw
from flask import flash, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

from portal import htmx
from portal.db import database, utcnow
from portal.idempotency.models import IdempotencyKey

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KEEP = dt.timedelta(days=30)  # a user's keys older than this are pruned when they next create something


def new_key() -> str:
    return secrets.token_urlsafe(24)


class IdempotentForm:
    """Mix into a FlaskForm that creates something: adds the hidden one-time key."""

    idempotency_key = HiddenField(default=new_key, validators=[
        Optional(), Regexp(KEY_PATTERN, message=_l("Dit formulier is ongeldig. Herlaad de pagina en probeer het "
                                                    "opnieuw."))])


@dataclass(frozen=True)
class Outcome:
    url: str
    created: bool  # False: this key was used before; ``url`` is the first result


def submitted_key(form) -> str | None:
    """The key the browser posted (None when the post carried none or an invalid one)."""
    field = getattr(form, "idempotency_key", None)
    raw = (field.raw_data or [None])[0] if field is not None and field.raw_data else None
    return raw if raw and KEY_PATTERN.match(raw) else None


def _lookup(user_id: int, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.get_or_none((IdempotencyKey.user == user_id) & (IdempotencyKey.key == key))


def replay(form, user_id: int | None) -> str | None:
    """For a resubmit (this user used the posted key before): the first result's URL, with a flash; else None."""
    key = submitted_key(form) if request.method == "POST" else None
    found = _lookup(user_id, key) if key and user_id is not None else None
    if found is None or not found.url:
        return None
    flash_replayed()
    return found.url


def once(form_or_key, user_id: int | None, create: Callable[[], str]) -> Outcome:
    """Run ``create`` once per (user, key); returns its URL, or the first result's URL for a resubmit."""
    key = form_or_key if isinstance(form_or_key, str) or form_or_key is None else submitted_key(form_or_key)
    if not key or not KEY_PATTERN.match(key) or user_id is None:
        return Outcome(create(), True)
    found = _lookup(user_id, key)
    if found is not None:
        return Outcome(found.url, False)
    try:
        with database.atomic():
            IdempotencyKey.delete().where((IdempotencyKey.user == user_id)
                                          & (IdempotencyKey.created_at < utcnow() - KEEP)).execute()
            claim = IdempotencyKey.create(user=user_id, key=key, url="")
            url = create()
            IdempotencyKey.update(url=url[:500]).where(IdempotencyKey.id == claim.id).execute()
    except pw.IntegrityError:
        found = _lookup(user_id, key)  # a simultaneous submit with this key won
        if found is None:
            raise  # another unique key in what ``create`` wrote
        return Outcome(found.url, False)
    return Outcome(url, True)


def flash_replayed() -> None:
    flash(_("Dit formulier was al verstuurd. U ziet wat de eerste keer is opgeslagen; er is niets dubbel "
            "opgeslagen."), "info")


def answer(outcome: Outcome, message):
    """The redirect after a create: ``message`` (a text, or a callable giving it) when it was created now, the
    "already sent" notice when this was a resubmit."""
    if outcome.created:
        flash(message() if callable(message) else message, "success")
    else:
        flash_replayed()
    return htmx.redirect_after_post(outcome.url)
