"""Regional and global benchmarks from a set of profiles of one questionnaire version.

A group of fewer than MIN_GROUP_SIZE countries shows no figures at all: with one or two members,
a mean would give away a country's own score.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scoring.profile import Profile

MIN_GROUP_SIZE = 3


@dataclass(frozen=True, slots=True)
class Stats:
    """Mean and quartiles (inclusive method: linear interpolation between the sorted scores)."""

    mean: float
    q1: float
    median: float
    q3: float


@dataclass(frozen=True, slots=True)
class GroupBenchmark:
    group: str | None  # None for the global benchmark
    countries: int
    total: Stats | None  # None when the group is smaller than MIN_GROUP_SIZE
    sections: dict[str, Stats | None]  # section id -> stats, in definition order


@dataclass(frozen=True, slots=True)
class Benchmark:
    overall: GroupBenchmark
    groups: dict[str, GroupBenchmark]  # by group name, sorted


def benchmark(profiles: Iterable[Profile], group_of: Callable[[Profile], str | None]) -> Benchmark:
    """Global and per-group figures; `group_of` names a profile's group (e.g. its ITU region),
    or None to count it in the global figures only. One profile per country."""
    profiles = list(profiles)
    _check_comparable(profiles)
    members: dict[str, list[Profile]] = {}
    for profile in profiles:
        group = group_of(profile)
        if group is not None:
            members.setdefault(group, []).append(profile)
    return Benchmark(
        overall=_group(None, profiles),
        groups={name: _group(name, members[name]) for name in sorted(members)},
    )


def _check_comparable(profiles: list[Profile]) -> None:
    editions = {(p.questionnaire, p.version) for p in profiles}
    if len(editions) > 1:
        raise ValueError(f"profiles of different questionnaires cannot be compared: {editions}")
    countries = [p.country for p in profiles if p.country is not None]
    if len(countries) != len(set(countries)):
        raise ValueError("a country appears twice; benchmarks take one profile per country")


def _group(name: str | None, profiles: list[Profile]) -> GroupBenchmark:
    section_ids = [s.id for s in profiles[0].sections] if profiles else []
    return GroupBenchmark(
        group=name,
        countries=len(profiles),
        total=_stats([p.total for p in profiles]),
        sections={sid: _stats([p.section(sid).score for p in profiles]) for sid in section_ids},
    )


def _stats(values: list[float]) -> Stats | None:
    if len(values) < MIN_GROUP_SIZE:
        return None
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Stats(statistics.fmean(values), q1, median, q3)
