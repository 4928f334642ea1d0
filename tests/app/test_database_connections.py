"""Pooled PostgreSQL connections: one left idle is checked before use and replaced if the server
closed it; one used a moment ago is taken as it is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app import db


@pytest.fixture
def engine(migrated_database: str) -> Iterator[Engine]:
    if not migrated_database.startswith("postgresql"):
        pytest.skip("SQLite connections are files: the server cannot close them")
    engine = db.make_engine(migrated_database)
    yield engine
    engine.dispose()


def _backend(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _server_closes(pid: int, engine: Engine) -> None:
    with engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()


@pytest.fixture
def admin(migrated_database: str) -> Iterator[Engine]:
    """A connection of its own, outside the pool under test."""
    engine = db.make_engine(migrated_database, poolclass=NullPool)
    yield engine
    engine.dispose()


def test_an_idle_connection_closed_by_the_server_is_replaced(
    engine: Engine, admin: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = _backend(engine)
    _server_closes(closed, admin)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert _backend(engine) != closed  # checked, found closed, replaced: no error


def test_a_connection_used_a_moment_ago_is_not_checked_again(
    engine: Engine, admin: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trade: a connection the server closed within the idle time fails once; the pool then
    starts afresh."""
    closed = _backend(engine)
    _server_closes(closed, admin)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 3600.0)
    with pytest.raises(DBAPIError):
        _backend(engine)
    assert _backend(engine) != closed
