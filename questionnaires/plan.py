"""A definition compiled once into the plan every layer reads: its questions in document order
with their sections, indicators, types and credit functions, its `show_if` rules (applied in
document order), each section's scope and its tiers.

Survey pages, progress, scoring and scorecards all take `compiled(definition)`. Plans are kept
by definition object: a campaign's frozen definition is one object per content hash
(`app.campaigns.operations.campaign_definition`), so a definition is compiled once per hash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from questionnaires.conditions import Visibility
from questionnaires.schema import (
    Definition,
    LevelTier,
    Question,
    ScoreTier,
    condition_references,
)
from questionnaires.types import TYPES, QuestionKind
from questionnaires.types.base import Credit

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    question: Question
    kind: QuestionKind
    section_index: int
    section_id: str
    indicator_index: int  # among all the definition's indicators
    indicator_id: str
    credit: Credit | None  # None: the question never earns credit in this definition's model


@dataclass(frozen=True, slots=True)
class PlannedIndicator:
    id: str
    weight: float
    section_index: int


@dataclass(eq=False)
class Plan:
    definition: Definition
    questions: tuple[PlannedQuestion, ...]
    indicators: tuple[PlannedIndicator, ...]
    section_ids: tuple[str, ...]
    section_indicators: tuple[tuple[int, ...], ...]
    tiers: tuple[ScoreTier, ...] | tuple[LevelTier, ...]
    visibility: Visibility | None  # None when no question has a condition
    by_id: dict[str, PlannedQuestion]
    #: What other layers derive from the plan, built once each (`derived`).
    _derived: dict[str, Any] = field(default_factory=dict)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return self.derived("question_ids", lambda: tuple(q.question.id for q in self.questions))

    def hidden(self, answers: Mapping[str, Any]) -> frozenset[str]:
        """The questions hidden for `answers` (question id -> normalised value)."""
        return self.visibility.hidden(answers) if self.visibility else frozenset()

    def visible(self, answers: Mapping[str, Any]) -> frozenset[str]:
        """The questions shown for `answers`: right for every question whose scope
        (`section_scope`) `answers` covers."""
        hidden = self.hidden(answers)
        if not hidden:
            return self.derived("all_ids", lambda: frozenset(self.question_ids))
        return frozenset(qid for qid in self.question_ids if qid not in hidden)

    def section_scope(self, section_id: str) -> frozenset[str]:
        """The questions whose answers decide what a section shows: its own, those its
        conditions read, those theirs read, and so on."""

        def build() -> frozenset[str]:
            scope: set[str] = set()
            todo = [q.question.id for q in self.questions if q.section_id == section_id]
            while todo:
                question_id = todo.pop()
                if question_id not in scope:
                    scope.add(question_id)
                    condition = self.by_id[question_id].question.show_if
                    todo.extend(condition_references(condition) if condition else ())
            return frozenset(scope)

        return self.derived(f"scope:{section_id}", build)

    def derived(self, key: str, build: Callable[[], T]) -> T:
        """`build()`, once per plan and key: what a layer derives from the definition."""
        try:
            return cast(T, self._derived[key])
        except KeyError:
            return cast(T, self._derived.setdefault(key, build()))


#: Plans by definition object; bounded, for callers that parse definitions of their own.
_MAX_PLANS = 256
_plans: dict[int, Plan] = {}


def compiled(definition: Definition) -> Plan:
    """The plan of `definition`, compiled on first use."""
    plan = _plans.get(id(definition))
    if plan is None or plan.definition is not definition:
        if len(_plans) >= _MAX_PLANS:
            _plans.clear()
        plan = _plans[id(definition)] = _compile(definition)
    return plan


def _compile(definition: Definition) -> Plan:
    questions: list[PlannedQuestion] = []
    indicators: list[PlannedIndicator] = []
    section_indicators: list[tuple[int, ...]] = []
    for s_index, section in enumerate(definition.sections):
        members = []
        for indicator in section.indicators:
            members.append(len(indicators))
            indicators.append(PlannedIndicator(indicator.id, indicator.weight, s_index))
            for q in indicator.questions:
                kind = TYPES[q.type]
                questions.append(
                    PlannedQuestion(
                        q,
                        kind,
                        s_index,
                        section.id,
                        members[-1],
                        indicator.id,
                        credit_function(q, definition.model),
                    )
                )
        section_indicators.append(tuple(members))
    conditions = [(q.question.id, q.question.show_if) for q in questions]
    return Plan(
        definition=definition,
        questions=tuple(questions),
        indicators=tuple(indicators),
        section_ids=tuple(s.id for s in definition.sections),
        section_indicators=tuple(section_indicators),
        tiers=definition.effective_tiers,
        visibility=Visibility(conditions) if any(c for _, c in conditions) else None,
        by_id={q.question.id: q for q in questions},
    )


def clear() -> None:
    """Forget every plan (benchmarks measure compiling too)."""
    _plans.clear()


def credit_function(question: Question, model: str) -> Credit | None:
    """How an answer (never None or n/a) turns into credit 0..1; None if it earns none."""
    kind = TYPES[question.type]
    if not question.is_scored or (model == "levels" and not kind.is_parameter):
        return None
    return kind.credit(question)
