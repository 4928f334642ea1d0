"""Jobs in the test database, with a runner that only records what it was given."""

from __future__ import annotations

from typing import Any

import pytest

from app.jobs.runners import RUNNER_KEY
from app.survey.models import SubmissionStatus
from tests.app.conftest import campaign_submissions
from tests.factories import AnswerFactory


class RecordingRunner:
    """Stands in for the process pool or RQ: the jobs handed over, in order."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, app: Any, job_id: int) -> None:
        self.submitted.append(job_id)


@pytest.fixture
def runner(app: Any, monkeypatch: pytest.MonkeyPatch) -> RecordingRunner:
    recording = RecordingRunner()
    monkeypatch.setitem(app.extensions, RUNNER_KEY, recording)
    return recording


@pytest.fixture
def published(campaign: Any) -> list[Any]:
    """Both countries' submissions answered and published."""
    submissions = campaign_submissions(campaign)
    for submission in submissions:
        AnswerFactory(submission=submission, question_id="legal.law.exists", value="yes")
        submission.status = SubmissionStatus.PUBLISHED
    return submissions
