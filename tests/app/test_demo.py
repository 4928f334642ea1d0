from __future__ import annotations

from typing import Any

from app.demo.operations import load_demo_data
from app.transactions import transactional
from tests.app.auth.test_sign_in import sign_in


def test_printed_demo_logins_work(app: Any, client: Any) -> None:
    with app.app_context():
        logins = transactional(load_demo_data)()
    assert {login.role.value for login in logins} == {"admin", "reviewer", "focal_point"}
    for login in logins:
        response = sign_in(client, login.email, login.password)
        assert response.status_code == 302, login.email
        assert login.email in client.get("/", follow_redirects=True).get_data(as_text=True)
        client.delete_cookie("session")
