"""`cybermaturity users invite` and `users create-admin`, through click's runner against the app."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.models import Role
from app.auth.operations import get_user_by_email
from app.auth.passwords import verify_password
from app.cli.users import users_group
from tests.app.auth.conftest import Mailbox, link_in
from tests.factories import CountryFactory, UserFactory

PASSWORD = "a passphrase for the first admin"


@pytest.fixture
def runner(app: Any, db_session: Any) -> Any:
    return app.test_cli_runner()


def test_invite_a_focal_point(runner: Any, mailbox: Mailbox) -> None:
    country = CountryFactory()
    result = runner.invoke(
        users_group,
        ["invite", "Focal@Example.org", "--role", "focal_point", "--country", country.iso3.lower()],
        input="y\n",
    )
    assert result.exit_code == 0, result.output
    assert f"Invite focal@example.org as focal_point for {country.name()} ({country.iso3})?" in (
        result.output
    )
    assert "Invitation for focal@example.org written to" in result.output
    assert "the link works 7 days" in result.output
    user = get_user_by_email("focal@example.org")
    assert user is not None
    assert (user.role, user.country_id, user.password_hash) == (
        Role.FOCAL_POINT,
        country.id,
        None,
    )
    assert link_in(mailbox.only("focal@example.org")).startswith("/invitation/")


def test_invite_in_a_language(runner: Any, mailbox: Mailbox) -> None:
    result = runner.invoke(
        users_group,
        ["invite", "lecteur@example.org", "--role", "reviewer", "--language", "fr"],
        input="y\n",
    )
    assert result.exit_code == 0, result.output
    assert mailbox.only("lecteur@example.org")["Content-Language"] == "fr"
    user = get_user_by_email("lecteur@example.org")
    assert user is not None
    assert user.locale == "fr"


def test_saying_no_invites_nobody(runner: Any, mailbox: Mailbox) -> None:
    result = runner.invoke(
        users_group, ["invite", "no@example.org", "--role", "admin"], input="n\n"
    )
    assert result.exit_code == 1
    assert get_user_by_email("no@example.org") is None
    assert mailbox.messages() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "focal_point"], "a focal point needs a country"),
        (["--role", "focal_point", "--country", "QQQ"], "no country with the ISO code 'QQQ'"),
        (["--role", "reviewer", "--country", "{iso3}"], "only focal points have a country"),
        (["--role", "boss"], "Invalid value for '--role'"),
    ],
)
def test_invite_refuses_wrong_input(
    runner: Any, mailbox: Mailbox, args: list[str], message: str
) -> None:
    iso3 = CountryFactory().iso3
    args = [arg.format(iso3=iso3) for arg in args]
    result = runner.invoke(users_group, ["invite", "x@example.org", *args, "--yes"])
    assert result.exit_code != 0
    assert message in result.output
    assert mailbox.messages() == []


def test_invite_refuses_an_existing_account(runner: Any, mailbox: Mailbox) -> None:
    user = UserFactory(reviewer=True)
    result = runner.invoke(users_group, ["invite", user.email, "--role", "reviewer", "--yes"])
    assert result.exit_code == 1
    assert "already has an account" in result.output


def test_create_admin_asks_until_the_password_is_acceptable(runner: Any) -> None:
    typed = f"short\nshort\n{PASSWORD}\n{PASSWORD}x\n{PASSWORD}\n{PASSWORD}\n"
    result = runner.invoke(users_group, ["create-admin", "Root@Example.org"], input=typed)
    assert result.exit_code == 0, result.output
    assert "Error: Use at least 12 characters." in result.output
    assert "do not match" in result.output
    assert PASSWORD not in result.output  # typed, never echoed
    assert "Administrator root@example.org created" in result.output
    user = get_user_by_email("root@example.org")
    assert user is not None
    assert user.role is Role.ADMIN
    assert verify_password(user.password_hash, PASSWORD)


def test_create_admin_refuses_an_existing_account(runner: Any) -> None:
    user = UserFactory(reviewer=True)
    result = runner.invoke(users_group, ["create-admin", user.email], input="")
    assert result.exit_code == 1
    assert "already has an account" in result.output


def test_the_commands_are_on_the_main_command(runner: Any) -> None:
    from app.cli import main

    result = runner.invoke(main, ["users", "--help"])
    assert result.exit_code == 0
    assert "invite" in result.output
    assert "create-admin" in result.output
