"""Dossier forms: entries (with the version they were loaded at), withdrawal, attachments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from portal.inputs import StringField, at_most
from portal import policy
from portal.dossier import services
from portal.idempotency import IdempotentForm


class EntryForm(IdempotentForm, FlaskForm):
    section = SelectField(_l("Sectie"), validators=[InputRequired(_l("Kies een sectie."))])
    kind = SelectField(_l("Soort"), choices=services.KINDS, default="note")
    title = StringField(_l("Titel"), validators=[
        DataRequired(_l("Vul een titel in.")), at_most(200)])
    body = TextAreaField(_l("Tekst"), validators=[
        at_most(100_000)])
    confidential = BooleanField(_l("Vertrouwelijk (alleen zichtbaar voor zorgrollen)"))
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section.choices = [(s.key, s.label) for s in services.sections()]
        self.kind.choices = [(key, label) for key, label in services.KINDS]
        if not services.can_see_confidential(policy.current()):
            del self.confidential

    def values(self) -> dict:
        values = {"section": self.section.data, "kind": self.kind.data, "title": self.title.data.strip(),
                  "body": self.body.data or ""}
        if "confidential" in self:
            values["confidential"] = bool(self.confidential.data)
        return values


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reden van intrekken"), validators=[
        DataRequired(_l("Geef een reden op: waarom hoort deze aantekening niet in dit dossier?")),
        at_most(2000)])


class AttachmentForm(IdempotentForm, FlaskForm):
    file = FileField(_l("Bestand"), validators=[FileRequired(_l("Kies een bestand."))])
