"""A job's life in the database: one per result, guarded updates, stale jobs failed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app import db
from app.db import utcnow
from app.jobs import operations
from app.jobs.models import Job, JobKind, JobStatus
from tests.factories import UserFactory

KEY = "bulk_scorecards:1:fr:published"


def new_job(key: str = KEY, total: int = 3) -> tuple[Job, bool]:
    return operations.create_job(
        JobKind.BULK_SCORECARDS, key, {"campaign_id": 1, "lang": "fr"}, total=total, user=None
    )


def reload(job: Job) -> Job:
    db.session.expire_all()
    found = db.session.get(Job, job.id)
    assert found is not None
    return found


def test_asking_twice_returns_the_job_under_way(app_context: None) -> None:
    first, created = new_job()
    again, created_again = new_job()
    assert created
    assert not created_again
    assert again.id == first.id
    other, created_other = new_job(KEY.replace(":fr:", ":ar:"))
    assert created_other
    assert other.id != first.id


def test_a_finished_or_failed_job_frees_its_key(app_context: None) -> None:
    first, _ = new_job()
    assert operations.fail_job(first.id, "boom")
    second, created = new_job()
    assert created
    assert second.id != first.id


def test_a_racing_request_gets_the_winners_job(app_context: None, monkeypatch: Any) -> None:
    """Two requests both find no job under way; the unique index lets only one insert."""
    winner, _ = new_job()
    seen: list[Job | None] = [None, winner]  # the loser's first look misses the winner
    real_active = operations.active_job
    monkeypatch.setattr(operations, "active_job", lambda key: seen.pop(0) if seen else None)
    loser, created = new_job()
    monkeypatch.setattr(operations, "active_job", real_active)
    assert not created
    assert loser.id == winner.id
    assert db.session.scalars(select(Job.id)).all() == [winner.id]  # the session still works


def test_progress_is_counted_while_running_only(app_context: None) -> None:
    job, _ = new_job()
    assert not operations.add_progress(job.id)  # still queued
    assert operations.start_job(job.id)
    started = reload(job).started_dt
    assert operations.start_job(job.id)  # a second chunk starting keeps the first start time
    assert reload(job).started_dt == started
    assert operations.add_progress(job.id)
    assert operations.add_progress(job.id, 2)
    assert reload(job).progress_done == 3
    assert operations.fail_job(job.id, "a chunk failed")
    assert not operations.add_progress(job.id)  # nothing brings a failed job back
    assert not operations.start_job(job.id)
    assert not operations.heartbeat(job.id)
    failed = reload(job)
    assert (failed.status, failed.progress_done, failed.error) == (
        JobStatus.FAILED,
        3,
        "a chunk failed",
    )
    assert failed.finished_dt is not None
    assert failed.finished_dt.tzinfo is not None


def _age(job: Job, **values: Any) -> None:
    db.session.execute(update(Job).where(Job.id == job.id).values(**values))


def test_stale_jobs_are_failed_and_fresh_ones_kept(app_context: None) -> None:
    long_ago = utcnow() - dt.timedelta(hours=2)
    dead, alive, forgotten, waiting = (new_job(key)[0] for key in "abcd")
    operations.start_job(dead.id)
    operations.start_job(alive.id)
    _age(dead, heartbeat_dt=long_ago)
    _age(forgotten, created_dt=long_ago)

    assert sorted(operations.fail_stale_jobs()) == sorted([dead.id, forgotten.id])
    assert reload(dead).error == operations.STALE_ERROR
    assert reload(forgotten).error == operations.NEVER_STARTED_ERROR
    assert reload(alive).status is JobStatus.RUNNING
    assert reload(waiting).status is JobStatus.QUEUED
    # Asking again for a dead job's result starts a new job instead of waiting forever.
    assert new_job("a")[1]


def test_finishing_keeps_the_file_and_drops_the_replaced_one(app_context: None) -> None:
    files = []
    for _ in range(2):
        job, _ = new_job()
        operations.start_job(job.id)
        path = operations.result_folder(job.id) / "scorecards.zip"
        operations.write_atomically(path, lambda p: p.write_bytes(b"PK"))
        assert operations.finish_job(job.id, path)
        files.append((job, path))
    (old, old_path), (new, new_path) = files
    assert reload(new).status is JobStatus.DONE
    assert reload(new).progress_done == reload(new).progress_total
    assert operations.result_file(reload(new)) == new_path.resolve()
    assert not old_path.exists()
    assert reload(old).result_path is None
    assert operations.result_file(reload(old)) is None


def test_a_result_outside_the_jobs_folder_is_never_served(app_context: None, app: Any) -> None:
    job, _ = new_job()
    secret = Path(app.instance_path) / "secret_key"
    secret.write_text("x")
    for sneaky in ("../secret_key", str(secret), "1/../../secret_key"):
        job.result_path = sneaky
        assert operations.result_file(job) is None


def test_a_failed_write_leaves_no_file(app_context: None, tmp_path: Path) -> None:
    target = tmp_path / "out.zip"

    def broken(path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        operations.write_atomically(target, broken)
    assert list(tmp_path.iterdir()) == []


def test_a_job_remembers_who_asked(app_context: None) -> None:
    user = UserFactory(admin=True)
    job, _ = operations.create_job(JobKind.BULK_SCORECARDS, KEY, {}, total=1, user=user)
    assert reload(job).requested_by_id == user.id
    assert reload(job).percent == 0
