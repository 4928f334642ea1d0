"""Creating throwaway databases for tests: SQLite files, or PostgreSQL databases on a server."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from flask import Flask
from sqlalchemy import create_engine, make_url, text

from app.cli.database import alembic_config


def benchmark_server() -> str:
    """The PostgreSQL server where the benchmarks create their databases: BENCH_POSTGRESQL_URL,
    else the local one the development set-up describes."""
    return os.environ.get("BENCH_POSTGRESQL_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")


@contextlib.contextmanager
def empty_database(server_url: str | None, folder: Path, name: str) -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards."""
    if not server_url:
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    url = make_url(server_url)
    # The process id keeps two test runs on one server (two checkouts, say) out of each other's way.
    db_name = f"cmtest_{name}_{os.getpid()}".lower()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    try:
        yield url.set(database=db_name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


@contextlib.contextmanager
def committed_app(folder: Path, name: str, **settings: Any) -> Iterator[Flask]:
    """An app on a new, migrated database and instance folder of its own, where requests and
    units of work commit for real (no shared test transaction around them). Scorecards render
    in the request unless `settings` say otherwise."""
    from app import create_app, db

    with empty_database(os.environ.get("TEST_DATABASE_URL"), folder, name) as url:
        upgrade(url)
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "INSTANCE_PATH": folder / "instance",
                "SECRET_KEY": "test-secret-key-not-for-production",
                "SESSION_COOKIE_SECURE": False,
                "SCORECARD_RENDER_PROCESSES": 0,
                **settings,
            }
        )
        try:
            yield app
        finally:
            pool = app.extensions.get("scorecard_renderer")
            if pool is not None:
                pool.shutdown()
            db.dispose(app)
