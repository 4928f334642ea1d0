"""`cybermaturity db ...`: the Alembic commands, bound to the app's database."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["skip_logging_config"] = True
    return config


def _config() -> Config:
    return alembic_config(current_app.config["DATABASE_URL"])


db_group = AppGroup("db", help="Create and migrate the database schema (Alembic).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Upgrade the schema to REVISION (default: the latest)."""
    _ensure_sqlite_folder(current_app.config["DATABASE_URL"])
    command.upgrade(_config(), revision)
    click.echo(f"Database at revision {_current_revision()}")


@db_group.command("downgrade")
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION (`base` removes every table)."""
    command.downgrade(_config(), revision)
    click.echo(f"Database at revision {_current_revision() or 'base'}")


@db_group.command("current")
def current() -> None:
    """Show the schema's current revision."""
    click.echo(_current_revision() or "base (empty database)")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    command.revision(_config(), message=message, autogenerate=True)


@db_group.command("check")
def check() -> None:
    """Fail when the models and the migrations disagree."""
    command.check(_config())
    click.echo("Models and migrations agree.")


def _current_revision() -> str | None:
    from alembic.runtime.migration import MigrationContext

    from app.db import make_engine

    engine = make_engine(current_app.config["DATABASE_URL"])
    with engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    return rev


def _ensure_sqlite_folder(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
