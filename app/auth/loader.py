"""How Flask-Login finds the signed-in user."""

from __future__ import annotations

import hmac

from sqlalchemy import bindparam, select

from app import db
from app.auth.models import User

#: Built once, for every request: `session.get` builds its query anew each time, which costs
#: more than running it.
_USER = select(User).where(User.id == bindparam("user_id"))


def load_user(session_id: str) -> User | None:
    """The user of a session id `<id>:<credentials fingerprint>` (see `User.get_id`).

    A session made before the password changed carries the old fingerprint and is signed out.
    """
    user_id, _sep, fingerprint = session_id.partition(":")
    number = db.parse_integer(user_id)
    if number is None or not fingerprint:
        return None
    user = db.session.scalar(_USER, {"user_id": number})
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(user.credentials_fingerprint, fingerprint):
        return None
    return user
