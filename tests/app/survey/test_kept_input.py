"""An expired token or session never throws away what was typed."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.app.conftest import csrf_token, login, page_form
from tests.factories import DEFAULT_PASSWORD


def hidden_fields(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)


def test_expired_csrf_token_keeps_the_answers_for_sending_again(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    url = f"/survey/{submission.id}/legal"
    _, hidden = page_form(client, url)
    remarks = "Une longue réponse <b>importante</b> & précise"
    data = {
        **hidden,
        "csrf_token": "expired-token",
        "legal.law.exists": "yes",
        "legal.law.remarks": remarks,
    }
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    fields = dict(hidden_fields(page))
    assert fields["legal.law.exists"] == "yes"
    assert "&lt;b&gt;importante&lt;/b&gt; &amp; précise" in page  # kept, and escaped
    token = csrf_token(page)
    resend = dict(hidden_fields(page))
    resend["legal.law.remarks"] = remarks
    resend["csrf_token"] = token
    assert client.post(url, data=resend).status_code == 302
    assert "importante" in client.get(url).get_data(as_text=True)


def test_signed_out_save_is_kept_through_signing_in_again(
    app: Any, client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    url = f"/survey/{submission.id}/legal"
    _, hidden = page_form(client, url)
    client.delete_cookie("session")  # the session ends while the page is open
    response = client.post(url, data={**hidden, "legal.law.exists": "partial"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    replay = re.search(r'name="replay" type="hidden" value="([^"]*)"', page)
    assert replay, page
    token = csrf_token(page)
    kept = json.loads(replay.group(1).replace("&#34;", '"').replace("&quot;", '"'))
    assert ["legal.law.exists", "partial"] in kept

    signed_in = client.post(
        "/sign-in",
        data={
            "email": focal_point.email,
            "password": DEFAULT_PASSWORD,
            "csrf_token": token,
            "replay": json.dumps(kept),
            "replay_to": url,
        },
    )
    page = signed_in.get_data(as_text=True)
    assert signed_in.status_code == 200
    assert f'action="{url}"' in page
    resend = dict(hidden_fields(page))
    assert resend["legal.law.exists"] == "partial"
    assert client.post(url, data=resend).status_code == 302


def test_a_page_too_large_to_read_gets_a_friendly_answer(
    app: Any, client: Any, submission: Any, focal_point: Any, monkeypatch: Any
) -> None:
    login(client, focal_point)
    url = f"/survey/{submission.id}/legal"
    _, hidden = page_form(client, url)
    monkeypatch.setitem(app.config, "MAX_FORM_MEMORY_SIZE", 1000)
    response = client.post(
        url,
        data={**hidden, "legal.law.remarks": "x" * 5000},
        content_type="multipart/form-data",  # as the page's form sends it
    )
    assert response.status_code == 413
    assert "Back button" in response.get_data(as_text=True)


# --- What is kept must come from the user's own page, never from another site ---

ATTACK = {"legal.law.exists": "no", "legal.law.remarks": "Planted by another site"}


def replay_of(page: str) -> list[Any] | None:
    found = re.search(r'name="replay" type="hidden" value="([^"]*)"', page)
    if not found or not found.group(1):
        return None
    kept: list[Any] = json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"'))
    return kept


def sign_in_with(client: Any, user: Any, page: str, url: str) -> Any:
    return client.post(
        "/sign-in",
        data={
            "email": user.email,
            "password": DEFAULT_PASSWORD,
            "csrf_token": csrf_token(page),
            "replay": json.dumps(replay_of(page) or []),
            "replay_to": url,
        },
    )


def stored_remarks(client: Any, url: str) -> bool:
    return "Planted by another site" in client.get(url).get_data(as_text=True)


def test_a_cross_site_post_while_signed_out_keeps_nothing(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    """The victim's browser sends another site's form without the session cookie (SameSite);
    signing in afterwards offers nothing to send again, and nothing is saved."""
    url = f"/survey/{submission.id}/legal"
    response = client.post(url, data=ATTACK, headers={"Sec-Fetch-Site": "cross-site"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert replay_of(page) is None
    assert "Planted" not in page
    signed_in = sign_in_with(client, focal_point, page, url)
    assert signed_in.status_code == 302
    assert not stored_remarks(client, url)


def test_fields_carrying_someone_elses_page_mark_are_not_offered_to_the_victim(
    app: Any, client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    """An attacker with an account of their own can mark a form as theirs, not as the victim's."""
    from tests.app.conftest import owner_mark
    from tests.factories import UserFactory

    attacker = UserFactory(role=focal_point.role, country=focal_point.country)
    url = f"/survey/{submission.id}/legal"
    planted = {**ATTACK, "page_owner": owner_mark(app, attacker)}
    page = client.post(url, data=planted).get_data(as_text=True)
    assert replay_of(page) is not None  # kept until we know who signs in
    signed_in = sign_in_with(client, focal_point, page, url)
    assert signed_in.status_code == 302  # to the page, with nothing to send again
    assert "Planted" not in signed_in.get_data(as_text=True)
    assert not stored_remarks(client, url)


def test_a_post_without_a_valid_token_while_signed_in_offers_nothing_to_send_again(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    url = f"/survey/{submission.id}/legal"
    response = client.post(url, data=ATTACK, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 400
    assert "Planted" not in response.get_data(as_text=True)
    assert 'name="legal.law.remarks"' not in response.get_data(as_text=True)
    assert not stored_remarks(client, url)
