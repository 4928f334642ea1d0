"""The linter: one broken fixture per problem class, each reporting exactly what it should."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from questionnaires.export import content_hash
from questionnaires.lint import Problem, lint_file, lint_paths, lint_text
from questionnaires.loader import load_definition

FIXTURES = Path(__file__).parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))

# fixture -> every (line, node id, message) the linter must report, and nothing else.
BROKEN: dict[str, list[tuple[int, str | None, str]]] = {
    "yaml-syntax.yaml": [(11, None, "YAML syntax: expected ',' or '}', but got '<scalar>'")],
    "duplicate-key.yaml": [(15, None, "YAML syntax: duplicate key 'type'")],
    "duplicate-id.yaml": [
        (7, "top", "duplicate tier id"),
        (16, "legal.law.q1", "duplicate id: already used by a question above"),
        (22, "legal.law.q2", "duplicate choice `a`"),
        (23, "legal.law", "duplicate id: already used by an indicator above"),
    ],
    "id-prefix.yaml": [
        (12, "legal.q1", "id must start with `legal.law.`, the id of its indicator"),
        (13, "law2", "id must start with `legal.`, the id of its pillar"),
    ],
    "dangling-reference.yaml": [
        (16, "legal.law.q2", "show_if refers to unknown question `legal.law.q9`"),
        (
            20,
            "legal.law.q3",
            "show_if refers to `legal.law`, which is an indicator, not a question",
        ),
    ],
    "forward-reference.yaml": [
        (
            15,
            "legal.law.q1",
            "show_if refers to `legal.law.q2`, which comes later "
            "(a condition reads earlier questions)",
        ),
    ],
    "self-reference.yaml": [(15, "legal.law.q1", "show_if refers to the question itself")],
    "cycle.yaml": [
        (
            15,
            "legal.law.q1",
            "show_if references form a cycle: legal.law.q1 -> legal.law.q2 -> legal.law.q1",
        ),
    ],
    "impossible-value.yaml": [
        (
            22,
            "legal.law.q3",
            'show_if: "maybe" is not a possible answer to `legal.law.q1` (yes or no)',
        ),
        (
            26,
            "legal.law.q4",
            'show_if: "c" is not a possible answer to `legal.law.q2` (choices: a, b)',
        ),
        (
            30,
            "legal.law.q5",
            "show_if: `gt` compares numbers, but `legal.law.q1` is a yes_no question",
        ),
    ],
    "missing-translation.yaml": [
        (15, "legal.law.q2", "missing translation: fr"),
        (16, "legal.law.q2", "empty translation: es in `help`"),
    ],
    "score-range.yaml": [
        (16, "legal.law.q1", "`choices[full].score` 1.5 is outside [0, 1]"),
        (22, "legal.law.q2", "`thresholds[0].score` -0.5 is outside [0, 1]"),
        (23, "legal.law.q3", "`partial_score` 2 is outside [0, 1]"),
    ],
    "empty.yaml": [
        (9, "legal.law", "indicator has no questions"),
        (12, "technical", "pillar has no indicators"),
    ],
    "unknown-key.yaml": [
        (4, "broken-unknown-key", "unknown language `de` (languages: ar, zh, en, fr, ru, es)"),
        (12, "legal.law.q1", "unknown key `wieght`"),
        (16, "legal.law.q2", "unknown key `equal` in `show_if`"),
    ],
    "show-if-grammar.yaml": [
        (
            16,
            "legal.law.q2",
            "`show_if`: a comparison needs exactly one of: equals, in, answered, gt, gte, lt, lte",
        ),
        (
            20,
            "legal.law.q3",
            "`show_if` must be a comparison (`question` with one operator) "
            "or one of `all`, `any`, `not`",
        ),
        (24, "legal.law.q4", "`show_if.all` must not be empty"),
        (28, "legal.law.q5", "`show_if.equals` must be text, a number, true or false"),
    ],
    "score-tiers.yaml": [
        (
            8,
            "advancing",
            "tiers must be listed from highest to lowest: `advancing` (60) follows `growing` (20)",
        ),
        (9, "starting", "the lowest tier must start at 0, so that every score has a tier"),
    ],
    "level-tiers.yaml": [
        (9, "advanced", "minimum for `org.unknown`, an unknown parameter"),
        (9, "advanced", "minimum for `org.mandate.note`, not a level question"),
        (
            9,
            "advanced",
            "requires level 1 for `org.mandate.level`, below the 2 required by the lower tier "
            "`basic`",
        ),
    ],
    "levels-scored.yaml": [
        (
            18,
            "org.mandate.written",
            "a levels definition scores level questions only; "
            "mark this yes_no question `scored: false`",
        ),
    ],
    "thresholds.yaml": [
        (
            15,
            "legal.law.q1",
            "thresholds must be listed by ascending `min`, each higher than the last",
        ),
    ],
    "replaces.yaml": [
        (6, "broken-replaces", "replaces version 3, which is not earlier than this version 3"),
        (8, "broken-replaces", "replaces maps `legal.law.old` to unknown question `legal.law.q7`"),
    ],
    "type-options.yaml": [
        (12, "legal.law.q1", "a yes_no question takes no choices"),
        (17, "legal.law.q2", "a scored number question needs thresholds"),
    ],
    "wrong-tree.yaml": [
        (1, "broken-wrong-tree", "a weighted definition has `pillars` and no `categories`"),
    ],
    "bad-values.yaml": [
        (2, "broken-bad-values", "`version` must be a whole number"),
        (10, "legal.law", "`weight` must be greater than 0 (got 0)"),
        (
            13,
            "legal.law.q1",
            "`type` must be one of yes_no, yes_no_partial, single_choice, multi_choice, number, "
            'text, date, url or level (got "yesno")',
        ),
        (
            14,
            "Legal Law Q2",
            '`id` "Legal Law Q2" is not a valid id '
            "(lowercase letters, digits, _ and -, parts joined by dots)",
        ),
        (15, "legal.law.q3", "`text` must give a text in each language: ar, zh, en, fr, ru, es"),
    ],
}


def test_every_broken_fixture_has_expectations() -> None:
    assert {p.name for p in (FIXTURES / "broken").glob("*.yaml")} == set(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_fixture_reports_exactly_its_problems(name: str) -> None:
    path = FIXTURES / "broken" / name
    problems = lint_file(path, lock={})
    assert [(p.line, p.node_id, p.message) for p in problems] == BROKEN[name]
    assert all(p.file == str(path) for p in problems)


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_fixture_has_no_problems(path: Path) -> None:
    assert lint_file(path, lock={}) == []


def test_problem_reads_file_line_node_message() -> None:
    assert str(Problem("a.yaml", "legal.x.q3", "missing translation: fr", 12)) == (
        "a.yaml:12: legal.x.q3: missing translation: fr"
    )
    assert str(Problem("a.yaml", None, "the file is empty")) == "a.yaml: the file is empty"


def test_missing_languages_of_one_text_are_one_problem() -> None:
    text = "id: x\nversion: 1\nmodel: weighted\ntitle: {en: Title}\npillars: []\n"
    assert [str(p) for p in lint_text(text, "mem.yaml", lock={})] == [
        "mem.yaml:4: x: missing translations: ar, zh, fr, ru, es"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "the document must be a mapping"),
    ],
)
def test_documents_that_are_not_definitions(text: str, message: str) -> None:
    assert [p.message for p in lint_text(text, "mem.yaml", lock={})] == [message]


def _changed_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "weighted.yaml"
    text = (FIXTURES / "valid" / "weighted.yaml").read_text(encoding="utf-8")
    copy.write_text(text.replace("weight: 2", "weight: 3"), encoding="utf-8")
    return copy


def test_locked_version_must_not_change(tmp_path: Path) -> None:
    original = load_definition(FIXTURES / "valid" / "weighted.yaml")
    lock = {"sample-weighted": {"2": content_hash(original)}}
    assert lint_file(FIXTURES / "valid" / "weighted.yaml", lock=lock) == []
    changed = _changed_copy(tmp_path)
    [problem] = lint_file(changed, lock=lock)
    assert (problem.line, problem.node_id) == (3, "sample-weighted")
    assert problem.message.startswith("changed without raising version from 2")


def test_unlocked_versions_are_not_checked(tmp_path: Path) -> None:
    lock = {"sample-weighted": {"1": "0" * 64}}
    assert lint_file(_changed_copy(tmp_path), lock=lock) == []


def test_same_id_and_version_in_two_files(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    shutil.copy(FIXTURES / "valid" / "weighted.yaml", copy)
    first = FIXTURES / "valid" / "weighted.yaml"
    [problem] = lint_paths([first, copy], lock={})
    assert (problem.file, problem.node_id, problem.line) == (str(copy), "sample-weighted", 3)
    assert problem.message == f"version 2 is also defined in {first}"


def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    [problem] = lint_file(tmp_path / "missing.yaml", lock={})
    assert problem.message.startswith("cannot read the file")
    (tmp_path / "latin1.yaml").write_bytes(b"id: caf\xe9\n")
    assert [p.message for p in lint_file(tmp_path / "latin1.yaml", lock={})] == ["not UTF-8 text"]
