"""`cybermaturity score`: offline scoring of an answers file, and one line per problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.cli import score as score_module
from app.cli.score import score_command
from questionnaires.schema import Definition
from scoring import profile_to_json
from tests.scoring.conftest import FIXTURES, fixture_definition
from tests.scoring.test_golden import example_answers, profile_of

NAMES = {"golden-weighted": "weighted", "golden-levels": "levels", "golden-tiers": "tiers"}


@pytest.fixture(autouse=True)
def fixture_definitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command looks questionnaires up among the test fixtures instead of the shipped ones."""

    def find(questionnaire_id: str, version: int) -> Definition | None:
        name = NAMES.get(questionnaire_id)
        definition = fixture_definition(name) if name else None
        return definition if definition and definition.version == version else None

    monkeypatch.setattr(score_module, "_find_definition", find)


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
    assert lines[1] == "Total: 68.50 of 100 points; tier: 3 (Establishing)"
    assert "  legal            14.50 of 20  Text" in lines
    assert "Relative strengths: cooperation (+6.30), legal (+0.80), capacity (+0.30)" in lines
    assert result.stderr == ""


def test_levels_from_json_file() -> None:
    result = run("golden-levels", FIXTURES / "levels-answers.json")
    assert result.exit_code == 0, result.stderr
    assert "Total: 2.00 of 4 mean level; tier: 2 (Text)" in result.stdout
    assert "  o-1: level 3, needs 4" in result.stdout
    data = json.loads(run("golden-levels", FIXTURES / "levels-answers.json", "--json").stdout)
    assert data["gaps"][0] == {"id": "o-1", "level": 3, "required": 4}


def test_every_invalid_answer_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "questionnaire: golden-levels\nversion: 1\nanswers:\n"
        "  o-1: 5\n  o-2: high\n  x-9: 1\n  h-1: 2\n",
    )
    result = run("golden-levels", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}: x-9: no such question in this questionnaire",
        f"{path}: o-1: expected a level 0, 1, 2, 3 or 4, got 5",
        f"{path}: o-2: expected a level 0, 1, 2, 3 or 4, got 'high'",
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
    assert result.stderr == "unknown questionnaire 'nothing-here' version 3\n"


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
