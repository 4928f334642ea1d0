"""How Flask-Login finds the signed-in user."""

from __future__ import annotations

from app import db
from app.auth.models import User


def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.is_active else None
