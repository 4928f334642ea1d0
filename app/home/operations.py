"""What the pages every role shares change: the language of a user's profile."""

from __future__ import annotations

import logging

from app import db
from app.auth.models import User
from app.i18n import LANGUAGES

logger = logging.getLogger(__name__)


def set_user_language(user: User, language: str) -> User:
    """Make `language` the user's language: for the interface on every device, and for e-mail."""
    if language not in LANGUAGES:
        raise ValueError(f"{language!r} is not one of the languages {LANGUAGES}")
    user.locale = language
    db.session.flush()
    logger.info("User %s chose the language %s", user.id, language)
    return user
