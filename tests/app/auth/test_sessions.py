"""Server-side sessions: signing out, a new password or a deactivated account end them for good;
idle and absolute timeouts; signing out from a page whose token has expired."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from app import db
from app.auth import sessions
from app.auth.operations import deactivate_user
from app.auth.sessions import UserSession
from tests.app.conftest import csrf_token, login
from tests.factories import DEFAULT_PASSWORD, UserFactory

SURVEY = "/survey/"


def signed_in(client: Any) -> bool:
    return client.get(SURVEY).status_code == 200


def session_id(client: Any) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return str(cookie.value)


def with_cookie(app: Any, sid: str) -> Any:
    """Another browser holding a copy of a session cookie."""
    other = app.test_client()
    other.set_cookie("session", sid)
    return other


def sign_out(client: Any) -> Any:
    token = csrf_token(client.get(SURVEY).get_data(as_text=True))
    return client.post("/sign-out", data={"csrf_token": token})


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(
    app: Any, client: Any, db_session: Any
) -> None:
    user = UserFactory()
    login(client, user)
    copy = session_id(client)
    assert signed_in(with_cookie(app, copy))
    assert sign_out(client).status_code == 302
    assert not signed_in(client)
    stolen = with_cookie(app, copy)
    assert not signed_in(stolen)
    autosave = stolen.post("/survey/1/legal/autosave", headers={"Accept": "application/json"})
    assert autosave.status_code in (400, 401)  # no token of a live session, and signed out
    assert db.session.scalar(select(func.count()).where(UserSession.id == copy)) == 0


def test_signing_in_gives_a_new_session_id(app: Any, client: Any, db_session: Any) -> None:
    client.get("/sign-in")
    before = session_id(client)
    login(client, UserFactory())
    assert session_id(client) != before
    assert not signed_in(with_cookie(app, before))


def sessions_of(user: Any) -> int:
    return db.session.scalar(select(func.count()).where(UserSession.user_id == user.id)) or 0


def as_operation(app: Any, operation: Any, user: Any, *args: Any) -> None:
    """`operation(user, *args)` as another request or the CLI would run it, committed."""
    from app.auth.models import User
    from app.transactions import transactional

    with app.app_context():
        transactional(operation)(db.session.get(User, user.id), *args)


def test_a_new_password_ends_every_session_of_its_user(
    app: Any, client: Any, db_session: Any
) -> None:
    from app.auth.operations import reset_password

    user, colleague = UserFactory(), UserFactory()
    elsewhere = app.test_client()
    login(client, user)
    login(elsewhere, colleague)
    assert sessions_of(user) == 1
    as_operation(app, reset_password, user, "a new and long passphrase 2026")
    assert sessions_of(user) == 0
    assert not signed_in(client)
    assert signed_in(elsewhere)


def test_deactivating_an_account_ends_its_sessions(app: Any, client: Any, db_session: Any) -> None:
    user = UserFactory()
    login(client, user)
    as_operation(app, deactivate_user, user, None)
    assert sessions_of(user) == 0
    assert not signed_in(client)


class Clock:
    """`time.time` as the session store sees it, moved forward by the test."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(sessions, "time", clock)
    return clock


def test_a_session_ends_after_its_idle_time(
    app: Any, client: Any, db_session: Any, clock: Clock
) -> None:
    login(client, UserFactory())
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    clock.offset = idle - 30
    assert signed_in(client)  # used again in time: the idle time starts again
    clock.offset += idle - 30
    assert signed_in(client)
    clock.offset += idle + 1
    assert not signed_in(client)


def test_a_session_ends_at_its_maximum_age_however_busy(
    app: Any, client: Any, db_session: Any, clock: Clock
) -> None:
    login(client, UserFactory())
    step = app.config["SESSION_IDLE_MINUTES"] * 60 - 1
    maximum = app.config["SESSION_MAX_HOURS"] * 3600
    while clock.offset + step < maximum:
        clock.offset += step
        assert signed_in(client)
    clock.offset = maximum + 1
    assert not signed_in(client)


def test_signing_out_works_from_a_page_whose_token_expired(
    app: Any, client: Any, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, UserFactory())
    token = csrf_token(client.get(SURVEY).get_data(as_text=True))
    import itsdangerous.timed

    later = SimpleNamespace(time=lambda: time.time() + app.config["WTF_CSRF_TIME_LIMIT"] + 3600)
    monkeypatch.setattr(itsdangerous.timed, "time", later)
    refused = client.post("/language", data={"csrf_token": token, "language": "fr"})
    assert refused.status_code == 400  # the token has expired for everything else
    response = client.post("/sign-out", data={"csrf_token": token})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert not signed_in(client)


def test_a_sign_out_sent_from_another_site_does_nothing(
    app: Any, client: Any, db_session: Any
) -> None:
    login(client, UserFactory())
    response = client.post("/sign-out", data={})
    assert response.status_code == 302
    assert signed_in(client)


@pytest.fixture
def redis_app(app_config: dict[str, Any]) -> Iterator[Any]:
    """The app with its sessions (and rate limits) in Redis."""
    import redis

    from app import create_app
    from tests.app.jobs.rq_support import REDIS_URL

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    redis_app = create_app({**app_config, "REDIS_URL": REDIS_URL})
    yield redis_app
    db.dispose(redis_app)


def test_sessions_in_redis_end_at_sign_out_and_with_a_new_password(
    redis_app: Any, db_session: Any
) -> None:
    from app.auth.operations import reset_password

    user = UserFactory()
    first, second = redis_app.test_client(), redis_app.test_client()
    login(first, user)
    login(second, user)
    copy = session_id(first)
    store = redis_app.session_interface
    assert store.client.exists(store.key_prefix + copy)
    assert sign_out(first).status_code == 302
    assert not store.client.exists(store.key_prefix + copy)
    assert not signed_in(with_cookie(redis_app, copy))
    assert signed_in(second)
    second_id = session_id(second)
    as_operation(redis_app, reset_password, user, "a new and long passphrase 2026")
    assert not store.client.exists(store.key_prefix + second_id)
    assert not signed_in(second)


def test_session_data_is_stored_on_the_server_only(client: Any, db_session: Any) -> None:
    login(client, UserFactory())
    sid = session_id(client)
    assert len(sid) >= 40  # a random id, not signed data
    assert "." not in sid
    row = db.session.get(UserSession, sid)
    assert row is not None
    assert b"_user_id" in row.data
    assert DEFAULT_PASSWORD.encode() not in row.data
