"""Signed links for password resets and invitations: single-use and expiring, with no table.

A token carries the user's id and a fingerprint of their current credentials (e-mail and password
hash), signed with SECRET_KEY and a salt per purpose, so a reset token is never accepted as an
invitation. Setting a password changes the fingerprint, so a link stops working once used, and
so does every other link sent to that user before.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from enum import StrEnum
from typing import Any

from flask import current_app
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

from app import db
from app.auth.models import User
from app.db import utcnow


class TokenPurpose(StrEnum):
    PASSWORD_RESET = "password-reset"  # noqa: S105 - the name of a purpose, not a password
    INVITATION = "invitation"


#: How long a link works. Reset links are asked for by the user, who reads them at once; an
#: invitation may wait in an inbox over a weekend or a holiday.
LIFETIMES: dict[TokenPurpose, timedelta] = {
    TokenPurpose.PASSWORD_RESET: timedelta(hours=2),
    TokenPurpose.INVITATION: timedelta(days=7),
}


class _Signer(TimestampSigner):
    """Takes the time from `utcnow`, so tests can move the clock."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer(purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"cybermaturity.auth.{purpose}", signer=_Signer
    )


def make_token(user: User, purpose: TokenPurpose) -> str:
    return _serializer(purpose).dumps({"user": user.id, "state": user.credentials_fingerprint})


def read_token(
    token: str, purpose: TokenPurpose, *, max_age: timedelta | None = None
) -> User | None:
    """The active user the token was made for, if it is genuine, in time and not yet used."""
    payload = _payload(token, purpose, max_age if max_age is not None else LIFETIMES[purpose])
    if payload is None:
        return None
    user_id, state = payload
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(user.credentials_fingerprint, state):
        return None  # used already, or the account changed since the link was sent
    if purpose is TokenPurpose.INVITATION and user.password_hash is not None:
        return None
    return user


def _payload(token: str, purpose: TokenPurpose, lifetime: timedelta) -> tuple[int, str] | None:
    try:
        data: Any = _serializer(purpose).loads(token, max_age=int(lifetime.total_seconds()))
    except BadData:  # a wrong signature, a wrong purpose or too old
        return None
    if not isinstance(data, dict):
        return None
    user_id, state = data.get("user"), data.get("state")
    if not isinstance(user_id, int) or not isinstance(state, str):
        return None
    return user_id, state
