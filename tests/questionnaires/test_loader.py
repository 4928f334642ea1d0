"""Loading definitions: parsing, the shipped set, lookups, hashes and frozen copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from questionnaires.loader import (
    SHIPPED_DIR,
    DefinitionError,
    UnknownDefinition,
    content_hash,
    definition_from_json,
    definition_to_json,
    get_definition,
    load_definition,
    load_directory,
    parse_definition,
    shipped_definitions,
)
from questionnaires.schema import Compare, Definition

FIXTURES = Path(__file__).parent / "fixtures"
WEIGHTED = FIXTURES / "valid" / "weighted.yaml"


@pytest.fixture(scope="module")
def weighted() -> Definition:
    return load_definition(WEIGHTED)


def test_yes_and_no_stay_strings(weighted: Definition) -> None:
    condition = weighted.question("legal.law.q2").show_if
    assert isinstance(condition, Compare)
    assert condition.equals == "yes"
    assert isinstance(condition.equals, str)
    text = WEIGHTED.read_text(encoding="utf-8").replace("equals: yes}", "equals: no}", 1)
    reloaded = parse_definition(text, "edited.yaml").question("legal.law.q2").show_if
    assert isinstance(reloaded, Compare)
    assert reloaded.equals == "no"


def test_duplicate_keys_are_rejected_with_their_line() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(FIXTURES / "broken" / "duplicate-key.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.message) == (15, "YAML syntax: duplicate key 'type'")


def test_tree_rules_run_when_loading() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(FIXTURES / "broken" / "cycle.yaml")
    assert "cycle" in str(caught.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="cannot read the file"):
        load_definition(tmp_path / "missing.yaml")


def test_directory_is_sorted_by_id_then_version(tmp_path: Path) -> None:
    text = WEIGHTED.read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text.replace("version: 2", "version: 3", 1), "utf-8")
    (tmp_path / "b.yaml").write_text(text, "utf-8")
    shutil.copy(FIXTURES / "valid" / "levels.yaml", tmp_path / "c.yaml")
    found = [(d.id, d.version) for d in load_directory(tmp_path)]
    assert found == [("sample-levels", 1), ("sample-weighted", 2), ("sample-weighted", 3)]


def test_directory_rejects_an_id_and_version_defined_twice(tmp_path: Path) -> None:
    shutil.copy(WEIGHTED, tmp_path / "a.yaml")
    shutil.copy(WEIGHTED, tmp_path / "b.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path)
    [problem] = caught.value.problems
    assert problem.message == "version 2 is also defined in a.yaml"


def test_get_definition_picks_the_latest_or_the_asked_version(weighted: Definition) -> None:
    newer = weighted.model_copy(update={"version": 3})
    pool = [weighted, newer]
    assert get_definition("sample-weighted", definitions=pool).version == 3
    assert get_definition("sample-weighted", 2, definitions=pool) is weighted


def test_get_definition_unknown(weighted: Definition) -> None:
    with pytest.raises(UnknownDefinition) as caught:
        get_definition("nope", definitions=[weighted])
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == "unknown questionnaire 'nope' (known: sample-weighted)"
    with pytest.raises(UnknownDefinition, match="has no version 7"):
        get_definition("sample-weighted", 7, definitions=[weighted])


def test_shipped_definitions_are_cached_and_sorted() -> None:
    found = shipped_definitions()
    assert found is shipped_definitions()
    assert [(d.id, d.version) for d in found] == sorted((d.id, d.version) for d in found)
    assert len(found) == len(list(SHIPPED_DIR.glob("*.yaml")))


def test_content_hash_ignores_layout_and_spelled_out_defaults(weighted: Definition) -> None:
    text = WEIGHTED.read_text(encoding="utf-8")
    same = text.replace(
        "          - id: legal.law.q1\n",
        "          - id: legal.law.q1\n            weight: 1.0\n            required: true\n",
    )
    same = "# a comment\n" + same
    assert content_hash(parse_definition(same, "same.yaml")) == content_hash(weighted)
    other = text.replace('en: "Count only laws in force."', 'en: "Only laws in force."')
    assert content_hash(parse_definition(other, "other.yaml")) != content_hash(weighted)
    assert len(content_hash(weighted)) == 64


def test_frozen_copy_round_trip(weighted: Definition) -> None:
    copy = definition_from_json(definition_to_json(weighted))
    assert copy == weighted
    assert content_hash(copy) == content_hash(weighted)


def test_frozen_copy_must_match_the_schema(weighted: Definition) -> None:
    data = definition_to_json(weighted)
    data["version"] = "two"
    with pytest.raises(DefinitionError) as caught:
        definition_from_json(data)
    assert [p.message for p in caught.value.problems] == ["`version` must be a whole number"]
