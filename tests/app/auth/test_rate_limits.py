"""Sign-in and reset requests are rate limited per client address and per typed e-mail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import limiter
from tests.app.auth.conftest import Mailbox, post_form
from tests.app.auth.test_sign_in import sign_in
from tests.factories import DEFAULT_PASSWORD, UserFactory


def rate_limit_events(db_session: Any) -> list[AuditEvent]:
    return list(
        db_session.scalars(select(AuditEvent).where(AuditEvent.summary == "Rate limit hit"))
    )


def test_five_tries_a_minute_per_email(client: Any, db_session: Any) -> None:
    user = UserFactory(reviewer=True, email="target@example.org")
    for _ in range(5):
        assert sign_in(client, user.email, "wrong password!").status_code == 200
    response = sign_in(client, user.email, DEFAULT_PASSWORD)
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "Too many attempts" in html
    assert 'value="target@example.org"' in html  # the typed address is kept...
    assert DEFAULT_PASSWORD not in html  # ...the password is not
    assert response.headers["Content-Security-Policy"]

    [event] = rate_limit_events(db_session)
    assert event.user_id == user.id
    assert event.meta == {
        "endpoint": "auth.sign_in",
        "limit": "5 per 1 minute",
        "email": "target@example.org",
    }
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 429
    assert len(rate_limit_events(db_session)) == 1  # one entry a minute, not one per try

    other = UserFactory(reviewer=True)
    assert sign_in(client, other.email, DEFAULT_PASSWORD).status_code == 302  # others still can


def test_ten_tries_a_minute_per_client_address(client: Any, db_session: Any) -> None:
    for n in range(10):
        assert sign_in(client, f"guess{n}@example.org", "wrong password!").status_code == 200
    assert sign_in(client, "guess10@example.org", "wrong password!").status_code == 429
    other_address = {"REMOTE_ADDR": "192.0.2.7"}
    user = UserFactory(reviewer=True)
    token_page = client.get("/sign-in", environ_base=other_address).get_data(as_text=True)
    assert token_page  # GET is never limited
    response = post_form(
        client,
        "/sign-in",
        {"email": user.email, "password": DEFAULT_PASSWORD},
        environ_base=other_address,
    )
    assert response.status_code == 302


def test_counters_reset(client: Any, db_session: Any) -> None:
    user = UserFactory(reviewer=True)
    for _ in range(5):
        sign_in(client, user.email, "wrong password!")
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 429
    limiter.reset()
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 302


def test_the_page_speaks_the_users_language(client: Any, db_session: Any) -> None:
    for _ in range(6):
        response = sign_in(client, "someone@example.org", "wrong password!")
    response = client.post(
        "/sign-in",
        data={"email": "someone@example.org", "password": "x", "csrf_token": _token(client)},
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 429
    assert '<html lang="fr" dir="ltr">' in response.get_data(as_text=True)


def _token(client: Any) -> str:
    from tests.app.auth.test_sign_in import csrf_token

    return csrf_token(client.get("/sign-in").get_data(as_text=True))


def test_reset_requests_are_limited_per_email(
    client: Any, db_session: Any, mailbox: Mailbox
) -> None:
    user = UserFactory(reviewer=True)
    for _ in range(3):
        assert post_form(client, "/forgot-password", {"email": user.email}).status_code == 302
    response = post_form(client, "/forgot-password", {"email": user.email})
    assert response.status_code == 429
    assert f'value="{user.email}"' in response.get_data(as_text=True)
    assert len(mailbox.messages(user.email)) == 3
    assert rate_limit_events(db_session)[0].meta["endpoint"] == "auth.forgot_password"


def test_reset_requests_are_limited_per_client_address(client: Any, db_session: Any) -> None:
    for n in range(5):
        response = post_form(client, "/forgot-password", {"email": f"x{n}@example.org"})
        assert response.status_code == 302
    assert post_form(client, "/forgot-password", {"email": "x5@example.org"}).status_code == 429


def test_the_limit_is_not_hit_by_pages_only_read(client: Any, db_session: Any) -> None:
    for _ in range(30):
        assert client.get("/sign-in").status_code == 200
