"""Evaluating `show_if` conditions on normalised answers, without `eval`.

Rules, shared by forms, scoring and reports:

- An unanswered question satisfies no comparison except `answered: false`.
- "n/a" counts as answered but equals no value and compares as no number.
- `equals`/`in` on a multi-choice or URL answer (a tuple) look for the operand(s) among its items.
- Numbers compare by value (2 equals 2.0); a boolean operand never equals a number.
- `gt`/`gte`/`lt`/`lte` are false for anything that is not a number.
- A question hidden by its own condition counts as unanswered for every later condition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from questionnaires.schema import (
    NOT_APPLICABLE,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Definition,
    Not,
)


def evaluate(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether `condition` holds for `answers` (question id -> normalised value)."""
    if isinstance(condition, Compare):
        return _compare(condition, answers.get(condition.question))
    if isinstance(condition, AllOf):
        return all(evaluate(part, answers) for part in condition.all)
    if isinstance(condition, AnyOf):
        return any(evaluate(part, answers) for part in condition.any)
    if isinstance(condition, Not):
        return not evaluate(condition.not_, answers)
    raise TypeError(f"not a condition: {condition!r}")


def _compare(compare: Compare, value: Any) -> bool:
    operator, operand = compare.operator, compare.operand
    if operator == "answered":
        return (value is not None) is operand
    if value is None or value == NOT_APPLICABLE:
        return False
    if operator == "equals":
        return _matches(value, operand)
    if operator == "in_":
        return any(_matches(value, item) for item in operand)
    return _is_number(value) and _ORDER[operator](value, operand)


_ORDER = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _matches(value: Any, operand: Any) -> bool:
    if isinstance(value, tuple):
        return any(_equal(item, operand) for item in value)
    return _equal(value, operand)


def _equal(value: Any, operand: Any) -> bool:
    # Python says True == 1; a condition author writing `equals: true` does not mean level 1.
    if isinstance(value, bool) or isinstance(operand, bool):
        return type(value) is type(operand) and value == operand
    if _is_number(value) and _is_number(operand):
        return bool(value == operand)
    return type(value) is type(operand) and value == operand


def visible_among(
    questions: Iterable[tuple[str, Condition | None]], answers: Mapping[str, Any]
) -> frozenset[str]:
    """The ids of the visible questions, given (id, show_if) pairs in document order.

    Only answers to questions found visible so far are passed to later conditions, so an answer
    left behind on a hidden question never reveals anything.
    """
    visible: set[str] = set()
    seen: dict[str, Any] = {}
    for question_id, condition in questions:
        if condition is None or evaluate(condition, seen):
            visible.add(question_id)
            if question_id in answers:
                seen[question_id] = answers[question_id]
    return frozenset(visible)


def visible_question_ids(definition: Definition, answers: Mapping[str, Any]) -> frozenset[str]:
    """The questions of `definition` that are shown for `answers`."""
    return visible_among(((q.id, q.show_if) for q in definition.questions()), answers)
