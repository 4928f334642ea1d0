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
