"""Alembic environment: the app's models are the target; the URL is the app's DATABASE_URL."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, text

from app.config import load_settings
from app.db import make_engine
from app.models import Model

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Model.metadata,
        compare_type=True,
        compare_server_default=True,
        transaction_per_migration=True,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    )


def _set_timeouts(connection: Connection) -> None:
    # A migration waiting on a lock must fail fast instead of stalling every request behind it.
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET statement_timeout = '60s'"))
        connection.execute(text("SET lock_timeout = '10s'"))
        connection.commit()  # session settings stay; Alembic then runs its own transactions


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # handed over by the CLI or a test
        _set_timeouts(connection)
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or load_settings().DATABASE_URL
    engine = make_engine(url)
    with engine.connect() as conn:
        _set_timeouts(conn)
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run against a database.")
run_migrations_online()
