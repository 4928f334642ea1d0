"""Golden profiles: every scoring rule checked against figures worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from questionnaires.answers import load_answers_file, parse_answers
from questionnaires.loader import load_definition
from questionnaires.schema import Definition
from scoring import Profile, score
from scoring.engine import _threshold_credit
from tests.scoring.conftest import FIXTURES, fixture_definition
from tests.scoring.strategies import fully_positive


def profile_of(definition: Definition, raw: dict[str, Any]) -> Profile:
    return score(definition, parse_answers(definition, raw))


def example_answers() -> dict[str, Any]:
    return load_answers_file(FIXTURES / "weighted-answers.yaml").answers


# The worked example of docs/scoring.md, question by question: (credit, weight, counted, reason).
EXAMPLE_QUESTIONS = {
    "legal.law.exists": (1.0, 2.0, True, None),
    "legal.law.draft": (0.5, 1.0, True, None),
    "legal.law.drafted-rules": (0.25, 1.0, True, None),  # partial with its own score
    "legal.scope.coverage": (0.6, 1.0, True, None),
    "legal.scope.offences": (1.0, 1.0, True, None),  # 0.3 + 0.5 + 0.4, capped at 1
    "technical.cirt.teams": (0.5, 1.0, True, None),  # 3 reaches the threshold at 1, not 5
    "technical.cirt.sectoral": (0.0, 1.0, True, None),  # 0 is below every threshold
    "technical.cirt.notes": (None, 1.0, False, "not_scored"),
    "technical.cirt.website": (None, 1.0, False, "not_scored"),
    "technical.cirt.founded": (None, 1.0, False, "not_scored"),
    "technical.cirt.mandate": (1.0, 1.0, True, None),  # text the definition chose to score
    "technical.standards.adopted": (None, 1.0, False, "not_applicable"),
    "organizational.strategy.exists": (0.0, 1.0, True, None),
    "organizational.strategy.funded": (None, 1.0, False, "hidden"),  # answered, but hidden
    "organizational.strategy.reviewed": (None, 1.0, False, "hidden"),  # refers to a hidden one
    "organizational.strategy.plan": (1.0, 1.0, True, None),
    "capacity.training.programme": (1.0, 3.0, True, None),
    "capacity.training.curricula": (0.0, 1.0, True, None),  # shown, unanswered: earns 0
    "capacity.training.depth": (0.5, 1.0, True, None),  # level 2 of 4
    "cooperation.agreements.bilateral": (1.0, 1.0, True, None),
    "cooperation.regional.member": (None, 1.0, False, "not_applicable"),
}

EXAMPLE_INDICATORS = {
    "legal.law": (2 * 1 + 0.5 + 0.25) / 4,  # 0.6875
    "legal.scope": (0.6 + 1.0) / 2,  # 0.8
    "technical.cirt": (0.5 + 0 + 1) / 3,  # 0.5
    "technical.standards": None,  # only question n/a: left out of the pillar
    "organizational.strategy": (0 + 1) / 2,
    "capacity.training": (3 * 1 + 0 + 0.5) / 5,  # 0.7
    "cooperation.agreements": 1.0,
    "cooperation.regional": None,
}

EXAMPLE_PILLARS = {
    "legal": 20 * (2 * 0.6875 + 1 * 0.8) / 3,  # 14.5
    "technical": 20 * 0.5,
    "organizational": 20 * 0.5,
    "capacity": 20 * 0.7,
    "cooperation": 20 * 1.0,  # the weight-3 indicator is empty, so it does not dilute this
}


def test_worked_example_questions(weighted: Definition) -> None:
    profile = profile_of(weighted, example_answers())
    found = {q.id: (q.credit, q.weight, q.counted, q.reason) for q in profile.questions}
    assert found == EXAMPLE_QUESTIONS  # every credit here is exact in binary or copied as is


def test_worked_example_indicators_pillars_total_tier(weighted: Definition) -> None:
    profile = profile_of(weighted, example_answers())
    indicators = {i.id: i.score for s in profile.sections for i in s.indicators}
    assert indicators == pytest.approx(EXAMPLE_INDICATORS)
    assert {s.id: s.score for s in profile.sections} == pytest.approx(EXAMPLE_PILLARS)
    assert profile.total == pytest.approx(68.5)
    assert profile.tier is not None
    assert (profile.tier.rank, profile.tier.id) == (3, "establishing")
    assert profile.parameters == profile.gaps == ()


def test_yes_no_partial_credit(weighted: Definition) -> None:
    def credits(draft: str, rules: str) -> tuple[float | None, float | None]:
        profile = profile_of(weighted, {"legal.law.draft": draft, "legal.law.drafted-rules": rules})
        return profile.question("legal.law.draft").credit, profile.question(
            "legal.law.drafted-rules"
        ).credit

    assert credits("yes", "yes") == (1.0, 1.0)
    assert credits("no", "no") == (0.0, 0.0)
    assert credits("partial", "partial") == (0.5, 0.25)


@pytest.mark.parametrize(
    ("chosen", "credit"),
    [
        (["access"], 0.5),
        (["access", "interference"], 0.9),
        (["interference", "fraud"], 0.7),
        (["access", "interference", "fraud"], 1.0),  # 1.2, capped
    ],
)
def test_multi_choice_sums_and_caps(weighted: Definition, chosen: list[str], credit: float) -> None:
    profile = profile_of(weighted, {"legal.scope.offences": chosen})
    assert profile.question("legal.scope.offences").credit == pytest.approx(credit)


@pytest.mark.parametrize("choice_id", ["full", "most", "none"])
def test_single_choice_earns_the_choice_score(weighted: Definition, choice_id: str) -> None:
    profile = profile_of(weighted, {"legal.scope.coverage": choice_id})
    expected = weighted.question("legal.scope.coverage").choice(choice_id)
    assert expected is not None
    assert profile.question("legal.scope.coverage").credit == expected.score


@pytest.mark.parametrize(
    ("value", "credit"), [(0, 0.0), (0.5, 0.0), (1, 0.5), (4.99, 0.5), (5, 1.0), (1000, 1.0)]
)
def test_number_earns_the_highest_threshold_reached(
    weighted: Definition, value: float, credit: float
) -> None:
    # The two questions declare the same thresholds in opposite orders.
    profile = profile_of(weighted, {"technical.cirt.sectoral": value})
    assert profile.question("technical.cirt.sectoral").credit == credit
    if value == int(value):
        profile = profile_of(weighted, {"technical.cirt.teams": int(value)})
        assert profile.question("technical.cirt.teams").credit == credit


def test_scored_text_earns_credit_when_answered(weighted: Definition) -> None:
    answered = profile_of(weighted, {"technical.cirt.mandate": "Decree 7"})
    assert answered.question("technical.cirt.mandate").credit == 1.0
    blank = profile_of(weighted, {})
    assert blank.question("technical.cirt.mandate").credit == 0.0
    assert blank.question("technical.cirt.mandate").counted


def test_unanswered_questions_count_as_zero(weighted: Definition) -> None:
    profile = profile_of(weighted, {"capacity.training.programme": "yes"})
    assert profile.section("capacity").score == pytest.approx(20 * 3 / 5)
    curricula = profile.question("capacity.training.curricula")
    assert (curricula.credit, curricula.counted, curricula.answered) == (0.0, True, False)


def test_not_applicable_leaves_the_question_out(weighted: Definition) -> None:
    full_cirt = {
        "technical.cirt.teams": 9,
        "technical.cirt.sectoral": 9,
        "technical.cirt.mandate": "Law 1",
    }
    with_na = profile_of(weighted, {**full_cirt, "technical.standards.adopted": "n/a"})
    with_no = profile_of(weighted, {**full_cirt, "technical.standards.adopted": "no"})
    assert with_na.question("technical.standards.adopted").reason == "not_applicable"
    # n/a empties its indicator, so the pillar is the CIRT indicator alone; "no" counts as 0.
    assert with_na.section("technical").score == pytest.approx(20.0)
    assert with_no.section("technical").score == pytest.approx(10.0)


def test_hidden_questions_are_left_out_even_when_answered(weighted: Definition) -> None:
    profile = profile_of(
        weighted,
        {"organizational.strategy.exists": "no", "organizational.strategy.funded": "yes"},
    )
    funded = profile.question("organizational.strategy.funded")
    assert (funded.counted, funded.reason, funded.answered) == (False, "hidden", True)
    assert profile.section("organizational").score == 0.0


def test_chained_conditions_treat_hidden_answers_as_unanswered(weighted: Definition) -> None:
    def shown(raw: dict[str, Any]) -> set[str]:
        profile = profile_of(weighted, raw)
        return {
            q.id.removeprefix("organizational.strategy.")
            for q in profile.questions
            if q.id.startswith("organizational.") and q.reason != "hidden"
        }

    base = {"organizational.strategy.funded": "yes", "organizational.strategy.reviewed": "yes"}
    # `funded` is hidden, so `reviewed` (funded answered) is hidden and `plan` (not answered) shown.
    assert shown({**base, "organizational.strategy.exists": "no"}) == {"exists", "plan"}
    assert shown({**base, "organizational.strategy.exists": "yes"}) == {
        "exists",
        "funded",
        "reviewed",
    }
    assert shown({"organizational.strategy.exists": "yes"}) == {"exists", "funded", "plan"}


def test_revealed_but_unanswered_question_counts_zero(weighted: Definition) -> None:
    profile = profile_of(weighted, {"organizational.strategy.exists": "yes"})
    # exists 1, funded 0 (shown, unanswered), plan 0 (shown, unanswered).
    assert profile.section("organizational").score == pytest.approx(20 / 3)


def test_empty_indicators_are_left_out_of_their_pillar(tiered: Definition) -> None:
    profile = profile_of(tiered, {"only.one.a": "yes", "only.one.b": "yes"})
    empty = profile.section("only").indicators[1]
    assert (empty.id, empty.score, empty.counted_questions) == ("only.empty", None, 0)
    assert profile.total == 100.0


def test_a_pillar_with_nothing_counted_scores_zero(weighted: Definition) -> None:
    profile = profile_of(weighted, {"cooperation.regional.member": "n/a"})
    assert profile.section("cooperation").score == 0.0  # bilateral is unanswered, so it counts
    profile = profile_of(
        weighted,
        {"cooperation.regional.member": "n/a", "cooperation.agreements.bilateral": "yes"},
    )
    assert profile.section("cooperation").score == 20.0


def test_one_pillar_is_worth_all_hundred_points(tiered: Definition) -> None:
    profile = profile_of(tiered, {"only.one.a": "partial", "only.one.b": "partial"})
    assert profile.section("only").max_score == 100.0
    assert profile.total == pytest.approx(100 * (0.5 + 0.6) / 2)


@pytest.mark.parametrize(
    ("a", "b", "total", "tier"),
    [
        ("yes", "yes", 100.0, "gold"),
        ("yes", "partial", 80.0, "gold"),  # exactly on the minimum
        ("partial", "partial", 55.0, "silver"),
        ("yes", "no", 50.0, "silver"),
        ("partial", "no", 25.0, None),  # declared tiers leave the bottom open
        ("no", "no", 0.0, None),
    ],
)
def test_declared_tiers(tiered: Definition, a: str, b: str, total: float, tier: str | None) -> None:
    profile = profile_of(tiered, {"only.one.a": a, "only.one.b": b})
    assert profile.total == pytest.approx(total)
    assert (profile.tier.id if profile.tier else None) == tier


def test_default_tiers_from_top_to_bottom(weighted: Definition) -> None:
    full = profile_of(weighted, fully_positive(weighted))
    assert full.total == 100.0
    assert full.tier is not None
    assert (full.tier.rank, full.tier.id) == (1, "role_modelling")
    empty = profile_of(weighted, {})
    assert empty.total == 0.0
    assert empty.tier is not None
    assert (empty.tier.rank, empty.tier.id) == (5, "building")


def test_tier_is_decided_on_the_published_total(tiered: Definition) -> None:
    # 79.996 is published as 80.00, so it must not be shown as 80.00 in the tier below gold.
    from scoring.engine import _ByIdentity, _compile, _score_tier

    plan = _compile(_ByIdentity(tiered))
    gold = _score_tier(plan, 79.996)
    silver = _score_tier(plan, 79.994)
    assert gold is not None
    assert silver is not None
    assert (gold.id, silver.id) == ("gold", "silver")


# --- Levels model ---


def levels_example() -> dict[str, Any]:
    return load_answers_file(FIXTURES / "levels-answers.json").answers


def test_levels_worked_example(levels: Definition) -> None:
    profile = profile_of(levels, levels_example())
    assert [(p.id, p.level) for p in profile.parameters] == [
        ("o.gov.mandate", 3),
        ("o.gov.authority", 2),
        ("o.svc.catalogue", None),  # n/a
        ("h.people.ethics", 2),
        ("h.people.training", 1),
    ]
    assert profile.total == pytest.approx((3 + 2 + 2 + 1) / 4)
    assert {s.id: s.score for s in profile.sections} == pytest.approx({"o": 2.5, "h": 1.5})
    indicators = {i.id: i.score for s in profile.sections for i in s.indicators}
    assert indicators == pytest.approx({"o.gov": 2.5, "o.svc": None, "h.people": 1.5})
    assert profile.question("h.people.notes").reason == "not_scored"
    assert profile.question("o.gov.mandate").credit == 0.75
    assert profile.tier is not None
    assert profile.next_tier is not None
    assert (profile.tier.id, profile.next_tier.id) == ("intermediate", "advanced")
    assert [(g.id, g.level, g.required) for g in profile.gaps] == [
        ("o.gov.mandate", 3, 4),  # advanced: level 4 of the mandate, 3 of the others
        ("o.gov.authority", 2, 3),
        ("h.people.ethics", 2, 3),
        ("h.people.training", 1, 3),
    ]


def test_levels_unanswered_is_level_zero_and_blocks_tiers(levels: Definition) -> None:
    profile = profile_of(
        levels,
        {"o.gov.mandate": 4, "o.gov.authority": 4, "o.svc.catalogue": 4, "h.people.ethics": 4},
    )
    assert profile.parameters[-1].level == 0  # training: shown (ethics >= 1), unanswered
    assert profile.tier is None  # basic needs level 1 everywhere
    assert profile.next_tier is not None
    assert profile.next_tier.id == "basic"
    assert [(g.id, g.level, g.required) for g in profile.gaps] == [("h.people.training", 0, 1)]


def test_levels_hidden_and_na_parameters_do_not_block_tiers(levels: Definition) -> None:
    profile = profile_of(
        levels,
        {
            "o.gov.mandate": 4,
            "o.gov.authority": 3,
            "o.svc.catalogue": "n/a",
            "h.people.ethics": 0,
            "h.people.training": 4,
        },
    )
    h2 = profile.question("h.people.training")
    assert (h2.reason, profile.parameters[-1].level) == ("hidden", None)
    # Ethics at level 0 still blocks basic; without training the mean is (4 + 3 + 0) / 3.
    assert profile.total == pytest.approx(7 / 3)
    assert profile.tier is None
    assert [(g.id, g.level, g.required) for g in profile.gaps] == [("h.people.ethics", 0, 1)]


def test_levels_intermediate_minimum_for_one_parameter(levels: Definition) -> None:
    # intermediate asks level 2 of everything except training, where 1 is enough.
    profile = profile_of(
        levels,
        {
            "o.gov.mandate": 2,
            "o.gov.authority": 2,
            "o.svc.catalogue": 2,
            "h.people.ethics": 2,
            "h.people.training": 1,
        },
    )
    assert profile.tier is not None
    assert profile.tier.id == "intermediate"


def test_levels_top_tier_has_no_gaps(levels: Definition) -> None:
    profile = profile_of(
        levels,
        {
            "o.gov.mandate": 4,
            "o.gov.authority": 3,
            "o.svc.catalogue": 3,
            "h.people.ethics": 3,
            "h.people.training": 3,
        },
    )
    assert profile.tier is not None
    assert (profile.tier.rank, profile.next_tier, profile.gaps) == (1, None, ())


def test_levels_empty_answers(levels: Definition) -> None:
    profile = profile_of(levels, {})
    assert profile.total == 0.0
    assert profile.tier is None
    assert [g.id for g in profile.gaps] == [
        "o.gov.mandate",
        "o.gov.authority",
        "o.svc.catalogue",
        "h.people.ethics",
    ]  # training is hidden


def test_thresholds_in_any_order() -> None:
    # The linter wants ascending thresholds; a definition that only passed the schema (a frozen
    # copy) still scores by the highest minimum reached.
    teams = fixture_definition("weighted").question("technical.cirt.teams")
    shuffled = teams.model_copy(update={"thresholds": tuple(reversed(teams.thresholds or ()))})
    credit = _threshold_credit(shuffled)
    assert [credit(v) for v in (0, 1, 4, 5, 9)] == [0.0, 0.5, 0.5, 1.0, 1.0]


@pytest.mark.parametrize("name", ["weighted", "levels"])
def test_golden_fixtures_pass_the_linter(name: str) -> None:
    # So they look like real definitions; tiers.yaml deliberately does not (see its header).
    assert load_definition(FIXTURES / f"{name}.yaml") == fixture_definition(name)


def test_unknown_ids_in_a_profile(weighted: Definition) -> None:
    profile = profile_of(weighted, {})
    with pytest.raises(KeyError):
        profile.section("nowhere")
    with pytest.raises(KeyError):
        profile.question("nowhere")


def test_score_is_the_same_for_equal_definitions_loaded_twice() -> None:
    first = fixture_definition("weighted")
    second = first.model_copy(deep=True)
    answers = parse_answers(first, example_answers())
    assert score(first, answers) == score(second, answers)
