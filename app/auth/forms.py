from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from app.forms import AppForm
from app.i18n import _l


class SignInForm(AppForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    # A form sent while signed out, kept to be sent again after signing in (see auth.views).
    replay = HiddenField()
    replay_to = HiddenField()
