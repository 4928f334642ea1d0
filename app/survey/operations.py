"""Filling in a submission: saving answers without losing anyone's work, evidence, submitting.

Views, the API and the demo data all call these; they flush but never commit. What they read,
they read through `queries`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit, db
from app.audit import AuditKind
from app.auth.models import User
from app.db import utcnow
from app.survey import storage
from app.survey.editing import is_editable
from app.survey.models import Answer, Evidence, EvidenceKind, Submission, SubmissionStatus
from app.survey.progress import Problem, submission_problems
from app.survey.queries import (
    SUBMISSION_WITH_CAMPAIGN,
    answer_values,
    definition_of,
    evidence_counts,
    load_answers,
    upload_folder,
)
from questionnaires.answers import AnswerValue
from questionnaires.schema import Question

logger = logging.getLogger(__name__)


class NotEditableError(Exception):
    """The submission is locked (submitted, validated, published) or its campaign is closed."""


@dataclass(frozen=True)
class Conflict:
    """Someone saved this answer since the editor loaded it; both values are kept for the choice."""

    question_id: str
    yours: Any
    theirs: Any
    their_version: int
    updated_by: str | None
    updated_dt: datetime | None


class ConflictError(Exception):
    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__(", ".join(c.question_id for c in conflicts))


def reload_for_saving(
    submission: Submission, answers: dict[str, Answer], question_ids: Iterable[str]
) -> None:
    """Read again what `save_answers` checks, when it saves in a transaction of its own after one
    that read: the submission with its campaign (still editable?), and into `answers` the rows of
    `question_ids` (changed, or created, by someone meanwhile?). Two queries."""
    db.session.execute(
        SUBMISSION_WITH_CAMPAIGN.execution_options(populate_existing=True),
        {"submission_id": submission.id},
    )
    rows = db.session.scalars(
        select(Answer)
        .where(Answer.submission_id == submission.id, Answer.question_id.in_(list(question_ids)))
        .execution_options(populate_existing=True)
    )
    answers.update({row.question_id: row for row in rows})


def _to_json(value: AnswerValue | None) -> Any:
    return list(value) if isinstance(value, tuple) else value


def save_answers(
    submission: Submission,
    values: Mapping[str, AnswerValue | None],
    base_versions: Mapping[str, int],
    user: User,
    *,
    answers: dict[str, Answer] | None = None,
) -> dict[str, Answer]:
    """Save several answers at once, all or nothing.

    `base_versions` holds, per question, the version the editor started from (0: no answer yet).
    An answer changed by someone else since then is a conflict unless both now say the same;
    any conflict raises ConflictError and nothing is saved.
    """
    if not is_editable(submission):
        raise NotEditableError
    answers = load_answers(submission, evidence=False) if answers is None else answers
    changed = {qid: v for qid, v in values.items() if _differs(answers.get(qid), v)}
    conflicts = [
        _conflict(qid, value, answers[qid])
        for qid, value in changed.items()
        if qid in answers and _changed_since(answers[qid], base_versions.get(qid, 0))
    ]
    conflicts += [
        Conflict(qid, value, None, 0, None, None)
        for qid, value in changed.items()
        if qid not in answers and base_versions.get(qid, 0) != 0
    ]
    if conflicts:
        raise ConflictError(conflicts)
    for question_id, value in changed.items():
        answers[question_id] = _write(
            submission, answers.get(question_id), question_id, value, user
        )
    if changed:
        _touch(submission)
        _flush_or_conflict(changed, values)
    return answers


def _changed_since(row: Answer, base_version: int) -> bool:
    # A row without a value (created to hold evidence) has nobody's answer to overwrite.
    return row.version != base_version and row.value is not None


def _differs(row: Answer | None, value: AnswerValue | None) -> bool:
    current = row.value if row is not None else None
    return bool(current != _to_json(value))


def _conflict(question_id: str, yours: Any, row: Answer) -> Conflict:
    return Conflict(
        question_id=question_id,
        yours=_to_json(yours),
        theirs=row.value,
        their_version=row.version,
        updated_by=row.updated_by.email if row.updated_by else None,
        updated_dt=row.updated_dt,
    )


def _write(
    submission: Submission, row: Answer | None, question_id: str, value: Any, user: User
) -> Answer:
    old = row.value if row is not None else None
    if row is None:
        row = Answer(submission=submission, question_id=question_id)
        db.session.add(row)
    row.value = _to_json(value)
    row.updated_by = user
    row.updated_dt = utcnow()
    audit.record(
        "survey",
        f"Answer to {question_id} changed",
        user_id=user.id,
        country_id=submission.country_id,
        submission_id=submission.id,
        data={"question": question_id},
        meta={"question_id": question_id, "old": old, "new": row.value},
    )
    return row


def _touch(submission: Submission) -> None:
    """A new revision: anything derived from the answers (scorecards) is out of date."""
    submission.revision += 1
    submission.updated_dt = utcnow()


def _flush_or_conflict(changed: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """Two people creating or changing the same answer at the same moment: one of them wins,
    the other gets a conflict instead of an error page."""
    from sqlalchemy.orm.exc import StaleDataError

    try:
        with db.session.begin_nested():
            db.session.flush()
    except (IntegrityError, StaleDataError) as exc:
        raise ConflictError(
            [Conflict(qid, _to_json(values[qid]), None, 0, None, None) for qid in changed]
        ) from exc


# --- Evidence ---


def _answer_row(submission: Submission, question: Question, user: User) -> Answer:
    """The answer that evidence hangs on, created empty if the question is not answered yet."""
    row = db.session.scalar(
        select(Answer).where(
            Answer.submission_id == submission.id, Answer.question_id == question.id
        )
    )
    if row is None:
        row = Answer(submission=submission, question_id=question.id, value=None, updated_by=user)
        db.session.add(row)
        db.session.flush()
    return row


def add_link(submission: Submission, question: Question, url: str, user: User) -> Evidence:
    if not is_editable(submission):
        raise NotEditableError
    row = _answer_row(submission, question, user)
    evidence = Evidence(answer=row, kind=EvidenceKind.LINK, url=url, created_by_id=user.id)
    return _record_evidence(submission, evidence, user, f"Link added to {question.id}")


def add_file(
    submission: Submission, question: Question, stream: BinaryIO, filename: str, user: User
) -> Evidence:
    """Store an uploaded file as evidence; storage.UploadRejectedError for a file we refuse."""
    if not is_editable(submission):
        raise NotEditableError
    stored = storage.store_upload(
        stream, upload_folder(), current_app.config["MAX_UPLOAD_SIZE"], filename
    )
    row = _answer_row(submission, question, user)
    evidence = Evidence(
        answer=row,
        kind=EvidenceKind.FILE,
        storage_key=stored.key,
        original_name=_clean_name(filename),
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        created_by_id=user.id,
    )
    return _record_evidence(submission, evidence, user, f"File added to {question.id}")


def _record_evidence(
    submission: Submission, evidence: Evidence, user: User, summary: str
) -> Evidence:
    db.session.add(evidence)
    _touch(submission)
    db.session.flush()
    audit.record(
        "survey",
        summary,
        kind=AuditKind.POSITIVE,
        user_id=user.id,
        country_id=submission.country_id,
        submission_id=submission.id,
        data={"name": evidence.original_name or evidence.url},
        meta={"evidence_id": evidence.id, "sha256": evidence.sha256},
    )
    return evidence


def remove_evidence(submission: Submission, evidence: Evidence, user: User) -> None:
    """Mark evidence deleted; the file stays until the submission is purged, for the trail."""
    if not is_editable(submission):
        raise NotEditableError
    if evidence.is_deleted:
        return  # a second click, or a replayed request: nothing more to do
    evidence.is_deleted = True
    evidence.deleted_dt = utcnow()
    _touch(submission)
    audit.record(
        "survey",
        f"Evidence removed from {evidence.answer.question_id}",
        kind=AuditKind.NEGATIVE,
        user_id=user.id,
        country_id=submission.country_id,
        submission_id=submission.id,
        data={"name": evidence.original_name or evidence.url},
        meta={"evidence_id": evidence.id},
    )


def _clean_name(filename: str) -> str:
    """The user's file name as data: path parts and control characters removed, length bounded."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip() or "evidence"
    return name[-255:]


class SubmissionIncompleteError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


def submit(submission: Submission, user: User) -> bool:
    """Lock the submission for review if nothing is missing; False if it already was submitted.

    A second click on "Submit" (or a replayed request) changes nothing and records nothing.
    """
    if submission.status is SubmissionStatus.SUBMITTED:
        return False
    if not is_editable(submission):
        raise NotEditableError
    definition = definition_of(submission)
    answers = load_answers(submission)
    problems = submission_problems(
        definition, answer_values(definition, answers), evidence_counts(answers)
    )
    if problems:
        raise SubmissionIncompleteError(problems)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_dt = utcnow()
    audit.record(
        "survey",
        "Submission submitted for review",
        kind=AuditKind.POSITIVE,
        user_id=user.id,
        country_id=submission.country_id,
        submission_id=submission.id,
        meta={"revision": submission.revision},
    )
    return True
