"""Strengths, areas for growth and the indicators that would raise the total most."""

from __future__ import annotations

import pytest

from questionnaires.answers import parse_answers
from questionnaires.schema import Definition
from scoring import highlights, opportunities, score, strengths_and_growth
from tests.scoring.test_golden import example_answers, levels_example, profile_of


def test_strengths_and_growth_against_the_countrys_own_average(weighted: Definition) -> None:
    profile = profile_of(weighted, example_answers())
    average, strengths, growth = strengths_and_growth(profile)
    assert average == pytest.approx((14.5 + 10 + 10 + 14 + 20) / 5)  # 13.7
    assert [(d.id, round(d.difference, 6)) for d in strengths] == [
        ("cooperation", 6.3),
        ("legal", 0.8),
        ("capacity", 0.3),
    ]
    # Equal distances keep the definition's order.
    assert [(d.id, round(d.difference, 6)) for d in growth] == [
        ("technical", -3.7),
        ("organizational", -3.7),
    ]


def test_even_profile_has_no_strengths_or_growth(weighted: Definition) -> None:
    assert strengths_and_growth(profile_of(weighted, {})) == (0.0, (), ())


def test_opportunities_are_the_gain_to_full_marks(weighted: Definition) -> None:
    profile = profile_of(weighted, example_answers())
    found = [(o.id, round(o.gain, 6)) for o in opportunities(profile)]
    assert found == [
        ("technical.cirt", 10.0),  # 20 x (1 - 0.5)
        ("organizational.strategy", 10.0),
        ("capacity.training", 6.0),  # 20 x (1 - 0.7)
        ("legal.law", round(20 * 2 / 3 * (1 - 0.6875), 6)),  # weight 2 of 3
        ("legal.scope", round(20 * 1 / 3 * (1 - 0.8), 6)),
    ]


def test_opportunity_gain_is_what_full_marks_would_add(weighted: Definition) -> None:
    raw = example_answers()
    before = profile_of(weighted, raw)
    improved = {**raw, "legal.law.draft": "yes", "legal.law.drafted-rules": "yes"}
    after = profile_of(weighted, improved)
    gain = next(o.gain for o in opportunities(before) if o.id == "legal.law")
    assert after.total - before.total == pytest.approx(gain)


def test_levels_opportunities_and_growth(levels: Definition) -> None:
    profile = profile_of(levels, levels_example())
    # Four counted parameters: each missing level step adds 1/4 to the overall mean.
    assert [(o.id, o.gain) for o in opportunities(profile)] == [
        ("h.people", (2 + 3) / 4),
        ("o.gov", (1 + 2) / 4),
    ]
    average, strengths, growth = strengths_and_growth(profile)
    assert average == 2.0
    assert ([d.id for d in strengths], [d.id for d in growth]) == (["o"], ["h"])


def test_highlights_cut_to_limit(weighted: Definition) -> None:
    profile = score(weighted, parse_answers(weighted, example_answers()))
    found = highlights(profile, limit=1)
    assert [d.id for d in found.strengths] == ["cooperation"]
    assert [d.id for d in found.growth] == ["technical"]
    assert [o.id for o in found.opportunities] == ["technical.cirt"]
    assert len(highlights(profile).opportunities) == 5


# Answers whose equal figures are computed along different paths, so they differ by float noise.
NOISY_SECTIONS = {
    "legal.law.exists": "yes",  # legal: 20 x 0.8 = 15.999999999999998
    "legal.law.draft": "no",
    "legal.law.drafted-rules": "yes",
    "legal.scope.coverage": "full",
    "legal.scope.offences": ["access", "fraud"],
    "technical.cirt.teams": 4,
    "technical.cirt.sectoral": 0,
    "technical.cirt.mandate": "Answer text",
    "technical.standards.adopted": "no",
    "organizational.strategy.exists": "yes",
    "organizational.strategy.funded": "yes",
    "capacity.training.programme": "yes",  # capacity: 20 x 0.8 = 16.0
    "capacity.training.curricula": "yes",
}
NOISY_GAINS = {
    "legal.law.exists": "yes",  # legal.law: 20 x 2/3 x 1/4 = 3.3333333333333335
    "legal.law.draft": "yes",
    "legal.law.drafted-rules": "no",
    "legal.scope.offences": ["access", "interference"],
    "technical.cirt.teams": 10000,  # technical.cirt: 20 x 1 x 1/6 = 3.333333333333334
    "technical.cirt.sectoral": 5.5,
    "organizational.strategy.exists": "yes",
    "organizational.strategy.plan": "no",
    "capacity.training.curricula": "yes",
    "capacity.training.depth": 4,
    "cooperation.agreements.bilateral": "no",
    "cooperation.regional.member": "no",
}


def test_ties_in_float_noise_keep_the_definitions_order(weighted: Definition) -> None:
    profile = profile_of(weighted, NOISY_SECTIONS)
    scores = {s.id: s.score for s in profile.sections}
    assert scores["legal"] != scores["capacity"]  # the noise this test is about
    assert scores["legal"] == pytest.approx(scores["capacity"])
    _, strengths, _ = strengths_and_growth(profile)
    assert [d.id for d in strengths] == ["legal", "capacity", "organizational"]


def test_gains_tied_in_float_noise_keep_the_definitions_order(weighted: Definition) -> None:
    profile = profile_of(weighted, NOISY_GAINS)
    gains = {o.id: o.gain for o in opportunities(profile)}
    assert gains["legal.law"] != gains["technical.cirt"]
    assert gains["legal.law"] == pytest.approx(gains["technical.cirt"])
    tied = [o.id for o in opportunities(profile) if o.gain == pytest.approx(10 / 3)]
    assert tied == ["legal.law", "technical.cirt"]


def test_the_answers_order_does_not_change_the_highlights(weighted: Definition) -> None:
    forward = highlights(profile_of(weighted, NOISY_GAINS), limit=3)
    backward = highlights(profile_of(weighted, dict(reversed(NOISY_GAINS.items()))), limit=3)
    assert forward == backward
