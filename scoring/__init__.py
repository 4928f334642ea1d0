"""Scoring: a questionnaire definition plus normalised answers in, a maturity profile out.

Pure Python and deterministic; the rules are documented in docs/scoring.md.
"""

from scoring.benchmark import MIN_GROUP_SIZE, Benchmark, GroupBenchmark, Stats, benchmark
from scoring.engine import score
from scoring.insights import (
    Highlights,
    Opportunity,
    SectionDelta,
    highlights,
    opportunities,
    strengths_and_growth,
)
from scoring.output import profile_to_json, tier_to_json
from scoring.profile import (
    Gap,
    IndicatorScore,
    ParameterScore,
    Profile,
    QuestionScore,
    Reason,
    SectionScore,
    Tier,
)

__all__ = [
    "MIN_GROUP_SIZE",
    "Benchmark",
    "Gap",
    "GroupBenchmark",
    "Highlights",
    "IndicatorScore",
    "Opportunity",
    "ParameterScore",
    "Profile",
    "QuestionScore",
    "Reason",
    "SectionDelta",
    "SectionScore",
    "Stats",
    "Tier",
    "benchmark",
    "highlights",
    "opportunities",
    "profile_to_json",
    "score",
    "strengths_and_growth",
    "tier_to_json",
]
