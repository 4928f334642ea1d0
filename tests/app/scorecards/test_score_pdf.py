"""`cybermaturity score ... --pdf OUT.pdf --lang LANG`: an answers file's scorecard, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.cli.score import score_command
from questionnaires import loader
from tests.app.scorecards.conftest import Pdf
from tests.scoring.conftest import FIXTURES, fixture_definition


@pytest.fixture(autouse=True)
def fixture_definitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Questionnaires are looked up among the scoring tests' small fixtures."""
    fixtures = [fixture_definition(name) for name in ("weighted", "levels")]
    monkeypatch.setattr(loader, "shipped_definitions", lambda: fixtures)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(score_command, [str(a) for a in args])


def answers_file(tmp_path: Path, country: str | None) -> Path:
    text = (FIXTURES / "weighted-answers.yaml").read_text("utf-8")
    line = f"country: {country}\n" if country else ""
    path = tmp_path / "answers.yaml"
    path.write_text(text.replace("country: KEN\n", line), "utf-8")
    return path


def test_writes_the_scorecard_in_the_language_asked(tmp_path: Path) -> None:
    target = tmp_path / "out" / "egypt.pdf"
    target.parent.mkdir()
    result = run("golden-weighted", answers_file(tmp_path, "EGY"), "--pdf", target, "--lang", "ar")
    assert result.exit_code == 0, result.stderr
    assert "Total: 68.50 of 100" in result.stdout  # the summary is still printed
    assert "Scorecard written to" in result.stderr
    pdf = Pdf(target.read_bytes())
    assert "مصر" in pdf.pages[0]  # Egypt, in Arabic
    assert "الدول العربية" in pdf.pages[0] or "Arab States" in pdf.pages[0]
    assert "68.50" in pdf.pages[0]
    assert "Regional mean" not in pdf.text  # no benchmarks offline
    assert all(len(text) > 0 for text in pdf.pages)
    assert pdf.fonts() >= {"Noto-Sans-Arabic"}


def test_a_file_without_a_country_still_renders(tmp_path: Path) -> None:
    target = tmp_path / "levels.pdf"
    result = run("golden-levels", FIXTURES / "levels-answers.json", "--pdf", target)
    assert result.exit_code == 0, result.stderr
    pdf = Pdf(target.read_bytes())
    assert "Country not given" in pdf.pages[0]
    assert "Draft, not validated" in pdf.pages[0]


def test_an_unknown_country_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    result = run("golden-weighted", answers_file(tmp_path, "XYZ"), "--pdf", target)
    assert result.exit_code == 1
    assert "XYZ: not a country in the ITU list" in result.stderr
    assert not target.exists()


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    result = run("golden-weighted", answers_file(tmp_path, None), "--pdf", "x.pdf", "--lang", "de")
    assert result.exit_code == 2
    assert "de" in result.stderr
