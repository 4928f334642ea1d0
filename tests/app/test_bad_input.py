"""Regressions of input that once answered 500: ids past a database integer, JSON bodies sent to
forms, answer versions in other digits or of thousands of digits."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.app.conftest import login, page_form

HUGE = [2**31, 2**63, 2**64 + 1, 10**40]


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    "url",
    [
        "/survey/{n}/",
        "/survey/{n}/legal",
        "/survey/{sub}/evidence/{n}",
        "/scorecards/{n}/",
        "/scorecards/{n}/scorecard-en.pdf",
        "/downloads/{n}",
        "/downloads/{n}/status",
    ],
)
def test_an_id_past_any_integer_column_is_not_found(
    client: Any, submission: Any, focal_point: Any, url: str, number: int
) -> None:
    login(client, focal_point)
    response = client.get(url.format(n=number, sub=submission.id))
    assert response.status_code == 404


@pytest.mark.parametrize("body", [[], [1, 2], [["email", "x"]], "text", 3, None, {"a": [{}]}])
@pytest.mark.parametrize("url", ["/sign-in", "/survey/{sub}/legal", "/downloads/scorecards"])
def test_a_json_body_sent_to_a_form_is_no_data(
    app: Any, client: Any, submission: Any, focal_point: Any, monkeypatch: Any, url: str, body: Any
) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    if url != "/sign-in":
        login(client, focal_point)
    response = client.post(
        url.format(sub=submission.id), data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (200, 302, 401, 422)


@pytest.mark.parametrize("version", ["²", "٣", "9" * 5000, "-1", "1e3", " 1", ""])
def test_a_version_that_is_no_whole_number_counts_as_none(
    client: Any, db_session: Any, submission: Any, focal_point: Any, version: str
) -> None:
    login(client, focal_point)
    url = f"/survey/{submission.id}/legal"
    _, hidden = page_form(client, url)
    token = hidden["csrf_token"]
    removal = client.post(url, data={**hidden, "remove_evidence": version})
    assert removal.status_code == 404
    saved = client.post(
        f"{url}/autosave",
        data={"v:legal.law.exists": version, "legal.law.exists": "yes"},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert saved.status_code == 200
    page = client.post(
        url, data={**hidden, "v:legal.law.exists": version, "legal.law.exists": "no"}
    )
    assert page.status_code in (302, 409)  # saved, or a conflict with the version just saved
