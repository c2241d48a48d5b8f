"""The mail preference form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from portal.notifications.models import MAIL_DIGEST, MAIL_IMMEDIATE, MAIL_NONE


class PreferenceForm(FlaskForm):
    mail = RadioField(_l("Mail bij nieuwe meldingen"), choices=[
        (MAIL_IMMEDIATE, _l("Direct een mail")),
        (MAIL_DIGEST, _l("Eén samenvatting per dag")),
        (MAIL_NONE, _l("Geen mail, alleen in het portaal")),
    ], validators=[InputRequired(_l("Kies hoe u meldingen wilt ontvangen."))])
