"""The benchmark's answer sets: full, valid, varied and reproducible."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from questionnaires.answers import parse_answers
from questionnaires.conditions import visible_question_ids
from questionnaires.loader import get_definition
from scoring import score

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_scoring.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scoring", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_answer_sets_are_full_valid_and_reproducible() -> None:
    bench = load_script()
    definition = get_definition(bench.QUESTIONNAIRE)
    places = bench.countries()
    assert len(places) == 194
    sets = bench.answer_sets(definition, 20, seed=7)
    assert sets == bench.answer_sets(definition, 20, seed=7)
    totals = set()
    for raw in sets:
        answers = parse_answers(definition, raw)
        # Every question shown is answered, and nothing else: as a country would fill it in.
        assert set(answers) == visible_question_ids(definition, answers)
        totals.add(round(score(definition, answers).total))
    assert len(totals) > 10  # varied
