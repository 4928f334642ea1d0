"""`show_if` conditions: the comparison rules, and visibility in document order."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from questionnaires.conditions import evaluate, visible_among, visible_question_ids
from questionnaires.schema import Condition
from tests.scoring.conftest import fixture_definition

CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def holds(condition: dict[str, Any], answers: dict[str, Any]) -> bool:
    return evaluate(CONDITION.validate_python(condition), answers)


@pytest.mark.parametrize(
    ("value", "operand", "expected"),
    [
        ("yes", "yes", True),
        ("yes", "no", False),
        (2, 2.0, True),  # numbers compare by value
        (2.5, 2, False),
        (1, True, False),  # True is not level 1
        (0, False, False),
        ("1", 1, False),  # text is not a number
        (("a", "b"), "b", True),  # among the ticked choices
        (("a", "b"), "c", False),
        ("n/a", "n/a", False),  # n/a equals nothing
        (None, "yes", False),
    ],
)
def test_equals(value: Any, operand: Any, expected: bool) -> None:
    assert holds({"question": "q", "equals": operand}, {"q": value}) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("b", True), ("z", False), (3, True), (3.0, True), (("x", "c"), True), (("x",), False)],
)
def test_in(value: Any, expected: bool) -> None:
    assert holds({"question": "q", "in": ["a", "b", "c", 3]}, {"q": value}) is expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"q": "no"}, True),
        ({"q": "n/a"}, True),
        ({"q": 0}, True),
        ({"q": None}, False),
        ({}, False),
    ],
)
def test_answered(answers: dict[str, Any], expected: bool) -> None:
    assert holds({"question": "q", "answered": True}, answers) is expected
    assert holds({"question": "q", "answered": False}, answers) is not expected


@pytest.mark.parametrize(
    ("operator", "operand", "true_for", "false_for"),
    [
        ("gt", 2, [3, 2.5], [2, 1]),
        ("gte", 2, [2, 2.0, 4], [1.99]),
        ("lt", 2, [1, -3], [2, 3]),
        ("lte", 2, [2, 0], [2.01]),
    ],
)
def test_numeric_comparisons(
    operator: str, operand: float, true_for: list[float], false_for: list[float]
) -> None:
    condition = {"question": "q", operator: operand}
    assert all(holds(condition, {"q": v}) for v in true_for)
    assert not any(holds(condition, {"q": v}) for v in false_for)


@pytest.mark.parametrize("value", ["3", "2024-01-01", ("3",), "n/a", None, True])
@pytest.mark.parametrize("operator", ["gt", "gte", "lt", "lte"])
def test_numeric_comparisons_on_non_numbers_are_false(operator: str, value: Any) -> None:
    assert not holds({"question": "q", operator: 0}, {"q": value})


def test_all_any_not() -> None:
    yes_a = {"question": "a", "equals": "yes"}
    big_b = {"question": "b", "gte": 3}
    answers = {"a": "yes", "b": 2}
    assert not holds({"all": [yes_a, big_b]}, answers)
    assert holds({"any": [yes_a, big_b]}, answers)
    assert holds({"not": big_b}, answers)
    assert holds(
        {"all": [yes_a, {"not": {"any": [big_b, {"question": "c", "answered": True}]}}]}, answers
    )
    # `not` of a comparison with an unanswered question holds.
    assert holds({"not": {"question": "c", "equals": "yes"}}, answers)


def test_visibility_follows_document_order() -> None:
    a_yes = CONDITION.validate_python({"question": "a", "equals": "yes"})
    b_answered = CONDITION.validate_python({"question": "b", "answered": True})
    later = CONDITION.validate_python({"question": "d", "answered": True})
    questions = [("a", None), ("b", a_yes), ("c", b_answered), ("e", later), ("d", None)]
    answers = {"a": "no", "b": "yes", "c": "yes", "d": "yes"}
    # b is hidden, so its answer does not reveal c; e refers to a later question: unanswered then.
    assert visible_among(questions, answers) == {"a", "d"}
    assert visible_among(questions, {**answers, "a": "yes"}) == {"a", "b", "c", "d"}


def test_visible_question_ids_on_a_definition() -> None:
    definition = fixture_definition("weighted")
    strategy = "organizational.strategy."
    hidden = {strategy + "funded", strategy + "reviewed"}
    all_ids = {q.id for q in definition.questions()}
    answers = {strategy + "exists": "no", strategy + "funded": "yes"}
    assert visible_question_ids(definition, answers) == all_ids - hidden
    answers[strategy + "exists"] = "yes"
    assert visible_question_ids(definition, answers) == all_ids - {strategy + "plan"}


def test_evaluate_rejects_what_is_not_a_condition() -> None:
    with pytest.raises(TypeError):
        evaluate("a == 1", {})  # type: ignore[arg-type]
