"""Plausible answer sets: a country's overall maturity shapes every answer, with some noise.

Used by the demo data and the benchmarks, so figures look like a real survey rather than noise.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from questionnaires.conditions import visible_question_ids
from questionnaires.schema import NOT_APPLICABLE, Definition, Question, QuestionType

SAMPLE_LINK = "https://www.example.gov/cybersecurity/{}"


def generate_answers(
    definition: Definition, maturity: float, rng: random.Random, completeness: float = 1.0
) -> dict[str, Any]:
    """Raw answers for `definition` from a country of `maturity` (0..1).

    `completeness` is the share of shown questions answered, for drafts still in progress.
    Questions are answered in document order, so follow-up questions appear as they would.
    """
    answers: dict[str, Any] = {}
    for question in definition.questions():
        if question.id not in visible_question_ids(definition, answers):
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
    return _ANSWERERS[question.type](question, p, rng)


def _yes_no(question: Question, p: float, rng: random.Random) -> str:
    if question.type is QuestionType.YES_NO_PARTIAL and abs(p - 0.5) < 0.15:
        return "partial"
    return "yes" if rng.random() < p else "no"


def _single(question: Question, p: float, _rng: random.Random) -> str:
    choices = sorted(question.choices or (), key=lambda c: c.score)
    return choices[min(len(choices) - 1, int(p * len(choices)))].id


def _multi(question: Question, p: float, rng: random.Random) -> list[str]:
    choices = question.choices or ()
    ticked = [c.id for c in choices if c.score > 0 and rng.random() < p]
    return ticked or [min(choices, key=lambda c: c.score).id]  # "none of these", when offered


def _number(question: Question, p: float, rng: random.Random) -> int | float:
    thresholds = sorted(question.thresholds or (), key=lambda t: t.min)
    top = thresholds[-1].min * 1.5 if thresholds else (question.max or 100)
    low = question.min or 0
    value = low + (top - low) * p * rng.uniform(0.7, 1.1)
    if question.max is not None:
        value = min(value, question.max)
    return round(value) if question.integer or not thresholds else round(value, 1)


def _text(question: Question, p: float, _rng: random.Random) -> str:
    text = "Details are available from the national authority."
    return text[: question.max_length] if question.max_length else text


def _date(_question: Question, _p: float, rng: random.Random) -> str:
    return f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _url(question: Question, _p: float, _rng: random.Random) -> list[str]:
    return [SAMPLE_LINK.format(question.id.replace(".", "/"))]


def _level(_question: Question, p: float, rng: random.Random) -> int:
    return max(0, min(4, round(p * 4 + rng.uniform(-0.6, 0.6))))


_ANSWERERS: dict[QuestionType, Callable[[Question, float, random.Random], Any]] = {
    QuestionType.YES_NO: _yes_no,
    QuestionType.YES_NO_PARTIAL: _yes_no,
    QuestionType.SINGLE_CHOICE: _single,
    QuestionType.MULTI_CHOICE: _multi,
    QuestionType.NUMBER: _number,
    QuestionType.TEXT: _text,
    QuestionType.DATE: _date,
    QuestionType.URL: _url,
    QuestionType.LEVEL: _level,
}
