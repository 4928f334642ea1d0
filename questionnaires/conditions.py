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

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from questionnaires.schema import (
    NOT_APPLICABLE,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Definition,
    Not,
    condition_references,
)

Predicate = Callable[[Mapping[str, Any]], bool]


def evaluate(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether `condition` holds for `answers` (question id -> normalised value)."""
    return compile_condition(condition)(answers)


def compile_condition(condition: Condition) -> Predicate:
    """A function of the answers that tells whether `condition` holds; build once, call often."""
    if isinstance(condition, Compare):
        return _compile_compare(condition)
    if isinstance(condition, AllOf):
        parts = tuple(compile_condition(part) for part in condition.all)
        return lambda answers: all(part(answers) for part in parts)
    if isinstance(condition, AnyOf):
        parts = tuple(compile_condition(part) for part in condition.any)
        return lambda answers: any(part(answers) for part in parts)
    if isinstance(condition, Not):
        inner = compile_condition(condition.not_)
        return lambda answers: not inner(answers)
    raise TypeError(f"not a condition: {condition!r}")


def _compile_compare(compare: Compare) -> Predicate:
    question_id, operator, operand = compare.question, compare.operator, compare.operand
    if operator == "answered":
        return lambda answers: (answers.get(question_id) is not None) is operand
    if operator in ("equals", "in_"):
        options = (operand,) if operator == "equals" else tuple(operand)
        if all(type(option) is str for option in options):  # the common case, made fast
            texts = frozenset(options) - {NOT_APPLICABLE}  # n/a equals nothing
            return lambda answers: _has_text(answers.get(question_id), texts)
        return lambda answers: _matches(answers.get(question_id), options)
    order = _ORDER[operator]
    return lambda answers: _is_number(value := answers.get(question_id)) and order(value, operand)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _matches(value: Any, options: tuple[Any, ...]) -> bool:
    if value is None or value == NOT_APPLICABLE:
        return False
    items = value if isinstance(value, tuple) else (value,)
    return any(_equal(item, option) for item in items for option in options)


def _has_text(value: Any, texts: frozenset[str]) -> bool:
    if type(value) is str:
        return value in texts
    return type(value) is tuple and any(item in texts for item in value)


def _equal(value: Any, operand: Any) -> bool:
    if type(value) is type(operand):
        return bool(value == operand)
    # 2 equals 2.0; but Python's True == 1 is not what `equals: true` means for a level.
    return _is_number(value) and _is_number(operand) and value == operand


class Visibility:
    """The `show_if` rules of a questionnaire, compiled once, applied in document order.

    Only answers to questions found visible so far reach later conditions, so an answer left
    behind on a hidden question never reveals anything.
    """

    __slots__ = ("_gates", "_rules")

    def __init__(self, questions: Iterable[tuple[str, Condition | None]]) -> None:
        pairs = list(questions)
        self._rules = tuple(
            (question_id, compile_condition(condition) if condition is not None else None)
            for question_id, condition in pairs
        )
        # Only answers some condition reads need to be passed along.
        self._gates = frozenset(
            ref
            for _, condition in pairs
            if condition is not None
            for ref in condition_references(condition)
        )

    def hidden(self, answers: Mapping[str, Any]) -> frozenset[str]:
        """The ids of the questions hidden for `answers`."""
        hidden: list[str] = []
        seen: dict[str, Any] = {}
        for question_id, shown in self._rules:
            if shown is not None and not shown(seen):
                hidden.append(question_id)
            elif question_id in self._gates and question_id in answers:
                seen[question_id] = answers[question_id]
        return frozenset(hidden)


def visible_among(
    questions: Iterable[tuple[str, Condition | None]], answers: Mapping[str, Any]
) -> frozenset[str]:
    """The ids of the visible questions, given (id, show_if) pairs in document order."""
    pairs = list(questions)
    hidden = Visibility(pairs).hidden(answers)
    return frozenset(question_id for question_id, _ in pairs if question_id not in hidden)


def visible_question_ids(definition: Definition, answers: Mapping[str, Any]) -> frozenset[str]:
    """The questions of `definition` that are shown for `answers` (by its compiled plan)."""
    from questionnaires.plan import compiled

    return compiled(definition).visible(answers)
