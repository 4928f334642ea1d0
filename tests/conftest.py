"""Shared fixtures: a migrated database per test run (and per xdist worker), a savepoint per test.

Set TEST_DATABASE_URL to run against PostgreSQL (a database of its own is created per worker from
that server and dropped afterwards); by default the suite runs on an SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import database


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    """An empty database of this run's own."""
    with database.empty_database(
        os.environ.get("TEST_DATABASE_URL"), tmp_path_factory.mktemp("db"), f"main_{worker_id}"
    ) as url:
        yield url


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    database.upgrade(database_url)
    return database_url


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def app_config(migrated_database: str, instance_path: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": migrated_database,
        "INSTANCE_PATH": instance_path,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SESSION_COOKIE_SECURE": False,  # the test client speaks plain HTTP
        # Render in the request: a render pool's workers would not see the test's transaction.
        "SCORECARD_RENDER_PROCESSES": 0,
    }


@pytest.fixture(scope="session")
def app(app_config: dict[str, Any]) -> Iterator[Any]:
    from app import create_app, db

    app = create_app(app_config)
    yield app
    db.dispose(app)  # before the test database is dropped


@pytest.fixture
def db_session(app: Any) -> Iterator[Any]:
    """The app's session, bound to one connection whose transaction is rolled back after the
    test; the code under test commits to savepoints inside it. Requests get sessions of their
    own on the same connection, as in production, so reload objects a request has changed."""
    from app import db

    engine = app.extensions["database_engine"]
    with engine.connect() as conn:
        outer = conn.begin()
        db.session.remove()
        db.session.configure(bind=conn, join_transaction_mode="create_savepoint")
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session.configure(bind=None)
            outer.rollback()


@pytest.fixture
def client(app: Any, db_session: Any) -> Any:
    return app.test_client()


@pytest.fixture
def app_context(app: Any, db_session: Any) -> Iterator[None]:
    """For calling operations directly; `db.session` inside is bound like `db_session`."""
    with app.app_context():
        yield


@pytest.fixture(autouse=True)
def _reset_rate_limits() -> None:
    """Rate-limit counters start at zero in every test: sign-ins in one test never make another
    fail with 429."""
    from app.extensions import limiter

    if limiter.initialized:
        limiter.reset()
