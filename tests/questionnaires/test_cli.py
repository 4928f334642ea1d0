"""`cybermaturity questionnaires ...`, driven through the click group (no app, no database)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.questionnaires import questionnaires_group
from questionnaires import lint
from questionnaires.export import export_definition, json_schema, summary
from questionnaires.loader import load_definition, load_directory

FIXTURES = Path(__file__).parent / "fixtures"
VALID_DIR = FIXTURES / "valid"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(questionnaires_group, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_lint_valid_files() -> None:
    code, out, err = run("lint", str(VALID_DIR / "weighted.yaml"), str(VALID_DIR / "levels.yaml"))
    assert (code, out, err) == (0, "2 files checked, no problems\n", "")


def test_lint_expands_directories() -> None:
    code, out, _ = run("lint", str(VALID_DIR))
    assert (code, out) == (0, "2 files checked, no problems\n")


def test_lint_reports_problems_on_stderr() -> None:
    code, out, err = run("lint", str(FIXTURES / "broken" / "empty.yaml"), str(VALID_DIR))
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].endswith("empty.yaml:9: legal.law: indicator has no questions")
    assert lines[1].endswith("empty.yaml:12: technical: pillar has no indicators")
    assert lines[2] == "2 problems in 1 file"


def test_lint_missing_file_is_a_usage_error() -> None:
    code, _, err = run("lint", str(FIXTURES / "nope.yaml"))
    assert code == 2
    assert "does not exist" in err


def test_lint_defaults_to_the_shipped_files() -> None:
    code, out, err = run("lint")
    assert code == 0, err
    count = len(list(lint.SHIPPED_DIR.glob("*.yaml")))
    assert out == (
        f"{count} file{'s' if count != 1 else ''} checked, no problems\n" if count else ""
    )


def test_list_json() -> None:
    code, out, _ = run("list", "--json", "--dir", str(VALID_DIR))
    assert code == 0
    assert json.loads(out) == [summary(d) for d in load_directory(VALID_DIR)]


def test_list_table() -> None:
    code, out, _ = run("list", "--dir", str(VALID_DIR))
    assert code == 0
    header, levels, weighted = out.splitlines()
    assert header.split() == [
        "ID",
        "VERSION",
        "MODEL",
        "SECTIONS",
        "INDICATORS",
        "QUESTIONS",
        "TITLE",
    ]
    assert levels.split()[:6] == ["sample-levels", "1", "levels", "2", "categories", "2"]
    assert weighted.endswith("Sample national index")


def test_list_of_invalid_definitions_fails() -> None:
    code, out, err = run("list", "--dir", str(FIXTURES / "broken"))
    assert code == 1
    assert out == ""
    assert err.splitlines()[-1].endswith("problems in the definitions")


@pytest.mark.parametrize("flags", [(), ("--json",)])
def test_export(flags: tuple[str, ...]) -> None:
    code, out, _ = run("export", "sample-weighted", *flags, "--dir", str(VALID_DIR))
    assert code == 0
    assert json.loads(out) == export_definition(load_definition(VALID_DIR / "weighted.yaml"))


def test_export_version() -> None:
    code, out, _ = run("export", "sample-weighted", "--version", "2", "--dir", str(VALID_DIR))
    assert (code, json.loads(out)["version"]) == (0, 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "unknown questionnaire 'nope'"),
        (("sample-weighted", "--version", "5"), "has no version 5"),
        (("sample-weighted", "--version", "0"), "0 is not in the range x>=1"),
    ],
)
def test_export_usage_errors(args: tuple[str, ...], message: str) -> None:
    code, out, err = run("export", *args, "--dir", str(VALID_DIR))
    assert (code, out) == (2, "")
    assert message in err


def test_schema() -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out) == json_schema()


def test_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(VALID_DIR / "weighted.yaml", tmp_path / "weighted.yaml")
    monkeypatch.setattr(lint, "SHIPPED_DIR", tmp_path)
    monkeypatch.setattr(lint, "LOCK_FILE", tmp_path / "versions.lock.json")
    assert run("lock") == (0, "locked sample-weighted version 2\n", "")
    assert run("lock") == (0, "versions.lock.json is up to date\n", "")
    path = tmp_path / "weighted.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 2", "weight: 3"), "utf-8")
    code, out, err = run("lock")
    assert (code, out) == (1, "")
    assert "changed without raising version from 2" in err
    assert err.splitlines()[-1] == "versions.lock.json left unchanged"


# --- Limits: a huge or deeply nested file is a problem to report, never a traceback ---


def _deep(tmp_path: Path) -> Path:
    path = tmp_path / "deep.yaml"
    path.write_text("id: deep\nversion: 1\npillars: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return path


def test_lint_a_deeply_nested_file(tmp_path: Path) -> None:
    path = _deep(tmp_path)
    result = CliRunner().invoke(questionnaires_group, ["lint", str(path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not a RecursionError
    assert result.stderr.splitlines() == [
        f"{path}:3: YAML syntax: nested more than 100 levels deep",
        "1 problem in 1 file",
    ]


def test_lint_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("# padding\n" * (4 * 1024 * 1024 // 10 + 1))
    code, _, err = run("lint", str(path))
    assert code == 1
    assert err.splitlines()[0] == f"{path}: larger than 4 MB, the most a file may hold"


def test_list_and_export_from_a_directory_with_a_deep_file(tmp_path: Path) -> None:
    _deep(tmp_path)
    for args in (("list", "--dir", str(tmp_path)), ("export", "deep", "--dir", str(tmp_path))):
        code, out, err = run(*args)
        assert (code, out) == (1, "")
        assert "deep.yaml:3: YAML syntax: nested more than 100 levels deep" in err


def test_lint_prints_at_most_fifty_problems(tmp_path: Path) -> None:
    for i in range(60):
        (tmp_path / f"{i:02d}.yaml").write_text("# nothing\n")
    code, _, err = run("lint", str(tmp_path))
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 52
    assert lines[49].endswith("49.yaml: the file is empty")
    assert lines[50:] == ["… and 10 more", "60 problems in 60 files"]
