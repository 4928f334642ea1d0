"""Fixture definitions for the scoring tests: small YAML files scored by hand."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from questionnaires.schema import Definition
from questionnaires.yamlio import load_yaml

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def fixture_definition(name: str) -> Definition:
    path = FIXTURES / f"{name}.yaml"
    return Definition.model_validate(load_yaml(path.read_text("utf-8"), str(path)))


@pytest.fixture
def weighted() -> Definition:
    return fixture_definition("weighted")


@pytest.fixture
def levels() -> Definition:
    return fixture_definition("levels")


@pytest.fixture
def tiered() -> Definition:
    return fixture_definition("tiers")
