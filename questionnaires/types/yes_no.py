"""yes_no: "yes" or "no"; yes earns full credit."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, ClassVar

from questionnaires.types.base import Credit, Formats, Gettext, QuestionKind, Shown, one_of

if TYPE_CHECKING:
    from questionnaires.schema import Question


class YesNo(QuestionKind):
    name = "yes_no"
    scored_by_default = True
    field = "radio"
    script = "choice"
    macro = "survey/types/choices.html"
    answers: ClassVar[tuple[str, ...]] = ("yes", "no")

    def normalize(self, question: Question, raw: Any) -> str:
        return one_of(question, raw, self.answers)

    def form_choices(self, question: Question, lang: str, _: Gettext) -> list[tuple[str, str]]:
        labels = self._labels(_)
        return [
            (answer, labels[answer])
            for answer in ("yes", "partial", "no")
            if answer in self.answers
        ]

    @staticmethod
    def _labels(_: Gettext) -> dict[str, str]:
        # i18n: answers to a yes/no question, as shown in lists and comparisons
        return {"yes": _("Yes"), "no": _("No"), "partial": _("Partially")}

    def credit(self, question: Question) -> Credit:
        table = {"yes": 1.0, "no": 0.0, "partial": question.partial_score}
        return lambda value: table.get(value, 0.0)

    def is_positive(self, question: Question, value: Any) -> bool:
        return bool(value == "yes")

    def display(self, question: Question, value: Any, lang: str, _: Gettext) -> str:
        return self._labels(_).get(value, str(value))

    def shown(self, question: Question, value: Any, fmt: Formats) -> Shown:
        return Shown(value) if value in self.answers else Shown("text", (str(value),))

    def sample(self, question: Question, p: float, rng: random.Random) -> str:
        return "yes" if rng.random() < p else "no"

    def answers_hint(self, question: Question) -> str:
        return "yes or no"


KIND = YesNo()
