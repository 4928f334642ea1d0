"""Filling in a submission: saving answers without losing anyone's work, evidence, submitting.

Views, the API and the demo data all call these; they flush but never commit.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import Select, and_, bindparam, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app import audit, db
from app.audit import AuditKind
from app.auth.models import User
from app.campaigns.operations import campaign_definition, is_open
from app.db import utcnow
from app.survey import storage
from app.survey.models import Answer, Evidence, EvidenceKind, Submission, SubmissionStatus
from app.survey.progress import Problem, submission_problems
from questionnaires.answers import AnswerError, AnswerValue, normalize_answer
from questionnaires.schema import Definition, Question

logger = logging.getLogger(__name__)

EDITABLE_STATUSES = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})


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


def is_editable(submission: Submission) -> bool:
    return submission.status in EDITABLE_STATUSES and is_open(submission.campaign)


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


#: The submission with its campaign and country, which every survey page shows.
_SUBMISSION = (
    select(Submission)
    .options(joinedload(Submission.campaign), joinedload(Submission.country))
    .where(Submission.id == bindparam("submission_id"))
)


def reload_for_saving(
    submission: Submission, answers: dict[str, Answer], question_ids: Iterable[str]
) -> None:
    """Read again what `save_answers` checks, when it saves in a transaction of its own after one
    that read: the submission with its campaign (still editable?), and into `answers` the rows of
    `question_ids` (changed, or created, by someone meanwhile?). Two queries."""
    db.session.execute(
        _SUBMISSION.execution_options(populate_existing=True), {"submission_id": submission.id}
    )
    rows = db.session.scalars(
        select(Answer)
        .where(Answer.submission_id == submission.id, Answer.question_id.in_(list(question_ids)))
        .execution_options(populate_existing=True)
    )
    answers.update({row.question_id: row for row in rows})


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


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def evidence_path(evidence: Evidence) -> Path:
    assert evidence.storage_key is not None  # noqa: S101 - only file evidence has a path
    return storage.path_for(upload_folder(), evidence.storage_key)


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


def evidence_counts(answers: Mapping[str, Answer]) -> dict[str, int]:
    return {qid: sum(1 for e in row.evidence if not e.is_deleted) for qid, row in answers.items()}


def get_submission(submission_id: int) -> Submission | None:
    """The submission with its campaign and country, which every survey page shows, in one query."""
    return db.session.scalar(_SUBMISSION, {"submission_id": submission_id})


def definition_of(submission: Submission) -> Definition:
    return campaign_definition(submission.campaign)
