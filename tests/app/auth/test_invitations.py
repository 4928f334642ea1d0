"""Invitations: the operation, the e-mail, and accepting through the test client."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import Role
from app.auth.operations import AccountError, get_user_by_email, invite_user
from app.auth.passwords import verify_password
from app.transactions import transactional
from tests.app.auth.conftest import Clock, Mailbox, link_in, post_form, text_of
from tests.factories import CountryFactory, UserFactory

PASSWORD = "twelve chars or more, please"


def invite(
    app: Any, address: str, role: Role, country: Any = None, inviter: Any = None, **kwargs: Any
) -> int:
    """Invite as the CLI does: in an app context of its own, committing at the end. Objects made
    by the test are loaded again in that context's session."""
    from app import db
    from app.auth.models import User
    from app.countries.models import Country

    with app.app_context():
        invite = transactional(invite_user)
        return invite(
            address,
            role,
            db.session.get(Country, country.id) if country else None,
            db.session.get(User, inviter.id) if inviter else None,
            **kwargs,
        ).id


def accept(client: Any, link: str, name: str = "Amina Diallo", password: str = PASSWORD) -> Any:
    return post_form(client, link, {"name": name, "password": password, "confirm": password})


def test_invite_and_accept(app: Any, client: Any, db_session: Any, mailbox: Mailbox) -> None:
    country = CountryFactory()
    admin = UserFactory(admin=True, name="Ada Admin")
    user_id = invite(app, "New.Person@Example.org", Role.FOCAL_POINT, country, admin)

    message = mailbox.only("new.person@example.org")
    body = text_of(message)
    assert "Ada Admin has invited you" in body
    assert f"focal point for {country.name()}" in body
    assert "for 1 week" in body
    link = link_in(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "new.person@example.org" in page.get_data(as_text=True)

    response = accept(client, link)
    assert response.status_code == 302
    assert "new.person@example.org" in client.get("/", follow_redirects=True).get_data(as_text=True)
    user = get_user_by_email("new.person@example.org")
    assert user is not None
    assert user.id == user_id
    db_session.refresh(user)
    assert user.name == "Amina Diallo"
    assert user.country_id == country.id
    assert verify_password(user.password_hash, PASSWORD)
    assert client.get(link).status_code == 400  # used

    summaries = list(
        db_session.scalars(select(AuditEvent.summary).where(AuditEvent.user_id == user_id))
    )
    assert "Invitation sent to new.person@example.org as focal_point" in summaries
    assert "Invitation accepted" in summaries


def test_accepting_asks_for_a_name_and_a_good_password(
    app: Any, client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    invite(app, "reviewer@example.org", Role.REVIEWER)
    link = link_in(mailbox.only("reviewer@example.org"))
    assert "Use at least 12 characters." in accept(client, link, password="short").get_data(
        as_text=True
    )
    response = accept(client, link, name="")
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    user = get_user_by_email("reviewer@example.org")
    assert user is not None
    assert user.password_hash is None


@pytest.mark.parametrize(
    ("role", "with_country", "message"),
    [
        (Role.FOCAL_POINT, False, "a focal point needs a country"),
        (Role.REVIEWER, True, "only focal points have a country"),
        (Role.ADMIN, True, "only focal points have a country"),
    ],
)
def test_role_and_country_must_agree(
    app_context: None, db_session: Any, role: Role, with_country: bool, message: str
) -> None:
    country = CountryFactory() if with_country else None
    with pytest.raises(AccountError, match=message):
        invite_user("someone@example.org", role, country, None)


def test_existing_accounts_are_not_invited(app_context: None, db_session: Any) -> None:
    user = UserFactory(reviewer=True)
    with pytest.raises(AccountError, match="already has an account"):
        invite_user(user.email.upper(), Role.REVIEWER, None, None)
    with pytest.raises(AccountError, match="not a valid e-mail address"):
        invite_user("not an address", Role.REVIEWER, None, None)


def test_inviting_again_updates_the_role_and_sends_a_fresh_link(
    app: Any, client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    country = CountryFactory()
    first_id = invite(app, "twice@example.org", Role.REVIEWER)
    second_id = invite(app, "twice@example.org", Role.FOCAL_POINT, country)
    assert first_id == second_id
    first, second = (link_in(m) for m in mailbox.messages("twice@example.org"))
    assert accept(client, second).status_code == 302
    assert client.get(first).status_code == 400  # the account has a password now
    user = get_user_by_email("twice@example.org")
    assert user is not None
    db_session.refresh(user)
    assert (user.role, user.country_id) == (Role.FOCAL_POINT, country.id)


def test_invitations_expire_after_seven_days(
    app: Any, client: Any, db_session: Any, mailbox: Mailbox, clock: Clock
) -> None:
    invite(app, "late@example.org", Role.REVIEWER)
    link = link_in(mailbox.only("late@example.org"))
    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert client.get(link).status_code == 200
    clock.advance(timedelta(seconds=2))
    assert client.get(link).status_code == 400
    assert accept(client, link).status_code == 400


def test_an_invitation_is_no_reset_link(
    app: Any, client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    invite(app, "pending@example.org", Role.REVIEWER)
    token = link_in(mailbox.only("pending@example.org")).rsplit("/", 1)[1]
    assert client.get(f"/reset-password/{token}").status_code == 400
