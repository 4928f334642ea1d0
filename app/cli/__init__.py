"""The `cybermaturity` command: Flask's own commands plus the project's."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup, with_appcontext

from app import create_app
from app.cli.database import db_group
from app.cli.questionnaires import questionnaires_group
from app.cli.score import score_command
from app.cli.scorecards import scorecards_group
from app.cli.users import users_group

main = FlaskGroup(create_app=create_app, help="cybermaturity: maturity self-assessment.")
main.add_command(db_group)
main.add_command(questionnaires_group)
main.add_command(score_command)
main.add_command(scorecards_group)
main.add_command(users_group)


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
