"""How Flask-Login finds the signed-in user."""

from __future__ import annotations

import hmac

from app import db
from app.auth.models import User


def load_user(session_id: str) -> User | None:
    """The user of a session id `<id>:<credentials fingerprint>` (see `User.get_id`).

    A session made before the password changed carries the old fingerprint and is signed out.
    """
    user_id, _sep, fingerprint = session_id.partition(":")
    if not user_id.isdigit() or not fingerprint:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(user.credentials_fingerprint, fingerprint):
        return None
    return user
