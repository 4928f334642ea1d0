"""The maturity profile: every score, and for each one the figures it was computed from.

Scores are unrounded floats; only the JSON output and the printed summary round them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from questionnaires.schema import Text

#: Why a question did not count: its condition hid it, it was answered "n/a", or it earns no credit.
Reason = Literal["hidden", "not_applicable", "not_scored"]
Model = Literal["weighted", "levels"]

#: Points of the weighted total and the top level of the levels model.
WEIGHTED_MAX = 100.0
LEVEL_MAX = 4


@dataclass(frozen=True, slots=True)
class QuestionScore:
    """One question's share: credit (0..1) times weight, when it counted."""

    id: str
    section: str
    indicator: str
    weight: float
    credit: float | None  # None when the question did not count
    counted: bool
    answered: bool
    reason: Reason | None = None


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """Weighted model: weighted mean credit, 0..1. Levels model: mean level, 0..4.

    `score` is None when no question of the indicator counted; it is then left out of its section.
    """

    id: str
    weight: float
    score: float | None
    counted_questions: int


@dataclass(frozen=True, slots=True)
class SectionScore:
    """A pillar (0..max_score points) or a category (mean level, 0..4)."""

    id: str
    score: float
    max_score: float
    counted: bool  # False when nothing in the section counted; the score is then 0
    indicators: tuple[IndicatorScore, ...]


@dataclass(frozen=True, slots=True)
class Tier:
    rank: int  # 1 is the highest
    id: str
    name: Text


@dataclass(frozen=True, slots=True)
class ParameterScore:
    """A parameter of the levels model; `level` is None when it did not count."""

    id: str
    section: str
    indicator: str
    level: int | None


@dataclass(frozen=True, slots=True)
class Gap:
    """A parameter below the level the next tier up requires."""

    id: str
    level: int
    required: int


@dataclass(frozen=True, slots=True)
class Profile:
    questionnaire: str
    version: int
    model: Model
    country: str | None
    total: float  # weighted: 0..100 points; levels: mean level 0..4
    max_total: float
    tier: Tier | None  # None only when a definition's tiers leave the bottom open
    sections: tuple[SectionScore, ...]
    questions: tuple[QuestionScore, ...]
    parameters: tuple[ParameterScore, ...] = ()  # levels model only
    next_tier: Tier | None = None  # levels model: the tier the gaps refer to
    gaps: tuple[Gap, ...] = ()

    @property
    def section_kind(self) -> Literal["pillars", "categories"]:
        return "pillars" if self.model == "weighted" else "categories"

    def section(self, section_id: str) -> SectionScore:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def question(self, question_id: str) -> QuestionScore:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)
