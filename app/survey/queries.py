"""Reading the survey: a submission, its answers and evidence, and what the survey pages show,
each in a fixed, small number of queries.

Nothing here writes: the writes are in `operations`, which reads through this module (never the
other way). Other features read answers through `submission_answers` and `values_by_submission`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import Select, and_, bindparam, inspect, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app import db
from app.auth.models import User
from app.campaigns.models import Campaign
from app.campaigns.operations import campaign_definition, is_open
from app.permissions import may_edit_submission, submissions_in_scope
from app.survey import storage
from app.survey.models import Answer, Evidence, EvidenceKind, Submission
from app.survey.progress import (
    Problem,
    progress_of,
    section_progress,
    section_scope,
    visible_ids,
)
from questionnaires.answers import AnswerError, AnswerValue, normalize_answer
from questionnaires.schema import Definition, Section

logger = logging.getLogger(__name__)

#: The submission with its campaign and country, which every survey page shows.
SUBMISSION_WITH_CAMPAIGN = (
    select(Submission)
    .options(joinedload(Submission.campaign), joinedload(Submission.country))
    .where(Submission.id == bindparam("submission_id"))
)


def get_submission(submission_id: int) -> Submission | None:
    """The submission with its campaign and country, which every survey page shows, in one query."""
    return db.session.scalar(SUBMISSION_WITH_CAMPAIGN, {"submission_id": submission_id})


def definition_of(submission: Submission) -> Definition:
    return campaign_definition(submission.campaign)


# --- Answers ---


def load_answers(submission: Submission, *, evidence: bool = True) -> dict[str, Answer]:
    """Every answer row of the submission with its evidence, in two queries (one without).

    The evidence is fetched by submission and handed to its answers here, which is what
    `selectinload` does, at a fraction of the cost (it lists every answer's id in the query).
    Without `evidence` (saving, counting answers), `Answer.evidence` is left to load on access.
    """
    rows = db.session.scalars(select(Answer).where(Answer.submission_id == submission.id)).all()
    if not evidence:
        return {row.question_id: row for row in rows}
    items = db.session.scalars(
        select(Evidence)
        .join(Evidence.answer)
        .where(Answer.submission_id == submission.id)
        .order_by(Evidence.id)  # the order of `Answer.evidence`
    )
    by_answer: dict[int, list[Evidence]] = {row.id: [] for row in rows}
    for item in items:
        by_answer.get(item.answer_id, []).append(item)
    for row in rows:
        if "evidence" not in inspect(row).dict:  # loaded already: kept, as a loader would
            set_committed_value(row, "evidence", by_answer[row.id])
    return {row.question_id: row for row in rows}


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """A piece of evidence as a page lists it."""

    id: int
    kind: EvidenceKind
    url: str | None
    original_name: str | None
    size: int | None
    is_deleted: bool = False


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """A stored answer as a page shows it: read as plain rows, without the ORM's bookkeeping,
    which costs a page of a hundred answers more than rendering it does."""

    id: int
    submission_id: int
    question_id: str
    version: int
    updated_dt: datetime
    value: Any
    evidence: list[EvidenceRecord]


def _answer_rows(dialect: str) -> Select[Any]:
    return (
        select(
            Answer.id,
            Answer.question_id,
            Answer.version,
            Answer.updated_dt,
            Answer.value,
            Evidence.id.label("evidence_id"),
            Evidence.kind,
            Evidence.url,
            Evidence.original_name,
            Evidence.size,
        )
        .outerjoin(
            Evidence,
            and_(
                Evidence.answer_id == Answer.id,
                db.is_among(Answer.question_id, "evidence_of", dialect),
                Evidence.is_deleted.is_(False),
            ),
        )
        .where(
            Answer.submission_id == bindparam("submission_id"),
            db.is_among(Answer.question_id, "question_ids", dialect),
        )
        .order_by(Answer.id, Evidence.id)
    )


#: Built once per kind of database: a statement's construction and cache key cost more than
#: running it again.
_ANSWER_ROWS = {dialect: _answer_rows(dialect) for dialect in ("sqlite", "postgresql")}


def read_answers(
    submission: Submission, question_ids: Collection[str], evidence_of: Collection[str]
) -> dict[str, AnswerRecord]:
    """The submission's answers to `question_ids`, for showing, with the evidence still attached
    to those in `evidence_of`: one query, an answer's row repeated per item of evidence."""
    rows = db.session.execute(
        _ANSWER_ROWS[db.session.get_bind().dialect.name],
        {
            "submission_id": submission.id,
            "question_ids": list(question_ids),
            "evidence_of": list(evidence_of),
        },
    )
    answers: dict[str, AnswerRecord] = {}
    for r in rows:
        record = answers.get(r.question_id)
        if record is None:
            record = answers[r.question_id] = AnswerRecord(
                r.id, submission.id, r.question_id, r.version, r.updated_dt, r.value, []
            )
        if r.evidence_id is not None:
            record.evidence.append(
                EvidenceRecord(r.evidence_id, r.kind, r.url, r.original_name, r.size)
            )
    return answers


def answer_values(
    definition: Definition, answers: Mapping[str, Answer] | Mapping[str, AnswerRecord]
) -> dict[str, AnswerValue]:
    """Stored values in their normal form (JSON turned tuples into lists), unanswered left out.

    A stored value that no longer fits its question (it cannot happen through the app) is left
    out and logged rather than breaking the page.
    """
    values: dict[str, AnswerValue] = {}
    for question_id, row in answers.items():
        question = definition.question_index.get(question_id)
        if question is None or row.value is None:
            continue
        try:
            value = normalize_answer(question, row.value)
        except AnswerError:
            logger.warning(
                "Stored answer %s of submission %s is invalid", question_id, row.submission_id
            )
            continue
        if value is not None:
            values[question_id] = value
    return values


def evidence_counts(answers: Mapping[str, Answer]) -> dict[str, int]:
    return {qid: sum(1 for e in row.evidence if not e.is_deleted) for qid, row in answers.items()}


class SubmissionAnswers(NamedTuple):
    """A submission's answers as other features read them (a scorecard, a score)."""

    values: dict[str, AnswerValue]  # in normal form, unanswered left out
    evidence: frozenset[str]  # the questions with evidence (not deleted)


def submission_answers(submission: Submission) -> SubmissionAnswers:
    """The submission's answers and which of them have evidence, in two queries."""
    rows = load_answers(submission)
    return SubmissionAnswers(
        answer_values(definition_of(submission), rows),
        frozenset(qid for qid, count in evidence_counts(rows).items() if count),
    )


def values_by_submission(
    definitions: Mapping[int, Definition],
) -> dict[int, dict[str, AnswerValue]]:
    """The answers of many submissions in one query (none for none): `definitions` gives each
    submission id its definition; a submission without answers is left out."""
    rows: list[Answer] = []
    if definitions:
        rows = list(
            db.session.scalars(select(Answer).where(Answer.submission_id.in_(list(definitions))))
        )
    grouped: dict[int, dict[str, Answer]] = {}
    for row in rows:
        grouped.setdefault(row.submission_id, {})[row.question_id] = row
    return {sid: answer_values(definitions[sid], answers) for sid, answers in grouped.items()}


# --- Evidence files ---


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def evidence_path(evidence: Evidence) -> Path:
    assert evidence.storage_key is not None  # noqa: S101 - only file evidence has a path
    return storage.path_for(upload_folder(), evidence.storage_key)


def get_evidence(submission: Submission, evidence_id: int) -> Evidence | None:
    return db.session.scalar(
        select(Evidence)
        .join(Evidence.answer)
        .where(Evidence.id == evidence_id, Answer.submission_id == submission.id)
    )


# --- What the pages show ---


def submission_rows(user: User) -> list[dict[str, Any]]:
    """The submissions a user may see, newest campaign first, with progress per section."""
    query = (
        select(Submission)
        .join(Submission.campaign)
        .where(submissions_in_scope(user))
        .options(joinedload(Submission.campaign), joinedload(Submission.country))
        .order_by(Campaign.opens_on.desc(), Submission.country_id)
    )
    submissions = db.session.scalars(query).all()
    values = values_by_submission({s.id: definition_of(s) for s in submissions})
    return [
        {
            "submission": s,
            "definition": definition_of(s),
            "open": is_open(s.campaign),
            "progress": section_progress(definition_of(s), values.get(s.id, {})),
        }
        for s in submissions
    ]


def overview_context(
    submission: Submission, user: User, problems: list[Problem] | None = None
) -> dict[str, Any]:
    definition = definition_of(submission)
    answers = load_answers(submission, evidence=False)
    values = answer_values(definition, answers)
    return {
        "submission": submission,
        "definition": definition,
        "progress": section_progress(definition, values),
        "editable": may_edit_submission(user, submission),
        "problems": problems or [],
        "sections": {s.id: s for s in definition.sections},
    }


def section_context(
    submission: Submission,
    definition: Definition,
    section: Section,
    answers: Mapping[str, Answer] | Mapping[str, AnswerRecord],
    values: dict[str, AnswerValue],
) -> dict[str, Any]:
    visible = visible_ids(definition, values)
    return {
        "submission": submission,
        "definition": definition,
        "section": section,
        "answers": answers,
        "visible": visible,
        "earlier_answers": earlier_answers(definition, section, values, visible),
        "progress": progress_of(section, values, visible),
        "evidence": {
            q.id: [e for e in answers[q.id].evidence if not e.is_deleted]
            for q in section.questions()
            if q.id in answers
        },
    }


def earlier_answers(
    definition: Definition,
    section: Section,
    values: Mapping[str, AnswerValue],
    visible: frozenset[str],
) -> dict[str, AnswerValue]:
    """The answers of other sections that the section's conditions read (directly or through
    other conditions), those shown only: the page's script starts from them, so it shows and
    hides questions as the server does."""
    own = {q.id for q in section.questions()}
    scope = section_scope(definition, section)
    return {qid: values[qid] for qid in sorted(scope - own) if qid in visible and qid in values}
