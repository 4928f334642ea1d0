"""The JSON form of a profile: the shape documented in docs/scoring.md, rounded only there."""

from __future__ import annotations

import json

import pytest

from questionnaires.schema import Definition
from scoring import profile_to_json
from tests.scoring.test_golden import example_answers, levels_example, profile_of


def test_weighted_shape(weighted: Definition) -> None:
    data = profile_to_json(profile_of(weighted, example_answers()))
    assert list(data) == [
        "questionnaire",
        "version",
        "model",
        "country",
        "total",
        "tier",
        "pillars",
        "questions",
    ]
    assert (data["questionnaire"], data["version"], data["model"]) == (
        "golden-weighted",
        1,
        "weighted",
    )
    assert data["tier"] == {"rank": 3, "id": "establishing", "name": "Establishing"}
    assert data["pillars"][0] == {
        "id": "legal",
        "score": 14.5,
        "indicators": [{"id": "legal.law", "score": 0.6875}, {"id": "legal.scope", "score": 0.8}],
    }
    assert data["pillars"][1]["indicators"][1] == {"id": "technical.standards", "score": None}
    assert data["questions"][0] == {
        "id": "legal.law.exists",
        "credit": 1.0,
        "weight": 2.0,
        "counted": True,
        "reason": None,
    }
    assert json.loads(json.dumps(data)) == data


def test_rounding_happens_only_at_output(tiered: Definition) -> None:
    profile = profile_of(weighted_thirds(tiered), {"only.one.a": "yes"})
    assert profile.total == pytest.approx(100 / 3)
    assert profile.total != round(profile.total, 2)
    data = profile_to_json(profile)
    assert data["total"] == 33.33
    assert data["pillars"][0]["indicators"][0]["score"] == 0.3333


def weighted_thirds(definition: Definition) -> Definition:
    """The same definition with question b weighing 2, so one yes on a earns a third."""
    indicator = definition.sections[0].indicators[0]
    questions = (indicator.questions[0], indicator.questions[1].model_copy(update={"weight": 2.0}))
    section = definition.sections[0].model_copy(
        update={"indicators": (indicator.model_copy(update={"questions": questions}),)}
    )
    return definition.model_copy(update={"pillars": (section,)})


def test_tier_name_follows_the_language_and_nothing_else(tiered: Definition) -> None:
    profile = profile_of(tiered, {"only.one.a": "yes", "only.one.b": "yes"})
    english, french = profile_to_json(profile), profile_to_json(profile, lang="fr")
    assert (english["tier"]["name"], french["tier"]["name"]) == ("Gold", "Or")
    french["tier"]["name"] = "Gold"
    assert english == french
    assert profile_to_json(profile, lang="xx")["tier"]["name"] == "Gold"  # unknown: English


def test_levels_shape(levels: Definition) -> None:
    data = profile_to_json(profile_of(levels, levels_example()))
    assert list(data) == [
        "questionnaire",
        "version",
        "model",
        "country",
        "total",
        "tier",
        "categories",
        "questions",
        "parameters",
        "next_tier",
        "gaps",
    ]
    assert data["total"] == 2.0
    assert data["parameters"][2] == {"id": "o.svc.catalogue", "level": None}
    assert data["next_tier"]["id"] == "advanced"
    assert data["gaps"][0] == {"id": "o.gov.mandate", "level": 3, "required": 4}
