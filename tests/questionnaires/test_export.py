"""The exchange JSON of `export --json`, the rows of `list --json` and the JSON Schema."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from questionnaires.export import FORMAT_VERSION, export_definition, json_schema, summary
from questionnaires.loader import content_hash, load_definition
from questionnaires.schema import LANGUAGES, Definition
from questionnaires.yamlio import load_yaml

FIXTURES = Path(__file__).parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))

TOP_KEYS = {
    "format_version",
    "id",
    "version",
    "model",
    "content_hash",
    "languages",
    "title",
    "description",
    "replaces",
    "tiers",
}
SECTION_KEYS = {"id", "kind", "title", "description", "indicators"}
INDICATOR_KEYS = {"id", "kind", "title", "help", "weight", "questions"}
QUESTION_KEYS = {
    "id",
    "kind",
    "type",
    "text",
    "help",
    "weight",
    "required",
    "not_applicable",
    "scored",
    "show_if",
    "evidence",
    "choices",
    "partial_score",
    "thresholds",
    "min",
    "max",
    "integer",
    "unit",
    "min_length",
    "max_length",
    "levels",
}


@pytest.fixture(scope="module")
def weighted() -> Definition:
    return load_definition(FIXTURES / "valid" / "weighted.yaml")


@pytest.fixture(scope="module")
def levels() -> Definition:
    return load_definition(FIXTURES / "valid" / "levels.yaml")


def _questions(exported: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for s in exported[key] for i in s["indicators"] for q in i["questions"]}


def test_export_shape(weighted: Definition) -> None:
    exported = export_definition(weighted)
    assert set(exported) == TOP_KEYS | {"pillars"}
    assert exported["format_version"] == FORMAT_VERSION
    assert exported["content_hash"] == content_hash(weighted)
    assert exported["languages"] == list(LANGUAGES)
    assert exported["replaces"] == {
        "version": 1,
        "questions": {"legal.law.exists": "legal.law.q1", "legal.law.dropped": None},
    }
    for section in exported["pillars"]:
        assert set(section) == SECTION_KEYS
        assert section["kind"] == "pillar"
        for indicator in section["indicators"]:
            assert set(indicator) == INDICATOR_KEYS
            assert indicator["kind"] == "indicator"
            assert all(set(q) == QUESTION_KEYS for q in indicator["questions"])
    assert json.loads(json.dumps(exported)) == exported


def test_export_fills_defaults(weighted: Definition) -> None:
    questions = _questions(export_definition(weighted), "pillars")
    first = questions["legal.law.q1"]
    assert (first["weight"], first["required"], first["not_applicable"]) == (1.0, True, False)
    assert first["scored"] is True
    assert first["evidence"] == {
        "rule": "required_if_positive",
        "kinds": ["file", "link"],
        "help": None,
    }
    assert questions["legal.law.q2"]["partial_score"] == 0.25
    assert first["partial_score"] is None
    assert questions["legal.law.q3"]["scored"] is False  # a URL earns nothing by default
    number = questions["technical.cirt.q3"]
    assert number["thresholds"] == [{"min": 1.0, "score": 0.5}, {"min": 10.0, "score": 1.0}]
    assert (number["min"], number["max"], number["integer"]) == (0.0, None, True)
    none = questions["technical.cirt.q1"]["choices"][0]
    assert (none["id"], none["score"], none["label"]["fr"]) == ("none", 0.0, "Aucune")


def test_export_writes_conditions_in_the_yaml_grammar(weighted: Definition) -> None:
    questions = _questions(export_definition(weighted), "pillars")
    assert questions["legal.law.q2"]["show_if"] == {"question": "legal.law.q1", "equals": "yes"}
    assert questions["technical.cirt.q2"]["show_if"] == {
        "question": "technical.cirt.q1",
        "in": ["planned", "operational"],
    }
    assert questions["technical.cirt.q3"]["show_if"] == {
        "all": [
            {"question": "technical.cirt.q1", "equals": "operational"},
            {"not": {"question": "technical.cirt.q2", "answered": False}},
        ]
    }
    assert questions["legal.law.q1"]["show_if"] is None


def test_export_ranks_the_default_tiers(weighted: Definition) -> None:
    tiers = export_definition(weighted)["tiers"]
    assert [t["rank"] for t in tiers] == [1, 2, 3, 4, 5]
    assert [t["min_score"] for t in tiers] == [95, 85, 55, 20, 0]
    assert set(tiers[0]) == {"rank", "id", "name", "min_score"}


def test_export_spells_out_every_level_minimum(levels: Definition) -> None:
    exported = export_definition(levels)
    assert set(exported) == TOP_KEYS | {"categories"}
    assert {s["kind"] for s in exported["categories"]} == {"category"}
    advanced, basic = exported["tiers"]
    assert (advanced["rank"], basic["rank"]) == (1, 2)
    assert advanced["min_levels"] == {"org.mandate.level": 4, "tools.tracking.level": 3}
    assert basic["min_levels"] == {"org.mandate.level": 1, "tools.tracking.level": 1}
    level = _questions(exported, "categories")["org.mandate.level"]
    assert list(level["levels"]) == ["0", "1", "2", "3", "4"]
    assert _questions(exported, "categories")["tools.tracking.system"]["scored"] is False


def test_summary_shape(weighted: Definition, levels: Definition) -> None:
    assert summary(weighted) == {
        "id": "sample-weighted",
        "version": 2,
        "model": "weighted",
        "title": weighted.title.model_dump(),
        "languages": list(LANGUAGES),
        "pillars": 2,
        "indicators": 2,
        "questions": 8,
        "content_hash": content_hash(weighted),
    }
    row = summary(levels)
    assert (row["model"], row["categories"], row["indicators"], row["questions"]) == (
        "levels",
        2,
        2,
        4,
    )
    assert "pillars" not in row


def test_json_schema_structure() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "cybermaturity questionnaire definition"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"id", "version", "model", "title"}
    defs = schema["$defs"]
    assert "in" in defs["Compare"]["properties"]
    assert "in_" not in defs["Compare"]["properties"]
    assert set(defs["Not"]["properties"]) == {"not"}
    assert set(defs["Text"]["required"]) == set(LANGUAGES)
    assert all(d.get("additionalProperties") is False for d in defs.values() if "properties" in d)
    json.dumps(schema)


@pytest.mark.skipif(importlib.util.find_spec("jsonschema") is None, reason="needs jsonschema")
@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_json_schema_validates_the_valid_fixtures(path: Path) -> None:
    import jsonschema

    # Editors hand the YAML to the validator as JSON, where keys such as level 0 are strings.
    data = json.loads(json.dumps(load_yaml(path.read_text(encoding="utf-8"))))
    jsonschema.validate(data, json_schema())
    data["pillars" if "pillars" in data else "categories"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())
