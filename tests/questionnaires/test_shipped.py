"""The definitions shipped in questionnaires/definitions: valid, present and locked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from questionnaires.export import content_hash, json_schema
from questionnaires.lint import SHIPPED_DIR, lint_file, read_lock
from questionnaires.loader import load_definition, shipped_definitions

SHIPPED = sorted(SHIPPED_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_file_passes_lint(path: Path) -> None:
    assert [str(p) for p in lint_file(path)] == []


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_file_is_locked(path: Path) -> None:
    """Run `cybermaturity questionnaires lock` when a new version is ready to ship."""
    definition = load_definition(path)
    recorded = read_lock().get(definition.id, {}).get(str(definition.version))
    expected = content_hash(definition)  # a variable, so a failure does not print the whole tree
    assert recorded == expected, f"{path.name} version {definition.version} is not locked"


def test_both_questionnaires_are_shipped() -> None:
    ids = {d.id for d in shipped_definitions()}
    assert {"national-cybersecurity", "cirt-maturity"} <= ids


def test_committed_json_schema_is_current() -> None:
    """Editors validate the YAML against questionnaires/schema.json; it must match the models."""
    committed = json.loads((SHIPPED_DIR.parent / "schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "run: cybermaturity questionnaires schema > questionnaires/schema.json"
    )
