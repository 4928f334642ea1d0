"""Forgot password -> e-mail -> new password, through the test client and the folder mailer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.passwords import verify_password
from app.auth.tokens import TokenPurpose, make_token, read_token
from tests.app.auth.conftest import Clock, Mailbox, link_in, post_form, text_of
from tests.app.auth.test_sign_in import sign_in
from tests.factories import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "a new and rather long passphrase"


def request_reset(client: Any, address: str) -> Any:
    return post_form(client, "/forgot-password", {"email": address})


def choose_password(client: Any, link: str, password: str, confirm: str | None = None) -> Any:
    return post_form(client, link, {"password": password, "confirm": confirm or password})


def summaries(db_session: Any) -> list[str]:
    return list(db_session.scalars(select(AuditEvent.summary).order_by(AuditEvent.id)))


def test_reset_end_to_end(client: Any, db_session: Any, mailbox: Mailbox) -> None:
    user = UserFactory(email="focal@example.org")
    response = request_reset(client, "Focal@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "a link to choose a new password is on its way" in client.get("/sign-in").get_data(
        as_text=True
    )

    message = mailbox.only("focal@example.org")
    assert "new password" in message["Subject"]
    assert "2 hours" in text_of(message)
    link = link_in(message)
    page = client.get(link)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "focal@example.org" in page.get_data(as_text=True)

    response = choose_password(client, link, NEW_PASSWORD)
    assert response.status_code == 302
    db_session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert not verify_password(user.password_hash, DEFAULT_PASSWORD)
    assert client.get("/sign-in").status_code == 302  # signed in: the page sends you on
    assert "Password reset requested" in summaries(db_session)
    assert "Password changed" in summaries(db_session)


def test_a_link_works_only_once(app: Any, client: Any, db_session: Any, mailbox: Mailbox) -> None:
    user = UserFactory(reviewer=True)
    request_reset(client, user.email)
    link = link_in(mailbox.only(user.email))
    assert choose_password(client, link, NEW_PASSWORD).status_code == 302

    again = client.get(link)
    assert again.status_code == 400
    assert "This link no longer works" in again.get_data(as_text=True)
    assert choose_password(client, link, "yet another long passphrase").status_code == 400
    with app.app_context():
        assert read_token(link.rsplit("/", 1)[1], TokenPurpose.PASSWORD_RESET) is None


def test_a_new_password_voids_older_links(client: Any, db_session: Any, mailbox: Mailbox) -> None:
    user = UserFactory(reviewer=True)
    request_reset(client, user.email)
    request_reset(client, user.email)
    first, second = (link_in(m) for m in mailbox.messages(user.email))
    assert choose_password(client, second, NEW_PASSWORD).status_code == 302
    assert client.get(first).status_code == 400


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    user = UserFactory(reviewer=True)
    known = request_reset(client, user.email)
    known_page = client.get("/sign-in").get_data(as_text=True)
    unknown = request_reset(client, "nobody@example.org")
    unknown_page = client.get("/sign-in").get_data(as_text=True)
    assert (known.status_code, known.headers["Location"]) == (302, "/sign-in")
    assert (unknown.status_code, unknown.headers["Location"]) == (302, "/sign-in")
    assert _flash(known_page) == _flash(unknown_page)
    assert mailbox.messages("nobody@example.org") == []
    assert len(mailbox.messages()) == 1
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.summary.like("%unknown or inactive%"))
    ).one()
    assert event.meta == {"email": "nobody@example.org"}


def _flash(html: str) -> str:
    start = html.index('<p class="flash')
    return html[start : html.index("</p>", start)]


def test_inactive_accounts_get_no_mail(client: Any, db_session: Any, mailbox: Mailbox) -> None:
    user = UserFactory(reviewer=True, is_active=False)
    assert request_reset(client, user.email).status_code == 302
    assert mailbox.messages() == []


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short pass", "short pass", "Use at least 12 characters."),
        ("focal2@example.org", "focal2@example.org", "Do not use your e-mail address"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords are not the same."),
    ],
)
def test_password_rules_are_explained(
    client: Any, db_session: Any, mailbox: Mailbox, password: str, confirm: str, message: str
) -> None:
    user = UserFactory(reviewer=True, email="focal2@example.org")
    request_reset(client, user.email)
    link = link_in(mailbox.only(user.email))
    response = choose_password(client, link, password, confirm)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db_session.refresh(user)
    assert verify_password(user.password_hash, DEFAULT_PASSWORD)


def test_links_expire_after_two_hours(
    client: Any, db_session: Any, mailbox: Mailbox, clock: Clock
) -> None:
    user = UserFactory(reviewer=True)
    request_reset(client, user.email)
    link = link_in(mailbox.only(user.email))
    clock.advance(timedelta(hours=2) - timedelta(seconds=1))
    assert client.get(link).status_code == 200
    clock.advance(timedelta(seconds=2))
    assert client.get(link).status_code == 400
    assert choose_password(client, link, NEW_PASSWORD).status_code == 400
    db_session.refresh(user)
    assert verify_password(user.password_hash, DEFAULT_PASSWORD)


def test_max_age_can_be_shortened(app_context: None, db_session: Any, clock: Clock) -> None:
    user = UserFactory(reviewer=True)
    token = make_token(user, TokenPurpose.PASSWORD_RESET)
    clock.advance(timedelta(minutes=10))
    assert read_token(token, TokenPurpose.PASSWORD_RESET) == user
    assert read_token(token, TokenPurpose.PASSWORD_RESET, max_age=timedelta(minutes=5)) is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.split(".", 1)[0],
        lambda token: "not-a-token",
    ],
)
def test_wrong_tokens_are_refused(client: Any, db_session: Any, app: Any, mangle: Any) -> None:
    user = UserFactory(reviewer=True)
    with app.test_request_context():
        token = make_token(user, TokenPurpose.PASSWORD_RESET)
    response = client.get(f"/reset-password/{mangle(token)}")
    assert response.status_code == 400


def test_an_invitation_token_is_no_reset_token(client: Any, db_session: Any, app: Any) -> None:
    user = UserFactory(reviewer=True)
    with app.test_request_context():
        token = make_token(user, TokenPurpose.INVITATION)
    assert client.get(f"/reset-password/{token}").status_code == 400


def test_changing_the_password_signs_out_other_sessions(
    app: Any, client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    user = UserFactory(reviewer=True, email="two-browsers@example.org")
    elsewhere = app.test_client()
    assert sign_in(elsewhere, user.email, DEFAULT_PASSWORD).status_code == 302
    assert user.email in elsewhere.get("/", follow_redirects=True).get_data(as_text=True)

    request_reset(client, user.email)
    assert choose_password(client, link_in(mailbox.only(user.email)), NEW_PASSWORD).status_code
    assert user.email in client.get("/", follow_redirects=True).get_data(as_text=True)
    assert user.email not in elsewhere.get("/", follow_redirects=True).get_data(as_text=True)
    assert sign_in(elsewhere, user.email, NEW_PASSWORD).status_code == 302


def test_sessions_without_a_fingerprint_are_not_accepted(
    app_context: None, db_session: Any
) -> None:
    from app.auth.loader import load_user

    user = UserFactory(reviewer=True)
    assert load_user(user.get_id()) == user
    assert load_user(str(user.id)) is None
    assert load_user(f"{user.id}:{'0' * 32}") is None
    assert load_user("x:y") is None
