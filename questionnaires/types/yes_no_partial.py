"""yes_no_partial: "yes", "no" or "partial"; partial earns the question's `partial_score`."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, ClassVar

from questionnaires.types.yes_no import YesNo

if TYPE_CHECKING:
    from questionnaires.schema import Question


class YesNoPartial(YesNo):
    name = "yes_no_partial"
    answers: ClassVar[tuple[str, ...]] = ("yes", "no", "partial")

    def is_positive(self, question: Question, value: Any) -> bool:
        return value in ("yes", "partial")

    def sample(self, question: Question, p: float, rng: random.Random) -> str:
        if abs(p - 0.5) < 0.15:
            return "partial"
        return super().sample(question, p, rng)

    def answers_hint(self, question: Question) -> str:
        return "yes, no or partial"

    def export(self, question: Question) -> dict[str, Any]:
        return {**super().export(question), "partial_score": question.partial_score}


KIND = YesNoPartial()
