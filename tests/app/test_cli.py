"""The `cybermaturity` command, run as a user runs it: a real process with its environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select

from app.countries.models import Country
from tests.support import database

EXECUTABLE = Path(sys.executable).with_name("cybermaturity")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own console script
        [str(EXECUTABLE), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("run", "routes", "db", "demo-data", "countries"):
        assert f"  {command} " in result.stdout


def test_commands_are_imported_only_when_run() -> None:
    """`questionnaires list` starts without Alembic, the database commands or the scorecards."""
    heavy = ("alembic", "app.cli.database", "app.cli.scorecards", "app.scorecards.context")
    code = (
        "import sys\nfrom app.cli import main\n"
        "try:\n    main(['questionnaires', 'list', '--json'])\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, with the code under test
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
    assert '"id": "national-cybersecurity"' in result.stdout


@pytest.fixture
def fresh_env(tmp_path: Path, worker_id: str) -> object:
    with database.empty_database(
        os.environ.get("TEST_DATABASE_URL"), tmp_path, f"cli_{worker_id}"
    ) as url:
        yield {"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "instance")}


def test_db_upgrade_creates_the_schema_and_demo_data_is_idempotent(
    fresh_env: dict[str, str],
) -> None:
    result = run("db", "upgrade", env=fresh_env)
    assert result.returncode == 0, result.stderr
    engine = create_engine(fresh_env["DATABASE_URL"])
    assert {"countries", "users", "submissions", "answers"} <= set(
        inspect(engine).get_table_names()
    )
    assert run("db", "current", env=fresh_env).stdout.strip() != "base (empty database)"

    first = run("demo-data", "--yes", env=fresh_env)
    second = run("demo-data", "--yes", env=fresh_env)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout
    assert "admin@demo.cybermaturity.org" in first.stdout
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Country)) == 194
    engine.dispose()
