"""The e-mails of the accounts feature; their texts are in templates/auth/email/<name>/.

Each function runs in the recipient's language (see `app.mail.email`) and returns the context.
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_timedelta

from app.auth.models import Role, User
from app.auth.tokens import LIFETIMES, TokenPurpose
from app.i18n import _, current_language
from app.mail import email, external_url


def _lifetime(purpose: TokenPurpose) -> str:
    """'2 hours', '7 days', in the language the message is written in."""
    return str(format_timedelta(LIFETIMES[purpose], threshold=1))


def role_label(role: Role) -> str:
    labels = {
        Role.ADMIN: _("administrator"),
        Role.REVIEWER: _("reviewer"),
        Role.FOCAL_POINT: _("focal point"),
    }
    return labels[role]


@email("auth", "password-reset")
def send_password_reset_email(user: User, token: str) -> dict[str, Any]:
    return {
        "link": external_url("auth.reset_password", token=token),
        "lifetime": _lifetime(TokenPurpose.PASSWORD_RESET),
        "forgot_link": external_url("auth.forgot_password"),
    }


@email("auth", "invitation")
def send_invitation_email(user: User, token: str, inviter: User | None) -> dict[str, Any]:
    return {
        "link": external_url("auth.accept_invitation", token=token),
        "lifetime": _lifetime(TokenPurpose.INVITATION),
        "inviter": (inviter.name or inviter.email) if inviter else None,
        "role": role_label(user.role),
        "country": user.country.name(current_language()) if user.country else None,
    }
