"""A job's life: created once per result (idempotent), then started, advanced, finished or failed.

The request that creates a job only flushes, like every operation. Workers call the other
functions each in a transaction of their own (`app.transactions.transactional`), as single UPDATE
statements guarded by the current status, so several processes can advance one job at once and
a job failed meanwhile (stale, or a failed chunk) is never brought back to life.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import and_, func, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import db
from app.auth.models import User
from app.db import UTCDateTime, utcnow
from app.jobs.models import ACTIVE_STATUSES, Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

#: A running job whose heartbeat is older than this is taken for dead (its worker was killed).
STALE_AFTER = timedelta(minutes=10)
#: A job still queued after this long was never picked up (no worker, or the process ended).
QUEUED_TIMEOUT = timedelta(hours=1)

#: Error texts are stored untranslated, like the audit trail, and shown as they are.
STALE_ERROR = "The worker stopped answering; the job was abandoned."
NEVER_STARTED_ERROR = "No worker picked the job up."

#: Results live here, under the instance folder, and are only sent through a checked view.
RESULTS_FOLDER = "jobs"


def get_job(job_id: int) -> Job | None:
    return db.session.get(Job, job_id)


def active_job(dedupe_key: str) -> Job | None:
    return db.session.scalars(
        select(Job).where(Job.dedupe_key == dedupe_key, Job.status.in_(ACTIVE_STATUSES))
    ).first()


def create_job(
    kind: JobKind,
    dedupe_key: str,
    parameters: dict[str, Any],
    *,
    total: int,
    user: User | None,
) -> tuple[Job, bool]:
    """A new queued job, or the one already queued or running for `dedupe_key`.

    Returns `(job, created)`. Two requests racing past the first check meet the partial unique
    index: the loser's insert is rolled back to its savepoint and it returns the winner's job.
    """
    fail_stale_jobs()
    existing = active_job(dedupe_key)
    if existing is not None:
        return existing, False
    job = Job(
        kind=kind,
        dedupe_key=dedupe_key,
        parameters=parameters,
        progress_total=total,
        requested_by=user,
    )
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:
        existing = active_job(dedupe_key)
        if existing is None:
            raise
        return existing, False
    logger.info("Job %s (%s) created for %s", job.id, kind.value, dedupe_key)
    return job, True


def fail_stale_jobs() -> list[int]:
    """Fail running jobs without a recent heartbeat and queued jobs nobody started: their key is
    free again, so asking once more starts a new job. Returns the ids failed."""
    now = utcnow()
    last_sign = func.coalesce(Job.heartbeat_dt, Job.started_dt, Job.created_dt)
    dead = and_(Job.status == JobStatus.RUNNING, last_sign < now - STALE_AFTER)
    forgotten = and_(Job.status == JobStatus.QUEUED, Job.created_dt < now - QUEUED_TIMEOUT)
    query = select(Job).where(or_(dead, forgotten)).execution_options(populate_existing=True)
    stale = db.session.scalars(query).all()
    for job in stale:
        job.error = STALE_ERROR if job.status is JobStatus.RUNNING else NEVER_STARTED_ERROR
        job.status = JobStatus.FAILED
        job.finished_dt = now
        logger.warning("Job %s failed: %s", job.id, job.error)
    db.session.flush()
    return [job.id for job in stale]


def is_stale(job: Job) -> bool:
    """What `fail_stale_jobs` would fail, seen without writing (for read-only polls)."""
    now = utcnow()
    if job.status is JobStatus.RUNNING:
        last_sign = job.heartbeat_dt or job.started_dt or job.created_dt
        return last_sign < now - STALE_AFTER
    return job.status is JobStatus.QUEUED and job.created_dt < now - QUEUED_TIMEOUT


def _update_active(job_id: int, statuses: tuple[JobStatus, ...], **values: Any) -> bool:
    """One guarded UPDATE; False when the job is no longer in one of `statuses`."""
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def start_job(job_id: int) -> bool:
    """Mark the job running (the first call sets `started_dt`); False if it failed meanwhile."""
    now = utcnow()
    return _update_active(
        job_id,
        ACTIVE_STATUSES,
        status=JobStatus.RUNNING,
        started_dt=func.coalesce(Job.started_dt, literal(now, UTCDateTime())),
        heartbeat_dt=now,
    )


def heartbeat(job_id: int) -> bool:
    """The job is alive; False if it was failed meanwhile, and the caller should stop."""
    return _update_active(job_id, (JobStatus.RUNNING,), heartbeat_dt=utcnow())


def add_progress(job_id: int, done: int = 1) -> bool:
    """`done` more items finished (an atomic increment, safe from several processes)."""
    return _update_active(
        job_id,
        (JobStatus.RUNNING,),
        progress_done=Job.progress_done + done,
        heartbeat_dt=utcnow(),
    )


def finish_job(job_id: int, result: Path, left_out: Sequence[int] = ()) -> bool:
    """Done, with its file; earlier results of the same key are deleted, having been replaced.

    `left_out`: the submissions whose scorecard could not be rendered, kept in the job's
    parameters (`left_out`) for its page to name.
    """
    relative = result.relative_to(results_root()).as_posix()
    now = utcnow()
    extra: dict[str, Any] = {}
    if left_out:
        job = db.session.get(Job, job_id)
        parameters = job.parameters if job is not None else {}
        extra["parameters"] = {**parameters, "left_out": list(left_out)}
    finished = _update_active(
        job_id,
        (JobStatus.RUNNING,),
        status=JobStatus.DONE,
        result_path=relative,
        **extra,
        progress_done=Job.progress_total,
        heartbeat_dt=now,
        finished_dt=now,
    )
    if finished:
        _drop_replaced_results(job_id)
    return finished


def fail_job(job_id: int, error: str) -> bool:
    now = utcnow()
    failed = _update_active(
        job_id, ACTIVE_STATUSES, status=JobStatus.FAILED, error=error[:2000], finished_dt=now
    )
    if failed:
        logger.error("Job %s failed: %s", job_id, error)
    return failed


def _drop_replaced_results(job_id: int) -> None:
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None:  # pragma: no cover - just updated in this transaction
        return
    older = db.session.scalars(
        select(Job).where(
            Job.dedupe_key == job.dedupe_key,
            Job.status == JobStatus.DONE,
            Job.id < job.id,
            Job.result_path.is_not(None),
        )
    ).all()
    for replaced in older:
        path = result_file(replaced)
        replaced.result_path = None
        if path is not None:
            path.unlink(missing_ok=True)
            _remove_empty_folder(path.parent)
    db.session.flush()


def _remove_empty_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty, or already gone
        folder.rmdir()


def results_root() -> Path:
    return Path(current_app.instance_path) / RESULTS_FOLDER


def result_folder(job_id: int) -> Path:
    """The job's own folder for its result (created on demand)."""
    folder = results_root() / str(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def result_file(job: Job) -> Path | None:
    """The job's stored file if it exists, never anything outside the results folder."""
    if job.result_path is None:
        return None
    root = results_root().resolve()
    path = (root / job.result_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def write_atomically(target: Path, write: Any) -> Path:
    """Call `write(path)` on a temporary file next to `target`, then move it into place, so a
    reader never sees half a file and a crash leaves no file under the final name."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
