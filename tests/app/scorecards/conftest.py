"""Scorecards from primitives (no database), and reading the PDFs back."""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import os
import random
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app import db
from app.campaigns.operations import create_campaign
from app.db import utcnow
from app.demo.answers import generate_answers
from app.survey.models import SubmissionStatus
from questionnaires.answers import parse_answers
from questionnaires.loader import definition_from_json, get_definition
from questionnaires.schema import Definition
from scoring import benchmark, score
from tests.app.conftest import DEFINITION
from tests.factories import AnswerFactory

NATIONAL = "national-cybersecurity"
CIRT = "cirt-maturity"


@cache
def shipped(questionnaire_id: str) -> Definition:
    return get_definition(questionnaire_id)


def answers_for(definition: Definition, maturity: float, seed: int = 7) -> dict[str, Any]:
    """A full, plausible answer set (the demo data's generator), normalised."""
    return parse_answers(definition, generate_answers(definition, maturity, random.Random(seed)))  # noqa: S311


def peer_benchmark(definition: Definition, region: str, count: int = 4) -> Any:
    """Benchmarks over `count` made-up countries, all in `region`."""
    profiles = [
        score(definition, answers_for(definition, 0.2 + 0.15 * i, seed=100 + i), f"P{i:02d}")
        for i in range(count)
    ]
    return benchmark(profiles, lambda _profile: region)


class Pdf:
    """A rendered PDF, read once: its pages' text and the fonts it embeds."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [page.extract_text() for page in self.reader.pages]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def fonts(self) -> set[str]:
        """Embedded font names without the subset prefix (`ABCDEF+Noto-Sans` -> `Noto-Sans`)."""
        names = set()
        for page in self.reader.pages:
            fonts = page["/Resources"].get_object().get("/Font", {})
            for font in fonts.values():
                names.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"])[1:]))
        return names

    def images(self) -> int:
        return sum(len(page.images) for page in self.reader.pages)

    def footer(self, index: int) -> str:
        """The last line of a page's text: the page numbers in the bottom margin."""
        return self.pages[index].strip().splitlines()[-1]


RenderOnce = Callable[[str, Callable[[], bytes]], Pdf]


@pytest.fixture(scope="session")
def render_once(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> RenderOnce:
    """`render_once(name, produce)`: the PDF `produce()` renders, made once per test run and
    shared by every xdist worker (renders take seconds; assertions on them take none)."""
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    read: dict[str, Pdf] = {}

    def get(name: str, produce: Callable[[], bytes]) -> Pdf:
        if name not in read:
            path = shared / f"scorecard-{name}.pdf"
            with (shared / f"scorecard-{name}.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not path.exists():
                    temporary = path.with_suffix(".partial")
                    temporary.write_bytes(produce())
                    os.replace(temporary, path)
            read[name] = Pdf(path.read_bytes())
        return read[name]

    return get


@pytest.fixture
def isolated_cache(app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cached PDFs in this test's own folder: ids are reused after a rolled-back test."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path / "cache" / "scorecards"


# --- Submissions in the database ---

#: Answers to the small test questionnaire (tests/app/conftest.py).
ANSWERS: dict[str, Any] = {
    "legal.law.exists": "yes",
    "legal.law.offences": ["access"],
    "technical.cirt.exists": "yes",
    "technical.cirt.staff": 12,
    "technical.cirt.kind": "gov",
}


def give_answers(
    submission: Any, values: dict[str, Any], status: SubmissionStatus | None = None
) -> Any:
    """Store answer rows as they are kept (any campaign, open or not), as one new revision."""
    for question_id, value in values.items():
        AnswerFactory(submission=submission, question_id=question_id, value=value)
    submission.revision += 1
    submission.updated_dt = utcnow()
    if status is not None:
        submission.status = status
        submission.validated_dt = utcnow()
    db.session.flush()
    return submission


def new_campaign(title: str, opens_on: dt.date, closes_on: dt.date) -> Any:
    return create_campaign(definition_from_json(DEFINITION), title, opens_on, closes_on)
