"""Progress and completeness of a submission: what is answered, what is still required."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from questionnaires.answers import AnswerValue
from questionnaires.conditions import Visibility
from questionnaires.schema import NOT_APPLICABLE, Definition, EvidenceRule, Question, QuestionType


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


#: Each definition's `show_if` rules compiled once (by object: definitions in use are shared,
#: see `campaign_definition`), with its question ids in document order. Bounded, for callers
#: that parse definitions of their own.
_MAX_VISIBILITIES = 64
_visibilities: dict[int, tuple[Definition, Visibility, tuple[str, ...]]] = {}


def visible_ids(definition: Definition, values: Mapping[str, AnswerValue]) -> frozenset[str]:
    """The questions shown for `values`: `questionnaires.conditions.visible_question_ids`,
    without compiling the definition's conditions again on every call."""
    entry = _visibilities.get(id(definition))
    if entry is None or entry[0] is not definition:
        pairs = [(q.id, q.show_if) for q in definition.questions()]
        entry = (definition, Visibility(pairs), tuple(qid for qid, _ in pairs))
        if len(_visibilities) >= _MAX_VISIBILITIES:
            _visibilities.clear()
        _visibilities[id(definition)] = entry
    hidden = entry[1].hidden(values)
    return frozenset(qid for qid in entry[2] if qid not in hidden)


def section_progress(
    definition: Definition,
    values: Mapping[str, AnswerValue],
    visible: frozenset[str] | None = None,
) -> list[SectionProgress]:
    """Per section; `visible` saves computing it again when the caller already has it."""
    if visible is None:
        visible = visible_ids(definition, values)
    result = []
    for section in definition.sections:
        shown = [q for q in section.questions() if q.id in visible]
        required = [q for q in shown if q.required]
        result.append(
            SectionProgress(
                section_id=section.id,
                answered=sum(1 for q in shown if q.id in values),
                required_open=sum(1 for q in required if q.id not in values),
                required=len(required),
                total=len(shown),
            )
        )
    return result


def is_positive(question: Question, value: AnswerValue | None) -> bool:
    """Whether an answer claims something that evidence should back.

    Yes and partial, a choice worth something, a number reaching a scoring threshold, a level of 2
    or more (level 1 is "implicit": nothing written down exists to show), or any answer to an
    unscored question.
    """
    if value is None or value == NOT_APPLICABLE:
        return False
    check = _POSITIVE.get(question.type)
    return check(question, value) if check is not None else True


def _choice_positive(question: Question, chosen: Any) -> bool:
    ids = [chosen] if isinstance(chosen, str) else chosen
    return any((c := question.choice(v)) is not None and c.score > 0 for v in ids)


def _number_positive(question: Question, value: Any) -> bool:
    if not question.thresholds:
        return True
    return any(value >= t.min and t.score > 0 for t in question.thresholds)


_POSITIVE: dict[QuestionType, Callable[[Question, Any], bool]] = {
    QuestionType.YES_NO: lambda _q, v: v == "yes",
    QuestionType.YES_NO_PARTIAL: lambda _q, v: v in ("yes", "partial"),
    QuestionType.SINGLE_CHOICE: _choice_positive,
    QuestionType.MULTI_CHOICE: _choice_positive,
    QuestionType.NUMBER: _number_positive,
    QuestionType.LEVEL: lambda _q, v: v >= 2,
}


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
