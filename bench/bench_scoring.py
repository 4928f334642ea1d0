"""Scoring speed: the national questionnaire answered in full by 194 countries, on one core.

    .venv/bin/python bench/bench_scoring.py [--repeat N] [--seed S]

Answer sets are generated from a fixed seed, each country with its own maturity so that answers
range from mostly "no" to mostly "yes". Timed: scoring all 194 normalised answer sets (warm: the
compiled plan is cached; cold: the first run, compiling the plan). For scale, the same run times
`json.dumps` of the 194 answer sets, the least any code that reads every answer must spend.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from app.countries.operations import read_country_records
from app.demo.answers import generate_answers
from questionnaires import plan as definition_plans
from questionnaires.answers import AnswerValue, parse_answers
from questionnaires.loader import get_definition
from questionnaires.schema import Definition
from scoring import benchmark, score

QUESTIONNAIRE = "national-cybersecurity"
TARGET_MS = 100.0


def countries() -> list[tuple[str, str]]:
    """(ISO3, ITU region) of the 194 countries the GCI covers."""
    return [(r.iso3, r.region.value) for r in read_country_records()]


def answer_sets(definition: Definition, count: int, seed: int) -> list[dict[str, Any]]:
    """`count` full raw answer sets, from the generator the demo data uses."""
    rng = random.Random(seed)
    return [generate_answers(definition, rng.random(), rng) for _ in range(count)]


def _timed(run: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds per run, `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity here)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed runs (default 50)")
    parser.add_argument("--seed", type=int, default=2024, help="answer generator seed")
    args = parser.parse_args()
    pinned = _pin_to_one_core()
    definition = get_definition(QUESTIONNAIRE)
    places = countries()
    raw_sets = answer_sets(definition, len(places), args.seed)
    normalised: list[dict[str, AnswerValue]] = [parse_answers(definition, r) for r in raw_sets]

    def score_all() -> list[Any]:
        return [score(definition, a, iso3) for a, (iso3, _) in zip(normalised, places, strict=True)]

    definition_plans.clear()
    cold = _timed(score_all, 1)[0]
    warm = _timed(score_all, args.repeat)
    baseline = _timed(lambda: [json.dumps(a) for a in normalised], args.repeat)
    profiles = score_all()
    regions = dict(places)
    bench = _timed(lambda: benchmark(profiles, lambda p: regions[p.country or ""]), args.repeat)
    report(
        definition=definition,
        count=len(places),
        pinned=pinned,
        cold=cold,
        warm=warm,
        baseline=baseline,
        bench=bench,
        profiles=profiles,
    )


def report(
    *,
    definition: Definition,
    count: int,
    pinned: str,
    cold: float,
    warm: list[float],
    baseline: list[float],
    bench: list[float],
    profiles: list[Any],
) -> None:
    best, median, base = min(warm), statistics.median(warm), min(baseline)
    totals = sorted(p.total for p in profiles)
    print(
        f"{definition.id} v{definition.version}: {len(definition.questions())} questions, "
        f"{count} countries, {len(warm)} runs, {pinned}"
    )
    print(
        f"totals from {totals[0]:.1f} to {totals[-1]:.1f}, median {statistics.median(totals):.1f}"
    )
    print(f"score all: best {best:.1f} ms, median {median:.1f} ms, first run {cold:.1f} ms")
    print(f"baseline json.dumps of the answer sets: best {base:.1f} ms (ratio {best / base:.1f}x)")
    print(f"regional benchmarks of the {count} profiles: best {min(bench):.2f} ms")
    verdict = "meets" if median < TARGET_MS else "misses"
    print()
    print("| Scored | Best | Median | First run | Baseline | Ratio | Target |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {count} full answer sets | {best:.1f} ms | {median:.1f} ms | {cold:.1f} ms "
        f"| {base:.1f} ms | {best / base:.1f}x | {verdict} the {TARGET_MS:g} ms target |"
    )


if __name__ == "__main__":
    main()
