from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.auth.services import MIN_PASSWORD_LENGTH
from portal.inputs import StringField, at_most


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in.")),
                                                      Email(_l("Dit is geen geldig e-mailadres."))])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul je wachtwoord in."))])


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in.")),
                                                      Email(_l("Dit is geen geldig e-mailadres."))])


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("Nieuw wachtwoord"), validators=[
        DataRequired(_l("Kies een wachtwoord.")),
        Length(min=MIN_PASSWORD_LENGTH, message=_l("Gebruik minstens %(n)s tekens.", n=MIN_PASSWORD_LENGTH)),
    ])
    confirm = PasswordField(_l("Herhaal wachtwoord"), validators=[
        DataRequired(_l("Herhaal het wachtwoord.")),
        EqualTo("password", _l("De wachtwoorden zijn niet gelijk.")),
    ])




class SecondFactorForm(FlaskForm):
    """A six-digit code from the authenticator app (or, at sign-in, a recovery code)."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Vul de code in.")),
                                               at_most(40)])
