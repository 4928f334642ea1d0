"""Properties of scoring on the shipped definitions and the golden fixtures, checked by Hypothesis.

Runs are derandomised: the same examples every time, so a failure is always reproducible.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaires.answers import normalize_answer, parse_answers
from questionnaires.loader import shipped_definitions
from questionnaires.schema import (
    LANGUAGES,
    Definition,
    LevelTier,
    Question,
    condition_references,
)
from scoring import Profile, profile_to_json, score
from scoring.engine import _credit_function
from tests.scoring.conftest import fixture_definition
from tests.scoring.strategies import answer_sets, best_answer, candidates, fully_positive

SHIPPED = list(shipped_definitions())
# The lint-clean fixtures join in for the general properties: they have chained and negated
# conditions and n/a parameters that the shipped definitions may not.
ALL = [*SHIPPED, fixture_definition("weighted"), fixture_definition("levels")]

PROPERTY = settings(
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def ids(definitions: list[Definition]) -> list[str]:
    return [f"{d.id}-v{d.version}" for d in definitions]


def profile_of(definition: Definition, raw: dict[str, Any]) -> Profile:
    return score(definition, parse_answers(definition, raw))


def test_shipped_definitions_are_there() -> None:
    assert {d.model for d in SHIPPED} == {"weighted", "levels"}


@pytest.mark.parametrize("definition", ALL, ids=ids(ALL))
@PROPERTY
@given(data=st.data())
def test_scores_stay_in_range(definition: Definition, data: st.DataObject) -> None:
    profile = profile_of(definition, data.draw(answer_sets(definition)))
    assert 0 <= profile.total <= profile.max_total
    for section in profile.sections:
        assert 0 <= section.score <= section.max_score
        for indicator in section.indicators:
            top = 1.0 if profile.model == "weighted" else 4.0
            assert indicator.score is None or 0 <= indicator.score <= top
    assert all(q.credit is None or 0 <= q.credit <= 1 for q in profile.questions)
    if profile.model == "weighted":
        assert profile.max_total == 100
        if len(profile.sections) == 5:
            assert all(s.max_score == 20 for s in profile.sections)


def credit(question: Question, model: str, raw: Any) -> float:
    """What `raw` earns on its own (unanswered earns 0)."""
    value = normalize_answer(question, raw)
    function = _credit_function(question, model)
    return 0.0 if value is None or function is None else function(value)


def scores(profile: Profile) -> list[float | None]:
    """Every score of a profile in a fixed order: total, sections, indicators."""
    found: list[float | None] = [profile.total]
    for section in profile.sections:
        found.append(section.score)
        found += [indicator.score for indicator in section.indicators]
    return found


def assert_not_lower(better: Profile, worse: Profile) -> None:
    for high, low in zip(scores(better), scores(worse), strict=True):
        if high is not None and low is not None:
            assert high >= low
    if worse.tier is not None:
        assert better.tier is not None
        assert better.tier.rank <= worse.tier.rank


def gates(definition: Definition) -> set[str]:
    return {
        ref for q in definition.questions() if q.show_if for ref in condition_references(q.show_if)
    }


@pytest.mark.parametrize("definition", ALL, ids=ids(ALL))
@PROPERTY
@given(data=st.data())
def test_a_more_positive_answer_never_lowers_a_score(
    definition: Definition, data: st.DataObject
) -> None:
    # Questions no condition refers to: any other answers.
    plain = [q for q in definition.questions() if q.id not in gates(definition)]
    question = data.draw(st.sampled_from(plain))
    answers = data.draw(answer_sets(definition))
    first, second = data.draw(
        st.lists(st.sampled_from(candidates(question)), min_size=2, max_size=2)
    )
    low, high = sorted((first, second), key=lambda raw: credit(question, definition.model, raw))
    worse = profile_of(definition, {**answers, question.id: low})
    better = profile_of(definition, {**answers, question.id: high})
    assert_not_lower(better, worse)


GATED = [d for d in SHIPPED if gates(d)]


@pytest.mark.parametrize("definition", GATED, ids=ids(GATED))
@PROPERTY
@given(data=st.data())
def test_a_more_positive_gate_answer_never_lowers_a_score(
    definition: Definition, data: st.DataObject
) -> None:
    # A gate question reveals follow-ups, which then count. With those follow-ups at full marks,
    # a more positive gate answer must not lower anything: the shipped conditions only ever
    # reveal questions as answers improve, never hide one.
    question = data.draw(
        st.sampled_from([definition.question(i) for i in sorted(gates(definition))])
    )
    answers = data.draw(answer_sets(definition))
    answers |= {q.id: best_answer(q) for q in definition.questions() if q.show_if is not None}
    first, second = data.draw(
        st.lists(st.sampled_from(candidates(question)), min_size=2, max_size=2)
    )
    low, high = sorted((first, second), key=lambda raw: credit(question, definition.model, raw))
    worse = profile_of(definition, {**answers, question.id: low})
    better = profile_of(definition, {**answers, question.id: high})
    assert_not_lower(better, worse)


@pytest.mark.parametrize("definition", ALL, ids=ids(ALL))
@PROPERTY
@given(data=st.data())
def test_answer_order_and_language_do_not_matter(
    definition: Definition, data: st.DataObject
) -> None:
    raw = data.draw(answer_sets(definition))
    order = data.draw(st.permutations(list(raw)))
    profile = profile_of(definition, raw)
    assert profile_of(definition, {key: raw[key] for key in order}) == profile
    english = profile_to_json(profile)
    for lang in LANGUAGES:
        translated = profile_to_json(profile, lang=lang)
        for key in ("tier", "next_tier"):
            if translated.get(key):
                translated[key]["name"] = english[key]["name"]
        assert translated == english


@pytest.mark.parametrize("definition", SHIPPED, ids=ids(SHIPPED))
def test_fully_positive_answers_reach_tier_one(definition: Definition) -> None:
    profile = profile_of(definition, fully_positive(definition))
    assert profile.tier is not None
    assert profile.tier.rank == 1
    assert profile.total == profile.max_total
    assert profile.gaps == ()


@pytest.mark.parametrize("definition", SHIPPED, ids=ids(SHIPPED))
def test_no_answers_is_the_bottom(definition: Definition) -> None:
    profile = profile_of(definition, {})
    lowest = len(definition.effective_tiers)
    assert profile.total == 0
    if profile.tier is not None:
        assert profile.tier.rank == lowest
    else:
        # A levels definition whose lowest tier asks for more than level 0 leaves an empty
        # answer set below every tier, one step short of the lowest.
        assert definition.model == "levels"
        assert profile.next_tier is not None
        assert profile.next_tier.rank == lowest
        bottom = definition.effective_tiers[-1]
        assert isinstance(bottom, LevelTier)
        short = [p.id for p in profile.parameters if bottom.min_level(p.id) > 0]
        assert [g.id for g in profile.gaps] == short
