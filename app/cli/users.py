"""`cybermaturity users ...`: inviting people and creating administrators."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.auth.models import Role
from app.i18n import LANGUAGES

users_group = AppGroup("users", help="Accounts: invitations and administrators.")


@users_group.command("invite")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="The account's role."
)
@click.option("--country", "iso3", metavar="ISO3", help="A focal point's country, e.g. KEN.")
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    help="Language of the invitation and of the account (default: DEFAULT_LANGUAGE).",
)
@click.option("--yes", is_flag=True, help="Do not ask before sending.")
def invite(email: str, role: str, iso3: str | None, language: str | None, yes: bool) -> None:
    """Create an account for EMAIL and mail it a link to choose a password (valid 7 days)."""
    from app.auth.operations import AccountError, invite_user, validate_invitation
    from app.auth.tokens import LIFETIMES, TokenPurpose
    from app.countries.operations import get_country
    from app.mail import get_mailer
    from app.transactions import transactional

    country = None
    if iso3:
        country = get_country(iso3)
        if country is None:
            raise click.BadParameter(
                f"no country with the ISO code {iso3!r}", param_hint="--country"
            )
    try:
        address = validate_invitation(email, Role(role), country)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    where = f" for {country.name()} ({country.iso3})" if country else ""
    if not yes:
        click.confirm(f"Invite {address} as {role}{where}?", abort=True)
    try:
        user = transactional(invite_user)(address, Role(role), country, None, locale=language)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    days = LIFETIMES[TokenPurpose.INVITATION].days
    click.echo(
        f"Invitation for {user.email} {get_mailer().describe()}; the link works {days} days."
    )


@users_group.command("create-admin")
@click.argument("email")
def create_admin(email: str) -> None:
    """Create an administrator with a password typed twice (the first account of a site)."""
    from app.auth.operations import AccountError, create_admin, get_user_by_email, normalize_email
    from app.transactions import transactional

    if get_user_by_email(email) is not None:
        raise click.ClickException(f"{normalize_email(email)} already has an account")
    password = _ask_password(normalize_email(email))
    try:
        user = transactional(create_admin)(email, password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Administrator {user.email} created; they can sign in now.")


def _ask_password(email: str) -> str:
    """Asked until it follows the password rules (Ctrl+C to give up)."""
    from app.auth.passwords import password_problem
    from app.i18n import force_locale

    while True:
        # Stripped as the sign-in form strips what is typed, so the two always agree.
        password = str(click.prompt("Password", hide_input=True, confirmation_prompt=True)).strip()
        problem = password_problem(password, email)
        if problem is None:
            return password
        with force_locale(current_app.config["DEFAULT_LANGUAGE"]):
            click.echo(f"Error: {problem}", err=True)
