"""What a question type is: one specification that every layer reads.

A type says which answers it accepts (and their bounds) and their normal form, how an answer
earns credit, how it reads as text (on the page and in the PDF), whether it counts toward
progress, which kind of form field asks it, how the section page's script reads it, how demo
data answers it, what the linter tells an author about it and what the export states about it.

Everything here is pure Python: the app maps `field` to a WTForms field
(`app/survey/forms.py: FIELD_MAKERS`), renders the question's inputs with the `answer` macro of
the template `macro` names, and hands `script` to `app/static/survey.js` as a data attribute.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

if TYPE_CHECKING:
    from questionnaires.schema import Question

AnswerValue = str | int | float | tuple[str, ...]
Credit = Callable[[Any], float]
#: A gettext function: the app passes its own, so the words below are in the reader's language.
Gettext = Callable[..., str]

#: How the page's form asks a question (the app has one field maker per kind).
FieldKind = Literal["radio", "checkboxes", "number", "date", "textarea", "lines"]
#: How the page's script reads the answer in the browser (see survey.js, `readers`).
ScriptKind = Literal["choice", "choices", "level", "number", "text", "lines"]

# --- Bounds every answer keeps, whatever its definition says (a definition may narrow them) ---

#: Characters of a text answer when the definition declares no `max_length`.
MAX_TEXT_LENGTH = 20_000
#: The largest magnitude of a number answer (and of a definition's `min` and `max`).
MAX_NUMBER = 1e15
#: URLs in one URL answer, and characters in one URL (the same for evidence links).
MAX_URLS = 50
MAX_URL_LENGTH = 2048

# C0 and C1 control characters except tab, line feed and carriage return, and lone surrogates:
# neither a person nor PostgreSQL (which refuses NUL in text) has a use for them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


class AnswerError(ValueError):
    """One answer that does not fit its question."""

    def __init__(self, question_id: str, message: str, code: str = "", **params: Any) -> None:
        self.question_id = question_id
        self.message = message
        # A stable name for the problem and its figures, for messages in the user's language.
        self.code = code
        self.params = params
        super().__init__(f"{question_id}: {message}")


def fail(question: Question, message: str, code: str = "", **params: Any) -> AnswerError:
    return AnswerError(question.id, message, code, **params)


@dataclass(frozen=True, slots=True)
class Shown:
    """An answer as a scorecard's appendix shows it; the template translates the kinds it names
    (none, not_applicable, yes, no, partial, level) and prints the lines of the others."""

    kind: str
    lines: tuple[str, ...] = ()  # the answer as text (choices, numbers, dates, text, links)
    cut: bool = False  # a long text shortened


class Formats(Protocol):
    """Numbers and dates in the reader's language (the app's scorecard formatter)."""

    lang: str

    def number(self, value: float) -> str: ...

    def date(self, value: dt.date) -> str: ...


class QuestionKind:
    """One question type. Subclasses set the class attributes and override what differs."""

    #: The `type:` of a question in YAML.
    name: ClassVar[str]
    #: Option groups of a question this type takes (others must be left out): "choices",
    #: "levels", "thresholds" (with min and max), "length" (min_length and max_length).
    options: ClassVar[frozenset[str]] = frozenset()
    #: Earns credit unless the definition says `scored: false`.
    scored_by_default: ClassVar[bool] = False
    #: Scored in the levels model (its answers are the parameters' levels).
    is_parameter: ClassVar[bool] = False
    #: Counts in a section's "n of m answered".
    counts_toward_progress: ClassVar[bool] = True
    #: `gt`, `gte`, `lt` and `lte` conditions can read it.
    compares_numbers: ClassVar[bool] = False
    field: ClassVar[FieldKind]
    script: ClassVar[ScriptKind]
    #: The template holding its `answer` macro (the inputs of a question block).
    macro: ClassVar[str] = "survey/types/input.html"
    #: The options a question of this type needs at the least (docs and tests build one).
    example: ClassVar[dict[str, Any]] = {}

    # --- Schema ---

    def problems(self, question: Question) -> list[str]:
        """What is wrong with a question of this type beyond options it does not take."""
        return []

    # --- Answers ---

    def normalize(self, question: Question, raw: Any) -> AnswerValue:
        """The normal form of `raw` (neither None, blank nor n/a); raises AnswerError."""
        raise NotImplementedError

    def from_form(self, data: Any) -> Any:
        """What the browser sent, shaped for `normalize` (None: no answer)."""
        return data if data not in (None, "None") else None

    def to_form(self, value: AnswerValue) -> Any:
        """A stored value as the form field's data (the reverse of `from_form`)."""
        return str(value) if not isinstance(value, str) else value

    def form_choices(self, question: Question, lang: str, _: Gettext) -> list[tuple[str, str]]:
        """The options of a radio or tick-box field: (value, label)."""
        return []

    # --- Scoring ---

    def credit(self, question: Question) -> Credit:
        """How an answer (never None or n/a) turns into credit 0..1 when the question is scored:
        by default an answer earns full credit."""
        return lambda value: 1.0

    def is_positive(self, question: Question, value: Any) -> bool:
        """Whether an answer claims something evidence should back (`required_if_positive`)."""
        return True

    # --- Display ---

    def display(self, question: Question, value: Any, lang: str, _: Gettext) -> str:
        """An answer as text on the page, in `lang`."""
        return str(value)

    def shown(self, question: Question, value: Any, fmt: Formats) -> Shown:
        """An answer in a scorecard's appendix."""
        return Shown("text", (str(value),))

    # --- Demo data ---

    def sample(self, question: Question, p: float, rng: random.Random) -> Any:
        """A raw answer from a country whose answer leans `p` (0..1) towards positive."""
        raise NotImplementedError

    # --- Lint and export ---

    def lint(self, question: Question) -> list[tuple[str, tuple[str | int, ...]]]:
        """What the linter reports about a question of this type: (message, where below the
        question), for what the schema accepts but an author would not mean."""
        return []

    def answers_hint(self, question: Question) -> str:
        """What answers look like, for the linter's messages about impossible conditions."""
        raise NotImplementedError

    def can_equal(self, question: Question, value: Any) -> bool:
        """Whether some answer equals `value` as `equals` and `in` compare them."""
        from questionnaires.answers import normalize_answer

        try:
            answer = normalize_answer(question, value)
        except AnswerError:
            return False
        if isinstance(value, bool) or isinstance(answer, bool):
            return False
        if isinstance(answer, int | float) and isinstance(value, int | float):
            return answer == value
        return type(answer) is type(value) and answer == value

    def export(self, question: Question) -> dict[str, Any]:
        """Type-specific keys of the exchange JSON (every type states every key; null if unused)."""
        return {"partial_score": None, "integer": None}


def text_value(question: Question, raw: Any, code: str, what: str) -> str:
    """A string answer with its spaces trimmed and no control characters."""
    if not isinstance(raw, str):
        raise fail(question, f"expected {what}, got {raw!r}", code)
    text = raw.strip()
    if has_control_characters(text):
        raise fail(question, "control characters (such as NUL) are not allowed", "control")
    return text


def one_of(question: Question, raw: Any, allowed: tuple[str, ...]) -> str:
    if isinstance(raw, str) and raw in allowed:
        return raw
    expected = ", ".join(f'"{a}"' for a in allowed)
    raise fail(question, f"expected one of {expected}, got {raw!r}", "choice")


def choice_id(question: Question, raw: Any) -> str:
    if not isinstance(raw, str):
        raise fail(question, f"expected a choice id, got {raw!r}", "choice")
    if question.choice(raw) is None:
        known = ", ".join(c.id for c in question.choices or ())
        raise fail(question, f"{raw!r} is not one of its choices ({known})", "choice")
    return raw


def choice_labels(question: Question, value: Any, lang: str) -> list[str]:
    chosen = [value] if isinstance(value, str) else list(value)
    return [(c.label.get(lang) if (c := question.choice(v)) else str(v)) for v in chosen]


def choice_positive(question: Question, chosen: Any) -> bool:
    ids = [chosen] if isinstance(chosen, str) else chosen
    return any((c := question.choice(v)) is not None and c.score > 0 for v in ids)


def choices_hint(question: Question) -> str:
    return "choices: " + ", ".join(c.id for c in question.choices or ())
