"""single_choice: the id of one of the question's choices, worth that choice's score."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, ClassVar

from questionnaires.schema import LANGUAGES
from questionnaires.types.base import (
    AnswerValue,
    Credit,
    FieldKind,
    Formats,
    Gettext,
    QuestionKind,
    ScriptKind,
    Shown,
    choice_id,
    choice_labels,
    choice_positive,
    choices_hint,
)

if TYPE_CHECKING:
    from questionnaires.schema import Question


class SingleChoice(QuestionKind):
    name = "single_choice"
    options = frozenset({"choices"})
    scored_by_default = True
    field: ClassVar[FieldKind] = "radio"
    script: ClassVar[ScriptKind] = "choice"
    macro = "survey/types/choices.html"
    example: ClassVar[dict[str, Any]] = {
        "choices": [
            {"id": "some", "label": dict.fromkeys(LANGUAGES, "Some"), "score": 0.5},
            {"id": "all", "label": dict.fromkeys(LANGUAGES, "All"), "score": 1},
        ]
    }

    def problems(self, question: Question) -> list[str]:
        return [] if question.choices else [f"a {self.name} question needs choices"]

    def lint(self, question: Question) -> list[tuple[str, tuple[str | int, ...]]]:
        issues: list[tuple[str, tuple[str | int, ...]]] = []
        seen: set[str] = set()
        for index, choice in enumerate(question.choices or ()):
            if choice.id in seen:
                issues.append((f"duplicate choice `{choice.id}`", ("choices", index)))
            seen.add(choice.id)
        return issues

    def normalize(self, question: Question, raw: Any) -> AnswerValue:
        return choice_id(question, raw)

    def form_choices(self, question: Question, lang: str, _: Gettext) -> list[tuple[str, str]]:
        return [(c.id, c.label.get(lang)) for c in question.choices or ()]

    def credit(self, question: Question) -> Credit:
        scores = {c.id: c.score for c in question.choices or ()}
        return lambda value: scores.get(value, 0.0)

    def is_positive(self, question: Question, value: Any) -> bool:
        return choice_positive(question, value)

    def display(self, question: Question, value: Any, lang: str, _: Gettext) -> str:
        return "; ".join(choice_labels(question, value, lang))

    def shown(self, question: Question, value: Any, fmt: Formats) -> Shown:
        return Shown("text", tuple(choice_labels(question, value, fmt.lang)))

    def sample(self, question: Question, p: float, rng: random.Random) -> Any:
        choices = sorted(question.choices or (), key=lambda c: c.score)
        return choices[min(len(choices) - 1, int(p * len(choices)))].id

    def answers_hint(self, question: Question) -> str:
        return choices_hint(question)


KIND = SingleChoice()
