"""Reading a profile: relative strengths, areas for growth, and where effort pays most."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from scoring.profile import LEVEL_MAX, IndicatorScore, Profile, SectionScore

#: Differences smaller than this are rounding noise, not a strength or a weakness.
_EPSILON = 1e-9
#: Values are ranked by their value rounded to this many decimals, then by the definition's order:
#: two paths to the same figure (16 as 15.999999999999998 and as 16.0) are a tie, not an order.
_RANK_DIGITS = 9

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class SectionDelta:
    """A pillar or category and how far its score is from the country's own average."""

    id: str
    score: float
    difference: float


@dataclass(frozen=True, slots=True)
class Opportunity:
    """An indicator and the points the total would gain if it reached full marks."""

    id: str
    section: str
    score: float
    gain: float


@dataclass(frozen=True, slots=True)
class Highlights:
    average: float
    strengths: tuple[SectionDelta, ...]  # furthest above the average first
    growth: tuple[SectionDelta, ...]  # furthest below the average first
    opportunities: tuple[Opportunity, ...]  # largest gain first


def highlights(profile: Profile, limit: int | None = None) -> Highlights:
    """Strengths, areas for growth and opportunities, each cut to `limit` entries if given."""
    average, strengths, growth = strengths_and_growth(profile)
    return Highlights(average, strengths[:limit], growth[:limit], opportunities(profile)[:limit])


def strengths_and_growth(
    profile: Profile,
) -> tuple[float, tuple[SectionDelta, ...], tuple[SectionDelta, ...]]:
    """The country's own section average, the sections above it and those below it.

    Sections where nothing counted have no score to compare and are left out; ties keep the
    definition's order.
    """
    sections = [s for s in profile.sections if s.counted]
    if not sections:
        return 0.0, (), ()
    average = sum(s.score for s in sections) / len(sections)
    deltas = [SectionDelta(s.id, s.score, s.score - average) for s in sections]
    above = _ranked([d for d in deltas if d.difference > _EPSILON], lambda d: -d.difference)
    below = _ranked([d for d in deltas if d.difference < -_EPSILON], lambda d: d.difference)
    return average, above, below


def opportunities(profile: Profile) -> tuple[Opportunity, ...]:
    """Counted indicators below full marks, by how much the total would rise if each reached it."""
    found = [
        Opportunity(ind.id, section.id, ind.score, gain)
        for section in profile.sections
        for ind, gain in _gains(profile, section)
        if ind.score is not None and gain > _EPSILON
    ]
    return _ranked(found, lambda o: -o.gain)


def _ranked(items: list[_T], value: Callable[[_T], float]) -> tuple[_T, ...]:
    """`items` (in the definition's order) by `value`, smallest first; ties keep their order.

    Rounding first makes figures that differ only by float noise a tie (sorting is stable).
    """
    return tuple(sorted(items, key=lambda item: round(value(item), _RANK_DIGITS)))


def _gains(profile: Profile, section: SectionScore) -> list[tuple[IndicatorScore, float]]:
    if profile.model == "weighted":
        return _weighted_gains(section)
    return _level_gains(profile, section)


def _weighted_gains(section: SectionScore) -> list[tuple[IndicatorScore, float]]:
    # An indicator's share of its pillar is its weight over the weights of the counted indicators.
    counted = [ind for ind in section.indicators if ind.score is not None]
    weight_sum = sum(ind.weight for ind in counted)
    return [
        (ind, section.max_score * ind.weight / weight_sum * (1.0 - (ind.score or 0.0)))
        for ind in counted
    ]


def _level_gains(profile: Profile, section: SectionScore) -> list[tuple[IndicatorScore, float]]:
    # The overall level is the mean over all counted parameters, so each missing level step
    # raises it by 1 / (number of counted parameters).
    counted = [p for p in profile.parameters if p.level is not None]
    gains = []
    for ind in section.indicators:
        missing = sum(LEVEL_MAX - (p.level or 0) for p in counted if p.indicator == ind.id)
        gains.append((ind, missing / len(counted) if counted else 0.0))
    return gains
