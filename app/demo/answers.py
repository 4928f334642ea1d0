"""Plausible answer sets: a country's overall maturity shapes every answer, with some noise.

Used by the demo data and the benchmarks, so figures look like a real survey rather than noise.
"""

from __future__ import annotations

import random
from typing import Any

from questionnaires.plan import compiled
from questionnaires.schema import NOT_APPLICABLE, Definition, Question
from questionnaires.types import TYPES
from questionnaires.types.url import SAMPLE_LINK

__all__ = ["SAMPLE_LINK", "generate_answers"]


def generate_answers(
    definition: Definition, maturity: float, rng: random.Random, completeness: float = 1.0
) -> dict[str, Any]:
    """Raw answers for `definition` from a country of `maturity` (0..1).

    `completeness` is the share of shown questions answered, for drafts still in progress.
    Questions are answered in document order, so follow-up questions appear as they would.
    """
    answers: dict[str, Any] = {}
    plan = compiled(definition)
    for question in definition.questions():
        if question.show_if is not None and question.id in plan.hidden(answers):
            continue
        if rng.random() > completeness:
            continue
        value = _answer(question, _leaning(maturity, rng), rng)
        if value is not None:
            answers[question.id] = value
    return answers


def _leaning(maturity: float, rng: random.Random) -> float:
    """How positive this one answer is: the country's maturity, give or take."""
    return min(1.0, max(0.0, rng.gauss(maturity, 0.18)))


def _answer(question: Question, p: float, rng: random.Random) -> Any:
    if question.not_applicable and rng.random() < 0.03:
        return NOT_APPLICABLE
    return TYPES[question.type].sample(question, p, rng)
