"""From a definition and normalised answers to a Profile. Rules: docs/scoring.md.

Each definition is compiled once into a plan (flat question list, credit functions, tier tables),
so scoring an answer set is a single pass over plain tuples.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from questionnaires.conditions import Visibility
from questionnaires.schema import (
    NOT_APPLICABLE,
    Definition,
    LevelTier,
    Question,
    QuestionType,
    ScoreTier,
)
from scoring.profile import (
    LEVEL_MAX,
    WEIGHTED_MAX,
    Gap,
    IndicatorScore,
    ParameterScore,
    Profile,
    QuestionScore,
    Reason,
    SectionScore,
    Tier,
)

Credit = Callable[[Any], float]


class _QuestionPlan:
    """One question, compiled. A QuestionScore depends only on why the question did not count,
    or on its credit (one of a few values per question), so each is built once and shared."""

    __slots__ = ("_fixed", "_memo", "_unanswered", "credit", "id", "indicator_index", "key")

    def __init__(
        self, question: Question, section_id: str, indicator_id: str, index: int, model: str
    ) -> None:
        self.id = question.id
        self.indicator_index = index
        self.credit = _credit_function(question, model)  # None: it never earns credit
        self.key = (question.id, section_id, indicator_id, question.weight)
        reasons: tuple[Reason, ...] = ("not_scored", "hidden", "not_applicable")
        self._fixed = {
            (reason, answered): QuestionScore(*self.key, None, False, answered, reason)
            for reason in reasons
            for answered in (False, True)
        }
        self._unanswered = QuestionScore(*self.key, 0.0, True, False)
        self._memo: dict[float, QuestionScore] = {}

    def outcome(self, value: Any, hidden: frozenset[str]) -> QuestionScore:
        answered = value is not None
        if self.credit is None:
            return self._fixed["not_scored", answered]
        if self.id in hidden:
            return self._fixed["hidden", answered]
        if not answered:
            return self._unanswered
        if value == NOT_APPLICABLE:
            return self._fixed["not_applicable", True]
        credit = self.credit(value)
        found = self._memo.get(credit)
        if found is None:
            found = self._memo.setdefault(credit, QuestionScore(*self.key, credit, True, True))
        return found


@dataclass(frozen=True, slots=True)
class _IndicatorPlan:
    id: str
    weight: float
    section_index: int


@dataclass(frozen=True, slots=True)
class _Plan:
    definition: Definition
    questions: tuple[_QuestionPlan, ...]
    visibility: Visibility | None  # None when no question has a condition
    indicators: tuple[_IndicatorPlan, ...]
    sections: tuple[str, ...]
    section_indicators: tuple[tuple[int, ...], ...]
    tiers: tuple[Tier, ...]
    score_minimums: tuple[float, ...]  # weighted model, aligned with `tiers`
    level_tiers: tuple[LevelTier, ...]  # levels model, aligned with `tiers`


class _ByIdentity:
    """Keys the plan cache by the definition object itself: definitions are frozen, and hashing a
    whole definition tree on every call would cost more than scoring it."""

    __slots__ = ("definition",)

    def __init__(self, definition: Definition) -> None:
        self.definition = definition

    def __hash__(self) -> int:
        return id(self.definition)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByIdentity) and other.definition is self.definition


def score(
    definition: Definition, answers: Mapping[str, Any], country: str | None = None
) -> Profile:
    """The profile of `answers` (question id -> normalised value, as `parse_answers` returns)."""
    plan = _compile(_ByIdentity(definition))
    hidden = plan.visibility.hidden(answers) if plan.visibility else frozenset()
    get = answers.get
    questions = tuple([q.outcome(get(q.id), hidden) for q in plan.questions])
    if definition.model == "weighted":
        return _weighted_profile(plan, questions, country)
    return _levels_profile(plan, questions, answers, country)


# --- Weighted model ---


def _weighted_profile(
    plan: _Plan, questions: tuple[QuestionScore, ...], country: str | None
) -> Profile:
    numerators = [0.0] * len(plan.indicators)
    denominators = [0.0] * len(plan.indicators)
    counts = [0] * len(plan.indicators)
    for q_plan, q in zip(plan.questions, questions, strict=True):
        if q.counted and q.credit is not None:
            i = q_plan.indicator_index
            numerators[i] += q.weight * q.credit
            denominators[i] += q.weight
            counts[i] += 1
    indicators = [
        IndicatorScore(
            ind.id, ind.weight, numerators[i] / denominators[i] if counts[i] else None, counts[i]
        )
        for i, ind in enumerate(plan.indicators)
    ]
    # Each pillar is worth an equal share of 100 points: 20 each for the GCI's five pillars.
    points = WEIGHTED_MAX / len(plan.sections) if plan.sections else 0.0
    sections = tuple(
        _weighted_section(section_id, [indicators[i] for i in members], points)
        for section_id, members in zip(plan.sections, plan.section_indicators, strict=True)
    )
    total = sum(s.score for s in sections)
    return Profile(
        questionnaire=plan.definition.id,
        version=plan.definition.version,
        model="weighted",
        country=country,
        total=total,
        max_total=WEIGHTED_MAX,
        tier=_score_tier(plan, total),
        sections=sections,
        questions=questions,
    )


def _weighted_section(
    section_id: str, indicators: list[IndicatorScore], points: float
) -> SectionScore:
    weighted = [(ind.weight, ind.score) for ind in indicators if ind.score is not None]
    weight_sum = sum(w for w, _ in weighted)
    mean = sum(w * s for w, s in weighted) / weight_sum if weighted else 0.0
    return SectionScore(section_id, points * mean, points, bool(weighted), tuple(indicators))


def _score_tier(plan: _Plan, total: float) -> Tier | None:
    # Decided on the total as published (two decimals), so the tier shown always matches it.
    published = round(total, 2)
    reached = (
        t
        for t, minimum in zip(plan.tiers, plan.score_minimums, strict=True)
        if published >= minimum
    )
    return next(reached, None)


# --- Levels model ---


def _levels_profile(
    plan: _Plan,
    questions: tuple[QuestionScore, ...],
    answers: Mapping[str, Any],
    country: str | None,
) -> Profile:
    parameters = tuple(
        ParameterScore(q.id, q.section, q.indicator, _level(q, answers.get(q.id)))
        for q in questions
        if q.reason != "not_scored"
    )
    counted = [p for p in parameters if p.level is not None]
    by_indicator: dict[str, list[ParameterScore]] = {}
    by_section: dict[str, list[ParameterScore]] = {}
    for p in counted:
        by_indicator.setdefault(p.indicator, []).append(p)
        by_section.setdefault(p.section, []).append(p)
    indicators = [_level_indicator(ind, by_indicator.get(ind.id, [])) for ind in plan.indicators]
    sections = tuple(
        _level_section(sid, [indicators[i] for i in members], by_section.get(sid, []))
        for sid, members in zip(plan.sections, plan.section_indicators, strict=True)
    )
    tier, next_tier, gaps = _level_tier(plan, counted)
    return Profile(
        questionnaire=plan.definition.id,
        version=plan.definition.version,
        model="levels",
        country=country,
        total=_mean_level(counted),
        max_total=float(LEVEL_MAX),
        tier=tier,
        sections=sections,
        questions=questions,
        parameters=parameters,
        next_tier=next_tier,
        gaps=gaps,
    )


def _level(question: QuestionScore, value: Any) -> int | None:
    if not question.counted:
        return None
    return value if isinstance(value, int) else 0  # unanswered is level 0


def _mean_level(parameters: list[ParameterScore]) -> float:
    levels = [p.level for p in parameters if p.level is not None]
    return sum(levels) / len(levels) if levels else 0.0


def _level_indicator(ind: _IndicatorPlan, parameters: list[ParameterScore]) -> IndicatorScore:
    mean = _mean_level(parameters) if parameters else None
    return IndicatorScore(ind.id, ind.weight, mean, len(parameters))


def _level_section(
    section_id: str, indicators: list[IndicatorScore], parameters: list[ParameterScore]
) -> SectionScore:
    # The mean over the category's parameters, not over its indicators' means.
    return SectionScore(
        section_id, _mean_level(parameters), float(LEVEL_MAX), bool(parameters), tuple(indicators)
    )


def _level_tier(
    plan: _Plan, counted: list[ParameterScore]
) -> tuple[Tier | None, Tier | None, tuple[Gap, ...]]:
    reached_index = next(
        (i for i, t in enumerate(plan.tiers) if not _gaps(plan, t, counted)), len(plan.tiers)
    )
    reached = plan.tiers[reached_index] if reached_index < len(plan.tiers) else None
    if reached_index == 0:
        return reached, None, ()
    target = plan.tiers[reached_index - 1]
    return reached, target, _gaps(plan, target, counted)


def _gaps(plan: _Plan, tier: Tier, counted: list[ParameterScore]) -> tuple[Gap, ...]:
    declared = plan.level_tiers[tier.rank - 1]
    gaps = []
    for p in counted:
        required = declared.min_level(p.id)
        if p.level is not None and p.level < required:
            gaps.append(Gap(p.id, p.level, required))
    return tuple(gaps)


# --- Compiling a definition ---


@lru_cache(maxsize=64)
def _compile(key: _ByIdentity) -> _Plan:
    definition = key.definition
    questions: list[_QuestionPlan] = []
    indicators: list[_IndicatorPlan] = []
    section_indicators: list[tuple[int, ...]] = []
    for s_index, section in enumerate(definition.sections):
        members = []
        for indicator in section.indicators:
            members.append(len(indicators))
            indicators.append(_IndicatorPlan(indicator.id, indicator.weight, s_index))
            questions += [
                _QuestionPlan(q, section.id, indicator.id, members[-1], definition.model)
                for q in indicator.questions
            ]
        section_indicators.append(tuple(members))
    conditions = [(q.id, q.show_if) for q in definition.questions()]
    tiers: tuple[ScoreTier | LevelTier, ...] = definition.effective_tiers
    return _Plan(
        definition=definition,
        questions=tuple(questions),
        visibility=Visibility(conditions) if any(c for _, c in conditions) else None,
        indicators=tuple(indicators),
        sections=tuple(s.id for s in definition.sections),
        section_indicators=tuple(section_indicators),
        tiers=tuple(Tier(rank, t.id, t.name) for rank, t in enumerate(tiers, start=1)),
        score_minimums=tuple(t.min_score for t in tiers if isinstance(t, ScoreTier)),
        level_tiers=tuple(t for t in tiers if isinstance(t, LevelTier)),
    )


def _credit_function(question: Question, model: str) -> Credit | None:
    """How an answer (never None or n/a here) turns into credit 0..1; None if it earns none."""
    if not question.is_scored or (model == "levels" and question.type is not QuestionType.LEVEL):
        return None
    # Text, date and url questions a definition chose to score earn full credit for an answer.
    return _CREDIT_BUILDERS.get(question.type, _answered_credit)(question)


def _yes_no_credit(question: Question) -> Credit:
    table = {"yes": 1.0, "no": 0.0, "partial": question.partial_score}
    return lambda value: table.get(value, 0.0)


def _single_choice_credit(question: Question) -> Credit:
    scores = {c.id: c.score for c in question.choices or ()}
    return lambda value: scores.get(value, 0.0)


def _multi_choice_credit(question: Question) -> Credit:
    scores = {c.id: c.score for c in question.choices or ()}
    return lambda value: min(1.0, sum(scores.get(v, 0.0) for v in value))


def _level_credit(question: Question) -> Credit:
    return lambda value: value / LEVEL_MAX


def _answered_credit(question: Question) -> Credit:
    return lambda value: 1.0


def _threshold_credit(question: Question) -> Credit:
    # Sorted by minimum; equal minimums keep the best score, so order in the file never matters.
    ordered = sorted(question.thresholds or (), key=lambda t: (t.min, t.score))
    mins = [t.min for t in ordered]
    scores = [t.score for t in ordered]

    def credit(value: float) -> float:
        index = bisect.bisect_right(mins, value)
        return scores[index - 1] if index else 0.0

    return credit


_CREDIT_BUILDERS: dict[QuestionType, Callable[[Question], Credit]] = {
    QuestionType.YES_NO: _yes_no_credit,
    QuestionType.YES_NO_PARTIAL: _yes_no_credit,
    QuestionType.SINGLE_CHOICE: _single_choice_credit,
    QuestionType.MULTI_CHOICE: _multi_choice_credit,
    QuestionType.NUMBER: _threshold_credit,
    QuestionType.LEVEL: _level_credit,
}
