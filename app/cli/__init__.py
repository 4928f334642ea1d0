"""The `cybermaturity` command: Flask's own commands plus the project's.

The project's commands are imported when one is run (or listed by `--help`), not at start:
`cybermaturity questionnaires list` need not load Alembic, the models or the scorecard code.
"""

from __future__ import annotations

from importlib import import_module

import click
from flask.cli import FlaskGroup, with_appcontext

from app import create_app

#: Command name -> "module:attribute" of the click command or group.
_LAZY_COMMANDS = {
    "db": "app.cli.database:db_group",
    "questionnaires": "app.cli.questionnaires:questionnaires_group",
    "score": "app.cli.score:score_command",
    "scorecards": "app.cli.scorecards:scorecards_group",
    "users": "app.cli.users:users_group",
}


class _Main(FlaskGroup):
    """FlaskGroup whose project commands are imported on first use."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY_COMMANDS and cmd_name not in self.commands:
            module, _, attribute = _LAZY_COMMANDS[cmd_name].partition(":")
            self.add_command(getattr(import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        # Imported before the app is made, whose logging would show Alembic's start-up messages.
        for name in _LAZY_COMMANDS:
            self.get_command(ctx, name)
        return super().list_commands(ctx)


main = _Main(create_app=create_app, help="cybermaturity: maturity self-assessment.")


@main.command("demo-data")
@click.option("--yes", is_flag=True, help="Do not ask before writing to a non-SQLite database.")
@with_appcontext
def demo_data(yes: bool) -> None:
    """Load demo countries, accounts, campaigns and answers (idempotent)."""
    from flask import current_app

    from app.demo.operations import load_demo_data
    from app.transactions import transactional

    url = current_app.config["DATABASE_URL"]
    if not url.startswith("sqlite") and not yes:
        click.confirm(f"Write demo accounts with a published password into {url}?", abort=True)
    logins = transactional(load_demo_data)()
    click.echo("Demo logins:")
    for login in logins:
        where = f" ({login.country})" if login.country else ""
        click.echo(f"  {login.role.value:<12} {login.email:<40} {login.password}{where}")


@main.group("countries")
def countries_group() -> None:
    """Country reference data."""


@countries_group.command("sync")
@with_appcontext
def countries_sync() -> None:
    """Insert or update the ITU member states and their regions."""
    from app.countries.operations import sync_countries
    from app.transactions import transactional

    created, updated = transactional(sync_countries)()
    click.echo(f"Countries: {created} created, {updated} updated.")
