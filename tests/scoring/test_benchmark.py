"""Regional and global benchmarks, and the group size that keeps each country's score private."""

from __future__ import annotations

import pytest

from scoring import MIN_GROUP_SIZE, Profile, SectionScore, Stats, benchmark


def make_profile(country: str, legal: float, technical: float, questionnaire: str = "q") -> Profile:
    return Profile(
        questionnaire=questionnaire,
        version=1,
        model="weighted",
        country=country,
        total=legal + technical,
        max_total=100.0,
        tier=None,
        sections=(
            SectionScore("legal", legal, 50.0, True, ()),
            SectionScore("technical", technical, 50.0, True, ()),
        ),
        questions=(),
    )


REGIONS = {"AAA": "africa", "BBB": "africa", "CCC": "africa", "DDD": "africa", "EEE": "europe"}

PROFILES = [
    make_profile("AAA", 10, 0),
    make_profile("BBB", 20, 0),
    make_profile("CCC", 30, 10),
    make_profile("DDD", 40, 10),
    make_profile("EEE", 50, 50),
    make_profile("FFF", 0, 0),  # no region known: counted globally only
]


def test_group_means_and_quartiles() -> None:
    result = benchmark(PROFILES, lambda p: REGIONS.get(p.country or ""))
    africa = result.groups["africa"]
    assert africa.countries == 4
    # Totals 10, 20, 40, 50: quartiles interpolate between the sorted values.
    assert africa.total == Stats(mean=30.0, q1=17.5, median=30.0, q3=42.5)
    assert africa.sections["legal"] == Stats(mean=25.0, q1=17.5, median=25.0, q3=32.5)
    assert list(africa.sections) == ["legal", "technical"]


def test_small_groups_show_no_figures() -> None:
    result = benchmark(PROFILES, lambda p: REGIONS.get(p.country or ""))
    europe = result.groups["europe"]
    assert MIN_GROUP_SIZE == 3
    assert (europe.countries, europe.total, europe.sections) == (
        1,
        None,
        {"legal": None, "technical": None},
    )


def test_global_figures_include_every_profile() -> None:
    result = benchmark(PROFILES, lambda p: REGIONS.get(p.country or ""))
    assert result.overall.group is None
    assert result.overall.countries == 6
    assert result.overall.total is not None
    assert result.overall.total.mean == pytest.approx((10 + 20 + 40 + 50 + 100 + 0) / 6)
    assert list(result.groups) == ["africa", "europe"]


def test_exactly_three_countries_show_figures() -> None:
    result = benchmark(PROFILES[:3], lambda p: "one")
    assert result.groups["one"].total == Stats(mean=70 / 3, q1=15.0, median=20.0, q3=30.0)
    assert benchmark(PROFILES[:2], lambda p: "one").overall.total is None


def test_no_profiles() -> None:
    result = benchmark([], lambda p: "x")
    assert (result.overall.countries, result.overall.total, result.groups) == (0, None, {})


def test_profiles_must_be_comparable() -> None:
    with pytest.raises(ValueError, match="different questionnaires"):
        benchmark([*PROFILES[:3], make_profile("ZZZ", 1, 1, questionnaire="other")], lambda p: None)
    with pytest.raises(ValueError, match="twice"):
        benchmark([*PROFILES[:3], make_profile("AAA", 1, 1)], lambda p: None)
