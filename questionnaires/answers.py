"""Answer values: what each question type accepts, and the one normal form everything else reads.

Forms, the answers file and the API all pass raw values through `normalize_answer`, so scoring,
conditions and reports only ever see these shapes:

- yes_no / yes_no_partial: "yes", "no" or "partial"
- single_choice: a choice id; multi_choice: a tuple of distinct choice ids in definition order
- number: an int or a float; level: an int 0-4
- text: a str (surrounding spaces removed); date: an ISO "YYYY-MM-DD" str
- url: a tuple of distinct http(s) URLs
- "n/a" where the question allows it; `None` (or a missing key) when unanswered

Each type's rules, bounds included, live in its module of `questionnaires.types`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from questionnaires.schema import NOT_APPLICABLE, Definition, NodeId, Question
from questionnaires.types import TYPES
from questionnaires.types.base import AnswerError, AnswerValue
from questionnaires.types.url import is_http_url
from questionnaires.yamlio import (
    MAX_DEPTH,
    FileTooLarge,
    YamlError,
    check_limits,
    load_yaml,
    read_text,
)

__all__ = ["AnswerError", "AnswerValue", "is_http_url"]


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
    return TYPES[question.type].normalize(question, raw)


def _is_blank(raw: str | list[Any] | tuple[Any, ...]) -> bool:
    return not raw.strip() if isinstance(raw, str) else not raw


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
