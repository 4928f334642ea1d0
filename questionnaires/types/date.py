"""date: an ISO "YYYY-MM-DD" string."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import TYPE_CHECKING, Any

from questionnaires.types.base import Formats, QuestionKind, Shown, fail

if TYPE_CHECKING:
    from questionnaires.schema import Question

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Date(QuestionKind):
    name = "date"
    field = "date"
    script = "text"

    def normalize(self, question: Question, raw: Any) -> str:
        # YAML reads an unquoted 2024-05-01 as a date; a timestamp (a datetime) is not a date.
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw.isoformat()
        if isinstance(raw, str) and _ISO_DATE.match(raw.strip()):
            try:
                return dt.date.fromisoformat(raw.strip()).isoformat()
            except ValueError:
                pass
        raise fail(question, f"expected a date as YYYY-MM-DD, got {raw!r}", "date")

    def shown(self, question: Question, value: Any, fmt: Formats) -> Shown:
        return Shown("text", (fmt.date(dt.date.fromisoformat(str(value))),))

    def sample(self, question: Question, p: float, rng: random.Random) -> str:
        return f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def answers_hint(self, question: Question) -> str:
        return "a date YYYY-MM-DD"


KIND = Date()
