"""Forms of the share links: the chair's link options, the guest's code and contribution."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Regexp

from portal.inputs import StringField, at_most


class LinkForm(FlaskForm):
    code_required = BooleanField(_l("Code per e-mail vragen bij het openen"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.code_required.data = bool(current_app.config["SHARE_LINK_CODE"])


class CodeForm(FlaskForm):
    code = StringField(_l("Code uit de e-mail"), validators=[
        DataRequired(_l("Vul de code van zes cijfers in.")),
        Regexp(r"^\s*\d{6}\s*$", message=_l("De code bestaat uit zes cijfers."))],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


class ContributionForm(FlaskForm):
    text = TextAreaField(_l("Uw inbreng"), validators=[
        DataRequired(_l("Vul uw inbreng in.")), at_most(20_000)])
    file = FileField(_l("Bijlage (optioneel, vervangt een eerdere bijlage)"))
