"""From a definition and normalised answers to a Profile. Rules: docs/scoring.md.

Scoring reads the definition's compiled plan (`questionnaires.plan`: questions in document
order with their credit functions, visibility, tiers) and keeps beside it the outcomes it shares,
so scoring an answer set is a single pass over plain tuples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from questionnaires.plan import Plan as DefinitionPlan
from questionnaires.plan import PlannedIndicator, PlannedQuestion, compiled, credit_function
from questionnaires.schema import NOT_APPLICABLE, Definition, LevelTier, Question, ScoreTier
from questionnaires.types import TYPES
from questionnaires.types.base import Credit
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


class _QuestionPlan:
    """One question, compiled. A QuestionScore depends only on why the question did not count,
    or on its credit (one of a few values per question), so each is built once and shared."""

    __slots__ = ("_fixed", "_memo", "_unanswered", "credit", "id", "indicator_index", "key")

    def __init__(self, planned: PlannedQuestion) -> None:
        question = planned.question
        self.id = question.id
        self.indicator_index = planned.indicator_index
        self.credit = planned.credit  # None: it never earns credit
        self.key = (question.id, planned.section_id, planned.indicator_id, question.weight)
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
class _Plan:
    definition: Definition
    questions: tuple[_QuestionPlan, ...]
    compiled: DefinitionPlan
    indicators: tuple[PlannedIndicator, ...]
    sections: tuple[str, ...]
    section_indicators: tuple[tuple[int, ...], ...]
    tiers: tuple[Tier, ...]
    score_minimums: tuple[float, ...]  # weighted model, aligned with `tiers`
    level_tiers: tuple[LevelTier, ...]  # levels model, aligned with `tiers`


def score(
    definition: Definition, answers: Mapping[str, Any], country: str | None = None
) -> Profile:
    """The profile of `answers` (question id -> normalised value, as `parse_answers` returns)."""
    plan = _plan_of(definition)
    hidden = plan.compiled.hidden(answers)
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


def _level_indicator(ind: PlannedIndicator, parameters: list[ParameterScore]) -> IndicatorScore:
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


# --- What scoring keeps beside a definition's plan ---


def _scoring_plan(plan: DefinitionPlan) -> _Plan:
    tiers: tuple[ScoreTier | LevelTier, ...] = plan.tiers
    return _Plan(
        definition=plan.definition,
        questions=tuple(_QuestionPlan(q) for q in plan.questions),
        compiled=plan,
        indicators=plan.indicators,
        sections=plan.section_ids,
        section_indicators=plan.section_indicators,
        tiers=tuple(Tier(rank, t.id, t.name) for rank, t in enumerate(tiers, start=1)),
        score_minimums=tuple(t.min_score for t in tiers if isinstance(t, ScoreTier)),
        level_tiers=tuple(t for t in tiers if isinstance(t, LevelTier)),
    )


def _plan_of(definition: Definition) -> _Plan:
    compiled_plan = compiled(definition)
    plan: _Plan = compiled_plan.derived("scoring", lambda: _scoring_plan(compiled_plan))
    return plan


class _ByIdentity:
    """A definition as `_compile` takes it (kept for callers of the former plan cache)."""

    __slots__ = ("definition",)

    def __init__(self, definition: Definition) -> None:
        self.definition = definition


def _compile(key: _ByIdentity) -> _Plan:
    """The scoring plan of a definition: its compiled plan and what scoring keeps beside it."""
    return _plan_of(key.definition)


def _credit_function(question: Question, model: str) -> Credit | None:
    """How an answer turns into credit in `model`: the question type's (`questionnaires.types`)."""
    return credit_function(question, model)


def _threshold_credit(question: Question) -> Credit:
    """A number question's credit by its thresholds."""
    return TYPES["number"].credit(question)
