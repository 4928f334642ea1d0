"""Progress and completeness of a submission: what is answered, what is still required."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from questionnaires.answers import AnswerValue
from questionnaires.plan import compiled
from questionnaires.schema import NOT_APPLICABLE, Definition, EvidenceRule, Question, Section
from questionnaires.types import TYPES


@dataclass(frozen=True)
class SectionProgress:
    section_id: str
    answered: int  # visible questions with an answer
    required_open: int  # visible required questions still without one
    required: int
    total: int  # visible questions

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


@dataclass(frozen=True)
class Problem:
    """Something that stops a submission: a missing answer or missing evidence."""

    section_id: str
    question_id: str
    kind: str  # "answer_required" or "evidence_required"


def visible_ids(definition: Definition, values: Mapping[str, AnswerValue]) -> frozenset[str]:
    """The questions shown for `values`, by the definition's compiled plan.

    Right for every question whose scope (`section_scope`) `values` covers.
    """
    return compiled(definition).visible(values)


def section_scope(definition: Definition, section: Section) -> frozenset[str]:
    """The questions whose answers decide what a section's page shows: its own, and those its
    conditions read, and those theirs read, and so on. A page reads these answers only."""
    return compiled(definition).section_scope(section.id)


def progress_of(
    section: Section, values: Mapping[str, AnswerValue], visible: frozenset[str]
) -> SectionProgress:
    """One section's figures; `values` and `visible` must cover its scope (`section_scope`)."""
    shown = [
        q for q in section.questions() if q.id in visible and TYPES[q.type].counts_toward_progress
    ]
    required = [q for q in shown if q.required]
    return SectionProgress(
        section_id=section.id,
        answered=sum(1 for q in shown if q.id in values),
        required_open=sum(1 for q in required if q.id not in values),
        required=len(required),
        total=len(shown),
    )


def section_progress(
    definition: Definition, values: Mapping[str, AnswerValue]
) -> list[SectionProgress]:
    """Every section's figures, from all of a submission's answers."""
    visible = visible_ids(definition, values)
    return [progress_of(section, values, visible) for section in definition.sections]


def is_positive(question: Question, value: AnswerValue | None) -> bool:
    """Whether an answer claims something that evidence should back: its type decides (yes and
    partial, a choice worth something, a number reaching a scoring threshold, a level of 2 or
    more, any answer to a text, date or URL question)."""
    if value is None or value == NOT_APPLICABLE:
        return False
    return TYPES[question.type].is_positive(question, value)


def evidence_required(question: Question, value: AnswerValue | None) -> bool:
    rule = question.evidence.rule
    if rule is EvidenceRule.REQUIRED:
        return value != NOT_APPLICABLE
    return rule is EvidenceRule.REQUIRED_IF_POSITIVE and is_positive(question, value)


def submission_problems(
    definition: Definition,
    values: Mapping[str, AnswerValue],
    evidence_counts: Mapping[str, int],
) -> list[Problem]:
    """Every required answer and required evidence still missing, in questionnaire order."""
    visible = visible_ids(definition, values)
    problems = []
    for section in definition.sections:
        for question in section.questions():
            if question.id not in visible:
                continue
            value = values.get(question.id)
            if question.required and value is None:
                problems.append(Problem(section.id, question.id, "answer_required"))
            elif evidence_required(question, value) and not evidence_counts.get(question.id):
                problems.append(Problem(section.id, question.id, "evidence_required"))
    return problems
