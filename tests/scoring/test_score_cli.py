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
    expected["country"] = "KEN"
    assert json.loads(result.stdout) == expected


def test_summary_output() -> None:
    result = run("golden-weighted", FIXTURES / "weighted-answers.yaml", "--version", "1")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "golden-weighted version 1 (weighted model, KEN)"
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


# --- Limits: what the command reads and prints, and arguments checked before any work ---


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "deep.json",
            '{"questionnaire": "golden-levels", "version": 1, "answers": {"o.gov.mandate": %s}}',
            "nested more than 100 levels deep",
        ),
        (
            "deep.yaml",
            "questionnaire: golden-levels\nversion: 1\nanswers:\n  o.gov.mandate: %s\n",
            "line 4: nested more than 100 levels deep",
        ),
    ],
)
def test_deeply_nested_files_are_refused_without_a_traceback(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = write(tmp_path, text % ("[" * 100_000 + "]" * 100_000), name)
    result = run("golden-levels", path)
    assert result.exit_code == 1
    assert (result.stdout, result.stderr) == ("", f"{path}: {message}\n")
    assert isinstance(result.exception, SystemExit)  # not a RecursionError


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("w", encoding="utf-8") as file:
        file.write("questionnaire: golden-levels\nversion: 1\nanswers:\n")
        file.write("  x: 1\n" * (4 * 1024 * 1024 // 7 + 1))
    result = run("golden-levels", path)
    assert result.exit_code == 1
    assert result.stderr == f"{path}: larger than 4 MB, the most a file may hold\n"


def test_at_most_fifty_problems_are_printed(tmp_path: Path) -> None:
    lines = "".join(f"  unknown.{i:05d}: 1\n" for i in range(10_000))
    path = write(tmp_path, f"questionnaire: golden-levels\nversion: 1\nanswers:\n{lines}")
    result = run("golden-levels", path)
    assert result.exit_code == 1
    printed = result.stderr.splitlines()
    assert len(printed) == 51
    assert printed[0] == f"{path}: unknown.00000: no such question in this questionnaire"
    assert printed[49].startswith(f"{path}: unknown.00049: ")
    assert printed[50] == f"{path}: … and 9,950 more"


@pytest.mark.parametrize("place", ["missing/out.pdf", "answers.yaml/out.pdf"])
def test_an_unwritable_pdf_path_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, place: str
) -> None:
    def no_work(*args: object) -> None:
        raise AssertionError("scored although the PDF cannot be written")

    monkeypatch.setattr("app.cli.score.score", no_work)
    answers = write(tmp_path, (FIXTURES / "weighted-answers.yaml").read_text("utf-8"))
    target = tmp_path / place
    result = run("golden-weighted", answers, "--json", "--pdf", target)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{target}: cannot write the PDF: ")
    assert len(result.stderr.splitlines()) == 1


def test_checking_the_pdf_path_leaves_no_file_and_changes_none(tmp_path: Path) -> None:
    answers = write(tmp_path, "questionnaire: golden-levels\nversion: 1\nanswers: {x-9: 1}\n")
    new, existing = tmp_path / "new.pdf", tmp_path / "existing.pdf"
    existing.write_bytes(b"kept")
    for target in (new, existing):
        assert run("golden-levels", answers, "--pdf", target).exit_code == 1  # x-9 is unknown
    assert not new.exists()
    assert existing.read_bytes() == b"kept"


def test_an_unknown_country_is_refused_without_pdf_too(tmp_path: Path) -> None:
    text = (FIXTURES / "weighted-answers.yaml").read_text("utf-8")
    path = write(tmp_path, text.replace("country: KEN\n", "country: XYZ\n"))
    for args in ((), ("--json",)):
        result = run("golden-weighted", path, *args)
        assert result.exit_code == 1
        assert (result.stdout, result.stderr) == ("", "XYZ: not a country in the ITU list\n")
