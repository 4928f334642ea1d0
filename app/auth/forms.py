from __future__ import annotations

from typing import Any

from wtforms import EmailField, Field, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.auth.passwords import MAX_PASSWORD_LENGTH, password_problem
from app.forms import AppForm
from app.i18n import _l


class SignInForm(AppForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    # A form sent while signed out, kept to be sent again after signing in (see auth.views).
    replay = HiddenField()
    replay_to = HiddenField()


class ForgotPasswordForm(AppForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])


class PasswordRules:
    """The password rules of `app.auth.passwords`, for the account the form belongs to."""

    def __init__(self, email: str) -> None:
        self.email = email

    def __call__(self, form: AppForm, field: Field) -> None:
        problem = password_problem(field.data or "", self.email)
        if problem is not None:
            raise ValidationError(str(problem))


class SetPasswordForm(AppForm):
    """A new password, typed twice. Takes the account's e-mail: the password may not be it."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        description=_l("At least 12 characters. A few unrelated words make a good password."),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.password.validators = [*self.password.validators, PasswordRules(email)]


class AcceptInvitationForm(SetPasswordForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("As colleagues and reviewers will see it."),
    )
