"""The migrations build exactly the schema the models declare, and undo it cleanly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from app.cli.database import alembic_config
from app.models import Model
from tests.support import database


@pytest.fixture
def empty_database_url(tmp_path: Path, worker_id: str) -> object:
    with database.empty_database(
        os.environ.get("TEST_DATABASE_URL"), tmp_path, f"migrations_{worker_id}"
    ) as url:
        yield url


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        diff = compare_metadata(context, Model.metadata)
    engine.dispose()
    return list(diff)


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    return tables


def test_upgrade_matches_models_then_downgrade_and_upgrade_again(empty_database_url: str) -> None:
    database.upgrade(empty_database_url)
    assert _differences(empty_database_url) == []
    assert set(Model.metadata.tables) <= _tables(empty_database_url)

    database.downgrade(empty_database_url, "base")
    assert _tables(empty_database_url) <= {"alembic_version"}

    database.upgrade(empty_database_url)
    assert _differences(empty_database_url) == []


def test_a_single_head_and_every_revision_has_a_downgrade() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    for revision in script.walk_revisions():
        source = Path(revision.path).read_text()
        assert "def downgrade()" in source
        assert "def downgrade() -> None:\n    pass" not in source, revision.revision
