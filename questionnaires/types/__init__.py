"""The registry of question types: type name -> its specification (`base.QuestionKind`).

Each type lives in one module of this package that defines `KIND`; `BUILT_IN` lists them in the
order the format documents them. Adding a type: docs/development.md, "Adding a question type".
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from questionnaires.types.base import AnswerError, AnswerValue, QuestionKind, Shown

if TYPE_CHECKING:
    from questionnaires.schema import Question

BUILT_IN = (
    "yes_no",
    "yes_no_partial",
    "single_choice",
    "multi_choice",
    "number",
    "text",
    "date",
    "url",
    "level",
)

#: Every question type, by name, in the order registered.
TYPES: dict[str, QuestionKind] = {}


def register(kind: QuestionKind) -> QuestionKind:
    """Make `kind` a question type definitions may use."""
    if kind.name in TYPES:
        raise ValueError(f"question type {kind.name!r} is registered already")
    TYPES[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget a type (for tests that register one of their own)."""
    del TYPES[name]


def kind_of(question: Question) -> QuestionKind:
    """The specification of `question`'s type."""
    return TYPES[question.type]


for _module in BUILT_IN:
    register(import_module(f"questionnaires.types.{_module}").KIND)

__all__ = [
    "BUILT_IN",
    "TYPES",
    "AnswerError",
    "AnswerValue",
    "QuestionKind",
    "Shown",
    "kind_of",
    "register",
    "unregister",
]
