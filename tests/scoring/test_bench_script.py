"""The benchmark's answer sets: full, valid, varied and reproducible."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from questionnaires.answers import parse_answers
from questionnaires.conditions import visible_question_ids
from questionnaires.loader import get_definition
from scoring import score

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_scoring.py"


def load_script(path: Path = SCRIPT) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
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


def test_downloads_go_round_every_draft_in_every_language() -> None:
    # bench_downloads.py imports bench_survey.py from its own folder.
    folder = SCRIPT.parent
    if "bench_survey" not in sys.modules:
        load_script(folder / "bench_survey.py")
    bench = load_script(folder / "bench_downloads.py")
    drafts = [3, 5, 8, 13, 21, 34]
    targets = bench.render_targets(drafts, offset=0)
    assert len(set(targets)) == len(targets) == len(drafts) * len(bench.LANGUAGES)
    # Neither the draft nor the language repeats from one download to the next, around the end.
    following = targets[1:] + targets[:1]
    for (draft, lang), (next_draft, next_lang) in zip(targets, following, strict=True):
        assert draft != next_draft
        assert lang != next_lang
    assert bench.render_targets(drafts, offset=18) == targets[18:] + targets[:18]
