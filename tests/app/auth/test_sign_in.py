from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select

from app.audit import AuditEvent
from tests.app.conftest import owner_mark
from tests.factories import DEFAULT_PASSWORD, UserFactory


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client: Any, email: str, password: str) -> Any:
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})


def test_sign_in_and_out(client: Any, db_session: Any) -> None:
    user = UserFactory(email="focal@example.org")
    response = sign_in(client, "Focal@Example.org ", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert "focal@example.org" in client.get("/", follow_redirects=True).get_data(as_text=True)
    db_session.refresh(user)
    assert user.last_login_dt is not None

    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert "focal@example.org" not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_wrong_password_is_refused_and_audited(client: Any, db_session: Any) -> None:
    user = UserFactory()
    response = sign_in(client, user.email, "not the password")
    assert response.status_code == 200
    assert "not right" in response.get_data(as_text=True)
    events = db_session.scalars(select(AuditEvent).where(AuditEvent.summary == "Failed sign-in"))
    assert [e.user_id for e in events] == [user.id]


def test_inactive_user_cannot_sign_in(client: Any, db_session: Any) -> None:
    user = UserFactory(is_active=False)
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 200


def test_sign_in_without_csrf_token_is_refused(client: Any, db_session: Any) -> None:
    user = UserFactory()
    response = client.post("/sign-in", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    page = client.get("/sign-in").get_data(as_text=True)
    assert "The page had expired" in page
    assert user.email not in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_next_parameter_cannot_leave_the_site(client: Any, db_session: Any) -> None:
    user = UserFactory()
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in?next=//evil.example/x",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_the_page_shown_at_sign_in_has_a_working_csrf_token(
    app: Any, client: Any, db_session: Any
) -> None:
    """Signing in starts a new session; a form on the very page it answers with must still work
    (here the page offering to send again what was typed before the session ended)."""
    user = UserFactory()
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    kept = [["note", "kept"], ["page_owner", owner_mark(app, user)]]
    page = client.post(
        "/sign-in",
        data={
            "email": user.email,
            "password": DEFAULT_PASSWORD,
            "csrf_token": token,
            "replay": json.dumps(kept),
            "replay_to": "/sign-out",
        },
    ).get_data(as_text=True)
    assert 'name="note" value="kept"' in page
    response = client.post("/sign-out", data={"csrf_token": csrf_token(page), "note": "kept"})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert user.email not in client.get("/", follow_redirects=True).get_data(as_text=True)
