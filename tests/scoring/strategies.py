"""Hypothesis strategies for answer sets of any definition, built from its questions' types."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import strategies as st

from questionnaires.schema import NOT_APPLICABLE, Definition, Question, QuestionType


def candidates(question: Question) -> list[Any]:
    """A finite spread of raw answers to `question`, unanswered (None) first, n/a excluded."""
    fixed = {
        QuestionType.YES_NO: ["yes", "no"],
        QuestionType.YES_NO_PARTIAL: ["yes", "no", "partial"],
        QuestionType.LEVEL: [0, 1, 2, 3, 4],
    }
    if question.type in fixed:
        return [None, *fixed[question.type]]
    ids = [c.id for c in question.choices or ()]
    if question.type is QuestionType.SINGLE_CHOICE:
        return [None, *ids]
    if question.type is QuestionType.MULTI_CHOICE:
        sizes = (1, 2, len(ids) - 1, len(ids))
        return [None, *(list(s) for size in sizes for s in combinations(ids, size))]
    if question.type is QuestionType.NUMBER:
        return [None, *_numbers(question)]
    return [None, best_answer(question)]


def _numbers(question: Question) -> list[float]:
    low = question.min if question.min is not None else -10.0
    high = question.max if question.max is not None else 10_000.0
    points = {low, high}
    for t in question.thresholds or ():
        points |= {t.min - 1, t.min - 0.5, t.min, t.min + 0.5}
    fits = [p for p in sorted(points) if low <= p <= high]
    return [int(p) for p in fits if p == int(p)] if question.integer else fits


def best_answer(question: Question) -> Any:
    """The answer that earns the most credit (any valid answer when it earns none)."""
    kind = question.type
    if kind in (QuestionType.YES_NO, QuestionType.YES_NO_PARTIAL):
        return "yes"
    if kind is QuestionType.SINGLE_CHOICE:
        return max(question.choices or (), key=lambda c: c.score).id
    if kind is QuestionType.MULTI_CHOICE:
        positive = [c.id for c in question.choices or () if c.score > 0]
        return positive or [c.id for c in question.choices or ()][:1]
    if kind is QuestionType.NUMBER:
        return max(_numbers(question))
    if kind is QuestionType.LEVEL:
        return 4
    return _free_answer(question)


def _free_answer(question: Question) -> Any:
    if question.type is QuestionType.DATE:
        return "2023-05-17"
    if question.type is QuestionType.URL:
        return ["https://example.org/evidence"]
    length = max(question.min_length or 0, 12)
    return ("Answer text " * 20)[: min(length, question.max_length or length)].strip() or "x"


def question_answers(question: Question) -> st.SearchStrategy[Any]:
    values = candidates(question)
    if question.not_applicable:
        values = [*values, NOT_APPLICABLE]
    # Unanswered is common in real drafts; weight it like any one other value.
    return st.sampled_from(values)


def answer_sets(definition: Definition) -> st.SearchStrategy[dict[str, Any]]:
    """Raw answer sets (as in an answers file) covering every question, some left unanswered."""
    return st.fixed_dictionaries({q.id: question_answers(q) for q in definition.questions()})


def fully_positive(definition: Definition) -> dict[str, Any]:
    return {q.id: best_answer(q) for q in definition.questions()}
