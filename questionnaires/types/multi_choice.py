"""multi_choice: distinct choice ids in definition order; their scores add up, to at most 1."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from questionnaires.types.base import Credit, fail
from questionnaires.types.single_choice import SingleChoice, choice_id

if TYPE_CHECKING:
    from questionnaires.schema import Question


class MultiChoice(SingleChoice):
    name = "multi_choice"
    field = "checkboxes"
    script = "choices"

    def normalize(self, question: Question, raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, list | tuple):
            raise fail(question, f"expected a list of choice ids, got {raw!r}")
        chosen = {choice_id(question, item) for item in raw}
        # Definition order, so equal answers are equal values whatever order they were ticked in.
        return tuple(c.id for c in question.choices or () if c.id in chosen)

    def from_form(self, data: Any) -> Any:
        return list(data or [])

    def to_form(self, value: Any) -> Any:
        return list(value)

    def credit(self, question: Question) -> Credit:
        scores = {c.id: c.score for c in question.choices or ()}
        return lambda value: min(1.0, sum(scores.get(v, 0.0) for v in value))

    def sample(self, question: Question, p: float, rng: random.Random) -> Any:
        choices = question.choices or ()
        ticked = [c.id for c in choices if c.score > 0 and rng.random() < p]
        return ticked or [min(choices, key=lambda c: c.score).id]  # "none of these", when offered

    def can_equal(self, question: Question, value: Any) -> bool:
        # `equals` looks among the ticked choices.
        return isinstance(value, str) and question.choice(value) is not None


KIND = MultiChoice()
