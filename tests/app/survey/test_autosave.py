"""Autosave: one answer at a time, as JSON, with the same rules as the page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.survey.models import Answer
from tests.app.conftest import login, page_form
from tests.factories import UserFactory

JSON = {"Accept": "application/json"}


def autosave_url(submission: Any, section: str = "legal") -> str:
    return f"/survey/{submission.id}/{section}/autosave"


def post(client: Any, submission: Any, token: str, data: dict[str, Any]) -> Any:
    return client.post(autosave_url(submission), data=data, headers={**JSON, "X-CSRFToken": token})


def test_autosave_saves_one_answer_and_returns_its_version(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, f"/survey/{submission.id}/legal")
    response = post(
        client,
        submission,
        hidden["csrf_token"],
        {"v:legal.law.exists": "0", "legal.law.exists": "yes"},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["versions"] == {"legal.law.exists": 1}
    assert "saved_at" in body
    legal = body["progress"]  # the section's
    assert legal["section_id"] == "legal"
    assert legal["answered"] == 1
    # The page's progress bar, as the page itself would now show it.
    page, _ = page_form(client, f"/survey/{submission.id}/legal")
    start = page.index("data-section-progress>") + len("data-section-progress>")
    assert page[start:].lstrip().startswith(body["progress_html"].strip())
    assert f'value="{legal["answered"]}"' in body["progress_html"]
    # The next change starts from the version it got back.
    again = post(
        client,
        submission,
        hidden["csrf_token"],
        {"v:legal.law.exists": "1", "legal.law.exists": "partial"},
    )
    assert again.get_json()["versions"] == {"legal.law.exists": 2}


def test_autosave_conflict_returns_both_values(
    app: Any, client: Any, db_session: Any, submission: Any, focal_point: Any, country: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, f"/survey/{submission.id}/legal")
    other = app.test_client()
    login(other, UserFactory(country=country))
    _, other_hidden = page_form(other, f"/survey/{submission.id}/legal")
    post(
        other,
        submission,
        other_hidden["csrf_token"],
        {"v:legal.law.exists": "0", "legal.law.exists": "no"},
    )
    response = post(
        client,
        submission,
        hidden["csrf_token"],
        {"v:legal.law.exists": "0", "legal.law.exists": "yes"},
    )
    assert response.status_code == 409
    conflict = response.get_json()["conflicts"][0]
    assert (conflict["yours"], conflict["theirs"], conflict["their_version"]) == ("yes", "no", 1)
    stored = db_session.scalar(select(Answer.value).where(Answer.question_id == "legal.law.exists"))
    assert stored == "no"


def test_autosave_rejects_an_invalid_answer_with_a_message(
    client: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    _, hidden = page_form(client, f"/survey/{submission.id}/legal")
    response = post(
        client,
        submission,
        hidden["csrf_token"],
        {"v:legal.law.adopted": "0", "legal.law.adopted": "31/02/2024"},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"legal.law.adopted": ["Enter a date as YYYY-MM-DD."]}


def test_autosave_with_an_expired_token_asks_for_a_new_one(
    client: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    response = post(
        client, submission, "expired", {"v:legal.law.exists": "0", "legal.law.exists": "yes"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "csrf"
    token = client.get("/csrf-token", headers=JSON).get_json()["csrf_token"]
    again = post(client, submission, token, {"v:legal.law.exists": "0", "legal.law.exists": "yes"})
    assert again.status_code == 200


def test_autosave_when_signed_out_says_so_in_json(client: Any, submission: Any) -> None:
    response = client.post(autosave_url(submission), data={"legal.law.exists": "yes"}, headers=JSON)
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] in ("csrf", "signed_out")
