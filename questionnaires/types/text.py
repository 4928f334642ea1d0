"""text: a string, its surrounding spaces removed, of at most `max_length` characters
(MAX_TEXT_LENGTH when the definition declares none); no control characters but line breaks and
tabs."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from questionnaires.types.base import (
    MAX_TEXT_LENGTH,
    Formats,
    QuestionKind,
    Shown,
    fail,
    text_value,
)

if TYPE_CHECKING:
    from questionnaires.schema import Question

#: Characters of a text answer a scorecard's appendix prints; a longer one is cut.
SHOWN_TEXT_LENGTH = 1500


class Text(QuestionKind):
    name = "text"
    options = frozenset({"length"})
    field = "textarea"
    script = "text"

    def normalize(self, question: Question, raw: Any) -> str:
        text = text_value(question, raw, "text", "text")
        if question.min_length is not None and len(text) < question.min_length:
            raise fail(
                question,
                f"expected at least {question.min_length} characters",
                "min_length",
                limit=question.min_length,
            )
        limit = question.max_length or MAX_TEXT_LENGTH
        if len(text) > limit:
            raise fail(
                question,
                f"expected at most {limit} characters",
                "max_length",
                limit=limit,
                length=len(text),
            )
        return text

    def shown(self, question: Question, value: Any, fmt: Formats) -> Shown:
        text = str(value)
        cut = len(text) > SHOWN_TEXT_LENGTH
        if cut:
            text = text[:SHOWN_TEXT_LENGTH].rstrip()
        lines = tuple(line for line in text.splitlines() if line.strip())
        return Shown("text", lines or (text,), cut)

    def sample(self, question: Question, p: float, rng: random.Random) -> str:
        text = "Details are available from the national authority."
        return text[: question.max_length] if question.max_length else text

    def answers_hint(self, question: Question) -> str:
        return "text"


KIND = Text()
