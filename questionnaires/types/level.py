"""level: an int 0-4, each level described by the question; worth level / 4."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, ClassVar

from questionnaires.schema import LANGUAGES, LEVELS
from questionnaires.types.base import Credit, Formats, Gettext, QuestionKind, Shown, fail

if TYPE_CHECKING:
    from questionnaires.schema import Question

LEVEL_MAX = max(LEVELS)


class Level(QuestionKind):
    name = "level"
    options = frozenset({"levels"})
    scored_by_default = True
    is_parameter = True
    compares_numbers = True
    field = "radio"
    script = "level"
    macro = "survey/types/choices.html"
    example: ClassVar[dict[str, Any]] = {
        "levels": {str(n): dict.fromkeys(LANGUAGES, f"Level {n}") for n in LEVELS}
    }

    def problems(self, question: Question) -> list[str]:
        if question.levels is None or set(question.levels) != set(LEVELS):
            return ["a level question describes each level 0, 1, 2, 3 and 4"]
        return []

    def normalize(self, question: Question, raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw not in LEVELS:
            raise fail(question, f"expected a level 0, 1, 2, 3 or 4, got {raw!r}", "level")
        return raw

    def from_form(self, data: Any) -> Any:
        return int(data) if isinstance(data, str) and data.isdigit() else super().from_form(data)

    def form_choices(self, question: Question, lang: str, _: Gettext) -> list[tuple[str, str]]:
        return [(str(n), _("Level %(n)s", n=n)) for n in sorted(question.levels or {})]

    def credit(self, question: Question) -> Credit:
        return lambda value: value / LEVEL_MAX

    def is_positive(self, question: Question, value: Any) -> bool:
        # Level 1 is "implicit": nothing written down exists to show.
        return bool(value >= 2)

    def display(self, question: Question, value: Any, lang: str, _: Gettext) -> str:
        return _("Level %(n)s", n=value)

    def shown(self, question: Question, value: Any, fmt: Formats) -> Shown:
        return Shown("level", (str(value),))

    def sample(self, question: Question, p: float, rng: random.Random) -> int:
        return max(0, min(4, round(p * 4 + rng.uniform(-0.6, 0.6))))

    def answers_hint(self, question: Question) -> str:
        return "a level 0-4"


KIND = Level()
