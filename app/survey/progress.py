"""Progress and completeness of a submission: what is answered, what is still required."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from questionnaires.answers import AnswerValue
from questionnaires.conditions import Visibility
from questionnaires.schema import (
    NOT_APPLICABLE,
    Definition,
    EvidenceRule,
    Question,
    QuestionType,
    Section,
    condition_references,
)

T = TypeVar("T")


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


#: What is derived from a definition once (by object: definitions in use are shared, see
#: `campaign_definition`). Bounded, for callers that parse definitions of their own.
_MAX_DERIVED = 256
_derived: dict[tuple[int, str], tuple[Definition, Any]] = {}


def _once(definition: Definition, key: str, build: Callable[[], T]) -> T:
    entry = _derived.get((id(definition), key))
    if entry is None or entry[0] is not definition:
        if len(_derived) >= _MAX_DERIVED:
            _derived.clear()
        entry = _derived[id(definition), key] = (definition, build())
    return cast(T, entry[1])


def _visibility(definition: Definition) -> tuple[Visibility, tuple[str, ...]]:
    """The definition's `show_if` rules compiled, with its question ids in document order."""

    def build() -> tuple[Visibility, tuple[str, ...]]:
        pairs = [(q.id, q.show_if) for q in definition.questions()]
        return Visibility(pairs), tuple(qid for qid, _ in pairs)

    return _once(definition, "visibility", build)


def visible_ids(definition: Definition, values: Mapping[str, AnswerValue]) -> frozenset[str]:
    """The questions shown for `values`: `questionnaires.conditions.visible_question_ids`,
    without compiling the definition's conditions again on every call.

    Right for every question whose scope (`section_scope`) `values` covers.
    """
    visibility, question_ids = _visibility(definition)
    hidden = visibility.hidden(values)
    return frozenset(qid for qid in question_ids if qid not in hidden)


def section_scope(definition: Definition, section: Section) -> frozenset[str]:
    """The questions whose answers decide what a section's page shows: its own, and those its
    conditions read, and those theirs read, and so on. A page reads these answers only."""

    def build() -> frozenset[str]:
        scope: set[str] = set()
        todo = [q.id for q in section.questions()]
        while todo:
            question_id = todo.pop()
            if question_id not in scope:
                scope.add(question_id)
                condition = definition.question_index[question_id].show_if
                todo.extend(condition_references(condition) if condition is not None else ())
        return frozenset(scope)

    return _once(definition, f"scope:{section.id}", build)


def progress_of(
    section: Section, values: Mapping[str, AnswerValue], visible: frozenset[str]
) -> SectionProgress:
    """One section's figures; `values` and `visible` must cover its scope (`section_scope`)."""
    shown = [q for q in section.questions() if q.id in visible]
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
