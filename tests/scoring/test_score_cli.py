"""`cybermaturity score`: offline scoring of an answers file, and one line per problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.cli.score import score_command
from questionnaires import loader
from questionnaires.schema import Definition
from scoring import profile_to_json
from tests.scoring.conftest import FIXTURES, fixture_definition
from tests.scoring.strategies import fully_positive
from tests.scoring.test_golden import example_answers, profile_of

SHIPPED = loader.shipped_definitions


@pytest.fixture(autouse=True)
def fixture_definitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command looks questionnaires up among the test fixtures instead of the shipped ones."""

    fixtures = [fixture_definition(name) for name in ("weighted", "levels", "tiers")]
    monkeypatch.setattr(loader, "shipped_definitions", lambda: fixtures)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(score_command, [str(a) for a in args])


def write(tmp_path: Path, text: str, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_output_is_the_profile(weighted: Definition) -> None:
    result = run("golden-weighted", FIXTURES / "weighted-answers.yaml", "--json")
    assert result.exit_code == 0, result.stderr
    expected = profile_to_json(profile_of(weighted, example_answers()))
    expected["country"] = "XYZ"
    assert json.loads(result.stdout) == expected


def test_summary_output() -> None:
    result = run("golden-weighted", FIXTURES / "weighted-answers.yaml", "--version", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "golden-weighted version 1 (weighted model, XYZ)"
    assert lines[1] == "Total: 68.50 of 100; tier 3 (Establishing)"
    assert "  legal            14.50 of 20  Text" in lines
    assert "Relative strengths: cooperation (+6.30), legal (+0.80), capacity (+0.30)" in lines
    assert result.stderr == ""


def test_levels_from_json_file() -> None:
    result = run("golden-levels", FIXTURES / "levels-answers.json")
    assert result.exit_code == 0, result.stderr
    assert "Mean level: 2.00 of 4; tier 2 (Intermediate)" in result.stdout
    assert "  o.gov.mandate: level 3, needs 4" in result.stdout
    data = json.loads(run("golden-levels", FIXTURES / "levels-answers.json", "--json").stdout)
    assert data["gaps"][0] == {"id": "o.gov.mandate", "level": 3, "required": 4}


def test_every_invalid_answer_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "questionnaire: golden-levels\nversion: 1\nanswers:\n"
        "  o.gov.mandate: 5\n  o.gov.authority: high\n  x-9: 1\n  h.people.ethics: 2\n",
    )
    result = run("golden-levels", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}: x-9: no such question in this questionnaire",
        f"{path}: o.gov.mandate: expected a level 0, 1, 2, 3 or 4, got 5",
        f"{path}: o.gov.authority: expected a level 0, 1, 2, 3 or 4, got 'high'",
    ]


def test_choices_not_in_the_definition(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "questionnaire: golden-weighted\nversion: 1\nanswers:\n"
        "  legal.scope.coverage: some\n  legal.scope.offences: [access, spam]\n"
        "  legal.law.exists: 1\n",
    )
    result = run("golden-weighted", path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{path}: legal.law.exists: expected one of")
    assert lines[1].startswith(f"{path}: legal.scope.coverage: 'some' is not one of its choices")
    assert lines[2].startswith(f"{path}: legal.scope.offences: 'spam' is not one of its choices")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("golden-levels",), "answers are for 'golden-weighted', not 'golden-levels'"),
        (("golden-weighted", "--version", "2"), "answers are for version 1, not 2"),
    ],
)
def test_file_must_match_the_arguments(args: tuple[str, ...], message: str) -> None:
    path = FIXTURES / "weighted-answers.yaml"
    result = run(args[0], path, *args[1:])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: {message}\n"


def test_unknown_questionnaire(tmp_path: Path) -> None:
    path = write(tmp_path, "questionnaire: nothing-here\nversion: 3\nanswers: {}\n")
    result = run("nothing-here", path)
    assert result.exit_code == 1
    known = "golden-levels, golden-tiers, golden-weighted"
    assert result.stderr == f"unknown questionnaire 'nothing-here' (known: {known})\n"


def test_unknown_version(tmp_path: Path) -> None:
    path = write(tmp_path, "questionnaire: golden-tiers\nversion: 1\nanswers: {}\n")
    result = run("golden-tiers", path)
    assert result.exit_code == 1
    assert result.stderr == "questionnaire 'golden-tiers' has no version 1 (versions: 2)\n"


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("questionnaire: golden-levels\nanswers: {}\n", "a.yaml", "version: Field required"),
        ("questionnaire: [\n", "a.yaml", "line 2: "),
        ('{"questionnaire": "golden-levels", "version": 1,', "a.json", "invalid JSON"),
        ("questionnaire: golden-levels\nversion: 1\nanswers: {}\nextra: 1\n", "a.yml", "extra:"),
    ],
)
def test_unreadable_files(tmp_path: Path, text: str, name: str, message: str) -> None:
    path = write(tmp_path, text, name)
    result = run("golden-levels", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: ")
    assert message in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = run("golden-levels", tmp_path / "none.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'none.yaml'}: cannot read the file")


def test_shipped_questionnaire(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(loader, "shipped_definitions", SHIPPED)
    definition = loader.get_definition("national-cybersecurity")
    document = {
        "questionnaire": definition.id,
        "version": definition.version,
        "country": "KEN",
        "answers": fully_positive(definition),
    }
    path = write(tmp_path, json.dumps(document), "answers.json")
    data = json.loads(run(definition.id, path, "--json").stdout)
    assert (data["total"], data["tier"]["rank"], data["country"]) == (100.0, 1, "KEN")
    assert [p["score"] for p in data["pillars"]] == [20.0] * 5
