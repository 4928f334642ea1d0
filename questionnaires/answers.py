"""Answer values: what each question type accepts, and the one normal form everything else reads.

Forms, the answers file and the API all pass raw values through `normalize_answer`, so scoring,
conditions and reports only ever see these shapes:

- yes_no / yes_no_partial: "yes", "no" or "partial"
- single_choice: a choice id; multi_choice: a tuple of distinct choice ids in definition order
- number: an int or a float; level: an int 0-4
- text: a str (surrounding spaces removed); date: an ISO "YYYY-MM-DD" str
- url: a tuple of distinct http(s) URLs
- "n/a" where the question allows it; `None` (or a missing key) when unanswered
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from questionnaires.schema import LEVELS, NOT_APPLICABLE, Definition, NodeId, Question, QuestionType
from questionnaires.yamlio import (
    MAX_DEPTH,
    FileTooLarge,
    YamlError,
    check_limits,
    load_yaml,
    read_text,
)

AnswerValue = str | int | float | tuple[str, ...]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YES_NO = ("yes", "no")
_YES_NO_PARTIAL = ("yes", "no", "partial")


class AnswerError(ValueError):
    """One answer that does not fit its question."""

    def __init__(self, question_id: str, message: str, code: str = "", **params: Any) -> None:
        self.question_id = question_id
        self.message = message
        # A stable name for the problem and its figures, for messages in the user's language.
        self.code = code
        self.params = params
        super().__init__(f"{question_id}: {message}")


class AnswersError(ValueError):
    """Every problem found in a set of answers, so they can all be fixed in one pass."""

    def __init__(self, problems: list[AnswerError]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


def normalize_answer(question: Question, raw: Any) -> AnswerValue | None:
    """The normal form of `raw` as an answer to `question`; raises AnswerError if it does not fit.

    Empty strings and empty lists mean "unanswered", as an untouched form field does.
    """
    if raw is None or (isinstance(raw, str | list | tuple) and _is_blank(raw)):
        return None
    if isinstance(raw, str) and raw.strip() == NOT_APPLICABLE:
        if not question.not_applicable:
            raise AnswerError(question.id, "this question cannot be answered n/a", "not_applicable")
        return NOT_APPLICABLE
    return _NORMALIZERS[question.type](question, raw)


def _is_blank(raw: str | list[Any] | tuple[Any, ...]) -> bool:
    return not raw.strip() if isinstance(raw, str) else not raw


def _fail(question: Question, message: str, code: str = "", **params: Any) -> AnswerError:
    return AnswerError(question.id, message, code, **params)


def _one_of(question: Question, raw: Any, allowed: tuple[str, ...]) -> str:
    if isinstance(raw, str) and raw in allowed:
        return raw
    expected = ", ".join(f'"{a}"' for a in allowed)
    raise _fail(question, f"expected one of {expected}, got {raw!r}", "choice")


def _yes_no(question: Question, raw: Any) -> str:
    return _one_of(question, raw, _YES_NO)


def _yes_no_partial(question: Question, raw: Any) -> str:
    return _one_of(question, raw, _YES_NO_PARTIAL)


def _choice_id(question: Question, raw: Any) -> str:
    if not isinstance(raw, str):
        raise _fail(question, f"expected a choice id, got {raw!r}", "choice")
    if question.choice(raw) is None:
        known = ", ".join(c.id for c in question.choices or ())
        raise _fail(question, f"{raw!r} is not one of its choices ({known})", "choice")
    return raw


def _multi_choice(question: Question, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list | tuple):
        raise _fail(question, f"expected a list of choice ids, got {raw!r}")
    chosen = {_choice_id(question, item) for item in raw}
    # Definition order, so equal answers are equal values whatever order they were ticked in.
    return tuple(c.id for c in question.choices or () if c.id in chosen)


def _number(question: Question, raw: Any) -> int | float:
    # bool is an int subclass in Python, but `true` is not a count of anything.
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise _fail(question, f"expected a number, got {raw!r}", "number")
    if question.integer:
        if raw != int(raw):
            raise _fail(question, f"expected a whole number, got {raw!r}", "integer")
        raw = int(raw)
    if question.min is not None and raw < question.min:
        raise _fail(
            question, f"{raw} is below the minimum {question.min:g}", "min", limit=question.min
        )
    if question.max is not None and raw > question.max:
        raise _fail(
            question, f"{raw} is above the maximum {question.max:g}", "max", limit=question.max
        )
    return raw


def _text(question: Question, raw: Any) -> str:
    if not isinstance(raw, str):
        raise _fail(question, f"expected text, got {raw!r}", "text")
    text = raw.strip()
    if question.min_length is not None and len(text) < question.min_length:
        raise _fail(
            question,
            f"expected at least {question.min_length} characters",
            "min_length",
            limit=question.min_length,
        )
    if question.max_length is not None and len(text) > question.max_length:
        raise _fail(
            question,
            f"expected at most {question.max_length} characters",
            "max_length",
            limit=question.max_length,
            length=len(text),
        )
    return text


def _date(question: Question, raw: Any) -> str:
    # YAML reads an unquoted 2024-05-01 as a date; a timestamp (a datetime) is not a date answer.
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw.isoformat()
    if isinstance(raw, str) and _ISO_DATE.match(raw.strip()):
        try:
            return date.fromisoformat(raw.strip()).isoformat()
        except ValueError:
            pass
    raise _fail(question, f"expected a date as YYYY-MM-DD, got {raw!r}", "date")


def _urls(question: Question, raw: Any) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise _fail(question, f"expected a URL or a list of URLs, got {raw!r}", "url")
    urls: list[str] = []
    for item in items:
        url = item.strip() if isinstance(item, str) else item
        if not is_http_url(url):
            raise _fail(question, f"expected an http(s) URL, got {item!r}", "url")
        if url not in urls:
            urls.append(url)
    return tuple(urls)


def is_http_url(value: Any) -> bool:
    """An absolute http or https URL with a host and no spaces."""
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced [ in the host
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _level(question: Question, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw not in LEVELS:
        raise _fail(question, f"expected a level 0, 1, 2, 3 or 4, got {raw!r}", "level")
    return raw


_NORMALIZERS: dict[QuestionType, Callable[[Question, Any], AnswerValue]] = {
    QuestionType.YES_NO: _yes_no,
    QuestionType.YES_NO_PARTIAL: _yes_no_partial,
    QuestionType.SINGLE_CHOICE: _choice_id,
    QuestionType.MULTI_CHOICE: _multi_choice,
    QuestionType.NUMBER: _number,
    QuestionType.TEXT: _text,
    QuestionType.DATE: _date,
    QuestionType.URL: _urls,
    QuestionType.LEVEL: _level,
}


def parse_answers(definition: Definition, mapping: Mapping[str, Any]) -> dict[str, AnswerValue]:
    """Normalise a whole answer set: question id -> value, unanswered questions left out.

    Raises AnswersError listing every unknown question id and every bad value, in document order.
    """
    problems: list[AnswerError] = []
    unknown = [key for key in mapping if key not in definition.question_index]
    problems += [
        AnswerError(str(key), "no such question in this questionnaire", "unknown")
        for key in unknown
    ]
    answers: dict[str, AnswerValue] = {}
    for question in definition.questions():
        try:
            value = normalize_answer(question, mapping.get(question.id))
        except AnswerError as problem:
            problems.append(problem)
            continue
        if value is not None:
            answers[question.id] = value
    if problems:
        raise AnswersError(problems)
    return answers


# --- The answers file: {questionnaire, version, country, answers} in YAML or JSON. ---


class AnswersFile(BaseModel):
    """An answer set kept outside the application, e.g. for `cybermaturity score`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    questionnaire: NodeId
    version: Annotated[int, Field(ge=1, strict=True)]
    country: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    answers: dict[str, Any] = {}


class AnswersFileError(ValueError):
    """An answers file that cannot be read; each problem is one line naming where it is."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


def load_answers_file(path: str | Path) -> AnswersFile:
    """Read an answers file: JSON if it ends in .json or starts with `{`, YAML otherwise."""
    path = Path(path)
    try:
        text = read_text(path)
    except FileTooLarge as exc:
        raise AnswersFileError(str(path), [str(exc)]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswersFileError(str(path), [f"cannot read the file ({exc})"]) from exc
    data = _parse_document(text, str(path))
    try:
        return AnswersFile.model_validate(data)
    except ValidationError as exc:
        raise AnswersFileError(str(path), _validation_lines(exc)) from exc


def _parse_document(text: str, source: str) -> Any:
    is_json = source.lower().endswith(".json") or text.lstrip().startswith("{")
    try:
        if is_json:
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_nan)
            check_limits(data, source)
            return data
        return load_yaml(text, source)
    except RecursionError as exc:  # json.loads past Python's recursion limit
        raise AnswersFileError(source, [f"nested more than {MAX_DEPTH} levels deep"]) from exc
    except YamlError as exc:
        # YamlError already names the source; keep only the line and the message.
        prefix = f"{exc.source}:{exc.line}: " if exc.line is not None else f"{exc.source}: "
        where = f"line {exc.line}: " if exc.line is not None else ""
        raise AnswersFileError(source, [where + str(exc).removeprefix(prefix)]) from exc
    except ValueError as exc:  # json.JSONDecodeError and the two hooks below
        raise AnswersFileError(source, [f"invalid JSON: {exc}"]) from exc


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_nan(constant: str) -> Any:
    raise ValueError(f"{constant} is not a number an answer can have")


def _validation_lines(exc: ValidationError) -> list[str]:
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "file"
        lines.append(f"{where}: {error['msg']}")
    return lines
