"""Submitting: every required answer and evidence first, then locked; a double click is harmless."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.survey.models import SubmissionStatus
from tests.app.conftest import csrf_token, login, page_form


def fill(client: Any, submission: Any, section: str, answers: dict[str, Any]) -> None:
    url = f"/survey/{submission.id}/{section}"
    _, hidden = page_form(client, url)
    response = client.post(url, data={**hidden, **answers})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]


def submit(client: Any, submission: Any) -> Any:
    token = csrf_token(client.get(f"/survey/{submission.id}/").get_data(as_text=True))
    return client.post(f"/survey/{submission.id}/submit", data={"csrf_token": token})


def test_submit_lists_what_is_missing_then_locks_when_complete(
    client: Any, db_session: Any, submission: Any, focal_point: Any
) -> None:
    login(client, focal_point)
    fill(client, submission, "legal", {"legal.law.exists": "yes", "legal.law.offences": ["access"]})
    fill(
        client,
        submission,
        "technical",
        {"technical.cirt.exists": "no", "technical.cirt.kind": "gov"},
    )

    response = submit(client, submission)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "evidence is required for this answer" in text
    assert f"/survey/{submission.id}/legal#q-legal.law.exists" in text
    assert "technical.cirt.staff" not in text  # hidden: the CIRT does not exist

    fill(
        client,
        submission,
        "legal",
        {  # a browser sends the whole page again
            "legal.law.exists": "yes",
            "legal.law.offences": ["access"],
            "link:legal.law.exists": "https://law.example.gov/cc",
        },
    )
    assert submit(client, submission).status_code == 302
    db_session.refresh(submission)
    assert submission.status is SubmissionStatus.SUBMITTED

    assert submit(client, submission).status_code == 302  # the second click
    events = db_session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.summary == "Submission submitted for review")
    )
    assert events == 1

    # Locked: the page is read-only and saving is refused without losing the input.
    url = f"/survey/{submission.id}/legal"
    _, hidden = page_form(client, url)
    refused = client.post(
        url, data={**hidden, "legal.law.exists": "no", "legal.law.remarks": "kept"}
    )
    assert refused.status_code == 409
    assert "kept</textarea>" in refused.get_data(as_text=True)


def test_missing_required_answer_is_listed(client: Any, submission: Any, focal_point: Any) -> None:
    login(client, focal_point)
    fill(client, submission, "legal", {"legal.law.exists": "no"})
    text = submit(client, submission).get_data(as_text=True)
    assert "an answer is required" in text
    assert "#q-legal.law.offences" in text
    assert "#q-technical.cirt.exists" in text
