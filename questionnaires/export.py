"""The exchange formats: a definition normalised to JSON, its summary, its content hash and the
JSON Schema of the YAML format.

`export_definition` is what other tools read (see docs/questionnaire-format.md): every default is
filled in and every node states its kind, so a reader needs none of the rules in schema.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from questionnaires.schema import (
    LANGUAGES,
    Condition,
    Definition,
    Indicator,
    LevelTier,
    Question,
    ScoreTier,
    Section,
    Text,
)
from questionnaires.types import TYPES

#: Raised when the shape of `export_definition` changes incompatibly.
FORMAT_VERSION = 1
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def content_hash(definition: Definition) -> str:
    """SHA-256 (hex) of the definition's canonical JSON: equal hashes mean equal content.

    Defaults are left out of the canonical form, so a later release that adds an optional field
    to the format leaves the hashes of definitions already in use (and in the lock) unchanged.
    """
    data = definition.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def export_definition(definition: Definition) -> dict[str, Any]:
    """The definition as exchange JSON: defaults filled in, every node with its id and kind."""
    return {
        "format_version": FORMAT_VERSION,
        "id": definition.id,
        "version": definition.version,
        "model": definition.model,
        "content_hash": content_hash(definition),
        "languages": list(LANGUAGES),
        "title": _text(definition.title),
        "description": _text(definition.description),
        "replaces": definition.replaces.model_dump(mode="json") if definition.replaces else None,
        "tiers": _tiers(definition),
        definition.section_kind: [_section(s, definition) for s in definition.sections],
    }


def summary(definition: Definition) -> dict[str, Any]:
    """One line of `questionnaires list --json`."""
    indicators = [i for s in definition.sections for i in s.indicators]
    return {
        "id": definition.id,
        "version": definition.version,
        "model": definition.model,
        "title": _text(definition.title),
        "languages": list(LANGUAGES),
        definition.section_kind: len(definition.sections),
        "indicators": len(indicators),
        "questions": len(definition.questions()),
        "content_hash": content_hash(definition),
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a definition file, for editors that validate YAML as it is typed."""
    schema = Definition.model_json_schema(by_alias=True, mode="validation")
    # The registered question types (the model accepts any name the registry knows).
    names = {"enum": list(TYPES), "title": "QuestionType", "type": "string"}
    schema["$defs"]["QuestionType"] = names
    schema["$defs"]["Question"]["properties"]["type"] = {"$ref": "#/$defs/QuestionType"}
    schema["$defs"] = dict(sorted(schema["$defs"].items()))  # in pydantic's order
    _tighten(schema)
    _level_keys(schema)
    schema.pop("title", None)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "cybermaturity questionnaire definition",
        **schema,
    }


def _text(text: Text | None) -> dict[str, str] | None:
    return text.model_dump() if text is not None else None


def _tiers(definition: Definition) -> list[dict[str, Any]]:
    # Effective tiers, with the minimum of every parameter spelled out for the levels model.
    parameters = [q.id for q in definition.questions() if TYPES[q.type].is_parameter]
    effective: Sequence[ScoreTier | LevelTier] = definition.effective_tiers
    tiers: list[dict[str, Any]] = []
    for rank, tier in enumerate(effective, start=1):
        entry: dict[str, Any] = {"rank": rank, "id": tier.id, "name": _text(tier.name)}
        if isinstance(tier, ScoreTier):
            entry["min_score"] = tier.min_score
        elif isinstance(tier, LevelTier):
            entry["default_min_level"] = tier.default_min_level
            entry["min_levels"] = {p: tier.min_level(p) for p in parameters}
        tiers.append(entry)
    return tiers


def _section(section: Section, definition: Definition) -> dict[str, Any]:
    return {
        "id": section.id,
        "kind": "pillar" if definition.model == "weighted" else "category",
        "title": _text(section.title),
        "description": _text(section.description),
        "indicators": [_indicator(i) for i in section.indicators],
    }


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "kind": "indicator",
        "title": _text(indicator.title),
        "help": _text(indicator.help),
        "weight": indicator.weight,
        "questions": [_question(q) for q in indicator.questions],
    }


def _question(q: Question) -> dict[str, Any]:
    # Every key is present for every type; options a type does not use are null.
    return {
        "id": q.id,
        "kind": "question",
        "type": q.type,
        "text": _text(q.text),
        "help": _text(q.help),
        "weight": q.weight,
        "required": q.required,
        "not_applicable": q.not_applicable,
        "scored": q.is_scored,
        "show_if": _condition(q.show_if),
        "evidence": {
            "rule": q.evidence.rule.value,
            "kinds": [k.value for k in q.evidence.kinds],
            "help": _text(q.evidence.help),
        },
        "choices": [c.model_dump(mode="json") for c in q.choices] if q.choices else None,
        "thresholds": [t.model_dump(mode="json") for t in q.thresholds] if q.thresholds else None,
        "min": q.min,
        "max": q.max,
        "unit": _text(q.unit),
        "min_length": q.min_length,
        "max_length": q.max_length,
        "levels": {str(k): _text(q.levels[k]) for k in sorted(q.levels)} if q.levels else None,
        **TYPES[q.type].export(q),  # partial_score, integer
    }


def _condition(condition: Condition | None) -> dict[str, Any] | None:
    # The grammar exactly as written in YAML: `in` and `not`, only the operator that is given.
    if condition is None:
        return None
    return condition.model_dump(mode="json", by_alias=True, exclude_none=True)


def _tighten(node: Any) -> None:
    """Keys that match no pattern are unknown keys, as the loader treats them."""
    if isinstance(node, dict):
        if "patternProperties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _tighten(value)
    elif isinstance(node, list):
        for value in node:
            _tighten(value)


def _level_keys(schema: dict[str, Any]) -> None:
    """Level descriptions are keyed 0-4; YAML keys reach a JSON Schema validator as strings."""
    levels = schema["$defs"]["Question"]["properties"]["levels"]
    for option in levels.get("anyOf", [levels]):
        if option.get("type") == "object":
            option["propertyNames"] = {"pattern": "^[0-4]$"}
