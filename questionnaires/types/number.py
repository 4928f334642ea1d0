"""number: an int or a float within the question's `min` and `max` (and never beyond
±MAX_NUMBER); credit from the highest threshold it reaches."""

from __future__ import annotations

import bisect
import math
import random
from itertools import pairwise
from typing import TYPE_CHECKING, Any, ClassVar

from questionnaires.types.base import MAX_NUMBER, Credit, Formats, QuestionKind, Shown, fail

if TYPE_CHECKING:
    from questionnaires.schema import Question


class Number(QuestionKind):
    name = "number"
    options = frozenset({"thresholds"})
    scored_by_default = True
    compares_numbers = True
    field = "number"
    script = "number"
    example: ClassVar[dict[str, Any]] = {
        "thresholds": [{"min": 0, "score": 0}, {"min": 5, "score": 1}]
    }

    def problems(self, question: Question) -> list[str]:
        if question.is_scored and not question.thresholds:
            return ["a scored number question needs thresholds"]
        return []

    def lint(self, question: Question) -> list[tuple[str, tuple[str | int, ...]]]:
        issues: list[tuple[str, tuple[str | int, ...]]] = []
        minimums = [t.min for t in question.thresholds or ()]
        if any(b <= a for a, b in pairwise(minimums)):
            message = "thresholds must be listed by ascending `min`, each higher than the last"
            issues.append((message, ("thresholds",)))
        for key in ("min", "max"):
            bound = getattr(question, key)
            if bound is not None and abs(bound) > MAX_NUMBER:
                message = (
                    f"`{key}` must lie between -{MAX_NUMBER:g} and {MAX_NUMBER:g}: "
                    "answers beyond are refused whatever the definition says"
                )
                issues.append((message, (key,)))
        return issues

    def normalize(self, question: Question, raw: Any) -> int | float:
        # bool is an int subclass in Python, but `true` is not a count of anything.
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise fail(question, f"expected a number, got {raw!r}", "number")
        if question.integer:
            if raw != int(raw):
                raise fail(question, f"expected a whole number, got {raw!r}", "integer")
            raw = int(raw)
        low, high = self.bounds(question)
        if raw < low:
            raise fail(question, f"{raw} is below the minimum {low:g}", "min", limit=low)
        if raw > high:
            raise fail(question, f"{raw} is above the maximum {high:g}", "max", limit=high)
        return raw

    @staticmethod
    def bounds(question: Question) -> tuple[float, float]:
        """The range an answer must lie in: the question's, within ±MAX_NUMBER."""
        low = question.min if question.min is not None else -MAX_NUMBER
        high = question.max if question.max is not None else MAX_NUMBER
        return max(low, -MAX_NUMBER), min(high, MAX_NUMBER)

    def from_form(self, data: Any) -> Any:
        """Digits as typed anywhere: '1 200', '1,5' (decimal comma) and '12.5' are all numbers."""
        if data is None or not str(data).strip():
            return None
        text = str(data).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return str(data)  # normalize reports it as "not a number"
        return int(number) if number.is_integer() and "." not in text else number

    def credit(self, question: Question) -> Credit:
        # Sorted by minimum; equal minimums keep the best score, so order in the file never matters.
        ordered = sorted(question.thresholds or (), key=lambda t: (t.min, t.score))
        mins = [t.min for t in ordered]
        scores = [t.score for t in ordered]

        def credit(value: float) -> float:
            index = bisect.bisect_right(mins, value)
            return scores[index - 1] if index else 0.0

        return credit

    def is_positive(self, question: Question, value: Any) -> bool:
        if not question.thresholds:
            return True
        return any(value >= t.min and t.score > 0 for t in question.thresholds)

    def shown(self, question: Question, value: Any, fmt: Formats) -> Shown:
        unit = f" {question.unit.get(fmt.lang)}" if question.unit else ""
        return Shown("text", (fmt.number(value) + unit,))

    def sample(self, question: Question, p: float, rng: random.Random) -> int | float:
        thresholds = sorted(question.thresholds or (), key=lambda t: t.min)
        top = thresholds[-1].min * 1.5 if thresholds else (question.max or 100)
        low = question.min or 0
        value = low + (top - low) * p * rng.uniform(0.7, 1.1)
        if question.max is not None:
            value = min(value, question.max)
        return round(value) if question.integer or not thresholds else round(value, 1)

    def answers_hint(self, question: Question) -> str:
        low = f" from {question.min:g}" if question.min is not None else ""
        high = f" up to {question.max:g}" if question.max is not None else ""
        return ("a whole number" if question.integer else "a number") + low + high

    def export(self, question: Question) -> dict[str, Any]:
        return {**super().export(question), "integer": question.integer}


KIND = Number()
