"""Server-side sessions (Flask-Session): the browser holds a random id, the server the rest.

So a session can be ended for good: at sign-out, and for every session of a user at once when
their password changes or their account is deactivated; a copy of the cookie taken earlier is
worthless afterwards. Sessions are kept in the database (table `user_sessions`), or in Redis when
`REDIS_URL` is set. Each one ends after `SESSION_IDLE_MINUTES` without a request and, at the
latest, `SESSION_MAX_HOURS` after it began, whatever the activity.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response
from flask import session as flask_session
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from sqlalchemy import ForeignKey, LargeBinary, String, bindparam, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from app import db
from app.db import Model, model_repr, utcnow

#: Keys this module keeps in every session: when it began and when it was last used (seconds).
STARTED, SEEN = "_started", "_seen"
#: The last-use time is written again at most this often, so that page views do not each write.
TOUCH_EVERY_SECONDS = 60
#: The attribute of a session listing the ids it had before `renew`, removed when it is saved.
REPLACED = "replaced_ids"


class UserSession(Model):
    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: The signed-in user, so that all of their sessions can be ended at once.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expires_dt: Mapped[datetime] = mapped_column(index=True)

    def __repr__(self) -> str:
        return model_repr(self, "user_id", "expires_dt")


def _user_id(session: ServerSideSession) -> int | None:
    """The user id in Flask-Login's `<id>:<fingerprint>` (see `User.get_id`)."""
    return db.parse_integer(str(session.get("_user_id") or "").partition(":")[0])


_SESSION_DATA = select(UserSession.data).where(
    UserSession.id == bindparam("sid"), UserSession.expires_dt > bindparam("now")
)


class _Timeouts:
    """Idle and absolute expiry, the same for every store."""

    idle: timedelta
    max_age: timedelta

    def open_session(self, app: Flask, request: Request) -> ServerSideSession:
        session = super().open_session(app, request)  # type: ignore[misc]
        now = time.time()
        started, seen = session.get(STARTED), session.get(SEEN)
        if seen is None or started is None:  # new
            return session
        if now - seen > self.idle.total_seconds() or now - started > self.max_age.total_seconds():
            self._delete_session(self._get_store_id(session.sid))  # type: ignore[attr-defined]
            return self.session_class(sid=self._generate_sid(self.sid_length))  # type: ignore[attr-defined]
        if now - seen > TOUCH_EVERY_SECONDS:
            session[SEEN] = now  # marks it modified: written again with a new expiry
        return session

    def save_session(self, app: Flask, session: ServerSideSession, response: Response) -> None:
        # After the request's own unit ended: on SQLite, a write beside it would wait for its lock.
        for sid in getattr(session, REPLACED, ()):
            self._delete_session(self._get_store_id(sid))  # type: ignore[attr-defined]
        if session and session.modified:
            now = time.time()
            session.setdefault(STARTED, now)
            session[SEEN] = now
        super().save_session(app, session, response)  # type: ignore[misc]

    def should_set_storage(self, app: Flask, session: ServerSideSession) -> bool:
        return bool(session.modified)


class DatabaseSessionInterface(_Timeouts, ServerSideSessionInterface):
    """Sessions in the `user_sessions` table, each read and written in a short unit of its own
    (the session is opened before the request's own unit begins, and saved after it ended)."""

    ttl = True  # expired rows are never read; `remove_expired` deletes them at each sign-in

    def __init__(self, app: Flask, idle: timedelta, max_age: timedelta) -> None:
        super().__init__(app, key_prefix="", permanent=False, serialization_format="json")
        self.idle, self.max_age = idle, max_age

    def _retrieve_session_data(self, store_id: str) -> dict[str, Any] | None:
        # Every request reads its session: a plain connection and a statement built once.
        with db.read_connection() as connection:
            data = connection.scalar(_SESSION_DATA, {"sid": store_id, "now": utcnow()})
        return self.serializer.decode(data) if data is not None else None

    def _delete_session(self, store_id: str) -> None:
        with db.separate_unit() as unit:
            unit.execute(delete(UserSession).where(UserSession.id == store_id))

    def _upsert_session(
        self, session_lifetime: timedelta, session: ServerSideSession, store_id: str
    ) -> None:
        row = UserSession(
            id=store_id,
            user_id=_user_id(session),
            data=self.serializer.encode(session),
            expires_dt=utcnow() + self.idle,
        )
        with db.separate_unit() as unit:
            unit.merge(row)

    def end_sessions_of(self, user_id: int) -> None:
        """In the request's own unit: they end when the change that ends them commits."""
        db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))

    def remove_expired(self) -> None:
        db.session.execute(delete(UserSession).where(UserSession.expires_dt <= utcnow()))


class RedisStoreSessionInterface(_Timeouts, RedisSessionInterface):
    """Sessions in Redis, expiring by themselves; a set per user lists that user's sessions."""

    def __init__(self, app: Flask, url: str, idle: timedelta, max_age: timedelta) -> None:
        import redis

        super().__init__(
            app,
            redis.Redis.from_url(url),
            key_prefix="cybermaturity:session:",
            permanent=False,
            serialization_format="json",
        )
        self.idle, self.max_age = idle, max_age

    def _user_key(self, user_id: int) -> str:
        return f"{self.key_prefix}user:{user_id}"

    def _upsert_session(
        self, session_lifetime: timedelta, session: ServerSideSession, store_id: str
    ) -> None:
        super()._upsert_session(self.idle, session, store_id)
        user_id = _user_id(session)
        if user_id is not None:
            key = self._user_key(user_id)
            self.client.sadd(key, store_id)
            self.client.expire(key, self.max_age)

    def end_sessions_of(self, user_id: int) -> None:
        key = self._user_key(user_id)
        members = [m.decode() for m in self.client.smembers(key)]
        self.client.delete(key, *members)

    def remove_expired(self) -> None:
        """Redis expires them by itself."""


def init_app(app: Flask) -> None:
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    max_age = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    app.config["SESSION_PERMANENT"] = False  # the cookie ends with the browser; the server decides
    url = app.config["REDIS_URL"]
    app.session_interface = (
        RedisStoreSessionInterface(app, url, idle, max_age)
        if url
        else DatabaseSessionInterface(app, idle, max_age)
    )


def _interface() -> DatabaseSessionInterface | RedisStoreSessionInterface:
    from flask import current_app

    return current_app.session_interface  # type: ignore[return-value]


def renew() -> None:
    """Empty the current session under a new id, the old one removed from the store (at
    sign-in: an id known before signing in must never become a signed-in one)."""
    interface = _interface()
    session: ServerSideSession = flask_session
    setattr(session, REPLACED, [*getattr(session, REPLACED, ()), session.sid])
    session.clear()
    session.sid = interface._generate_sid(interface.sid_length)
    session.modified = True
    interface.remove_expired()  # at each sign-in and sign-out: the table never grows for long


def end() -> None:
    """End the current session for good: its data and id are gone from the store; what the
    response still says (a flashed message) goes into a new, signed-out one."""
    renew()


def end_sessions_of(user_id: int) -> None:
    """End every session of this user (password changed, account deactivated)."""
    _interface().end_sessions_of(user_id)
