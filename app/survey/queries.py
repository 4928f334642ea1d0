"""What the survey pages show, loaded in a fixed, small number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import db
from app.auth.models import User
from app.campaigns.models import Campaign
from app.campaigns.operations import is_open
from app.permissions import may_edit_submission, submissions_in_scope
from app.survey import operations
from app.survey.models import Answer, Evidence, Submission
from app.survey.progress import (
    Problem,
    progress_of,
    section_progress,
    section_scope,
    visible_ids,
)
from questionnaires.answers import AnswerValue
from questionnaires.schema import Definition, Section


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
    values = _values_by_submission(submissions)
    return [
        {
            "submission": s,
            "definition": operations.definition_of(s),
            "open": is_open(s.campaign),
            "progress": section_progress(operations.definition_of(s), values.get(s.id, {})),
        }
        for s in submissions
    ]


def _values_by_submission(submissions: Any) -> dict[int, dict[str, AnswerValue]]:
    """Every answer of these submissions in one query, in normal form."""
    by_id = {s.id: s for s in submissions}
    rows: list[Answer] = []
    if by_id:
        rows = list(db.session.scalars(select(Answer).where(Answer.submission_id.in_(by_id))))
    grouped: dict[int, dict[str, Answer]] = {}
    for row in rows:
        grouped.setdefault(row.submission_id, {})[row.question_id] = row
    return {
        sid: operations.answer_values(operations.definition_of(by_id[sid]), answers)
        for sid, answers in grouped.items()
    }


def overview_context(
    submission: Submission, user: User, problems: list[Problem] | None = None
) -> dict[str, Any]:
    definition = operations.definition_of(submission)
    answers = operations.load_answers(submission, evidence=False)
    values = operations.answer_values(definition, answers)
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
    answers: Mapping[str, Answer] | Mapping[str, operations.AnswerRecord],
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


def get_evidence(submission: Submission, evidence_id: int) -> Evidence | None:
    return db.session.scalar(
        select(Evidence)
        .join(Evidence.answer)
        .where(Evidence.id == evidence_id, Answer.submission_id == submission.id)
    )
