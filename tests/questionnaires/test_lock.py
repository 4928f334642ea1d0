"""versions.lock.json: new versions are recorded, recorded ones never change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from questionnaires.export import content_hash
from questionnaires.lint import read_lock, update_lock
from questionnaires.loader import load_definition

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    directory = tmp_path / "definitions"
    directory.mkdir()
    for name in ("weighted.yaml", "levels.yaml"):
        shutil.copy(FIXTURES / "valid" / name, directory / name)
    return directory


def test_lock_records_every_new_version(shipped: Path, tmp_path: Path) -> None:
    lock_file = tmp_path / "versions.lock.json"
    result = update_lock(shipped, lock_file)
    assert result.added == ("sample-levels version 1", "sample-weighted version 2")
    assert result.problems == ()
    weighted = load_definition(shipped / "weighted.yaml")
    assert read_lock(lock_file)["sample-weighted"] == {"2": content_hash(weighted)}
    again = update_lock(shipped, lock_file)
    assert again.added == ()


def test_lock_refuses_to_change_a_recorded_version(shipped: Path, tmp_path: Path) -> None:
    lock_file = tmp_path / "versions.lock.json"
    update_lock(shipped, lock_file)
    before = lock_file.read_text(encoding="utf-8")
    path = shipped / "weighted.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 2", "weight: 3"), "utf-8")
    result = update_lock(shipped, lock_file)
    assert result.added == ()
    [problem] = result.problems
    assert problem.message.startswith("changed without raising version from 2")
    assert lock_file.read_text(encoding="utf-8") == before


def test_raised_version_is_added_next_to_the_old_one(shipped: Path, tmp_path: Path) -> None:
    lock_file = tmp_path / "versions.lock.json"
    update_lock(shipped, lock_file)
    path = shipped / "weighted.yaml"
    text = path.read_text(encoding="utf-8").replace("weight: 2", "weight: 3")
    path.write_text(text.replace("version: 2\n", "version: 10\n", 1), encoding="utf-8")
    assert update_lock(shipped, lock_file).added == ("sample-weighted version 10",)
    # Versions stay in numeric order, so the file diffs cleanly.
    assert list(json.loads(lock_file.read_text(encoding="utf-8"))["sample-weighted"]) == ["2", "10"]


def test_lock_writes_nothing_when_a_file_is_invalid(shipped: Path, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "broken" / "empty.yaml", shipped / "empty.yaml")
    lock_file = tmp_path / "versions.lock.json"
    result = update_lock(shipped, lock_file)
    assert result.added == ()
    assert {p.node_id for p in result.problems} == {"legal.law", "technical"}
    assert not lock_file.exists()


def test_malformed_lock_is_reported(shipped: Path, tmp_path: Path) -> None:
    lock_file = tmp_path / "versions.lock.json"
    lock_file.write_text('{"sample-weighted": ["2"]}', encoding="utf-8")
    [problem] = update_lock(shipped, lock_file).problems
    assert problem.file == str(lock_file)
    with pytest.raises(ValueError, match="version"):
        read_lock(lock_file)


def test_missing_lock_is_empty(tmp_path: Path) -> None:
    assert read_lock(tmp_path / "none.json") == {}
