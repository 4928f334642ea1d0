"""`cybermaturity scorecards ...`: a campaign's scorecards in one ZIP, and the RQ workers.

`render` runs the same job as the download page, in the foreground, on a process pool with one
process per core. `worker` starts RQ workers for the jobs the web app queues when REDIS_URL is
set.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from app.i18n import LANGUAGES

logger = logging.getLogger(__name__)

scorecards_group = AppGroup("scorecards", help="Scorecards: bulk rendering and its workers.")

#: How often `render` looks at a job another process runs.
_FOLLOW_EVERY = 1.0


@scorecards_group.command("render")
@click.option("--campaign", "campaign_id", type=int, required=True, help="The campaign's id.")
@click.option("--lang", type=click.Choice(LANGUAGES), required=True, help="Their language.")
@click.option(
    "--all", "include_all", is_flag=True, help="Every answered submission, not only published."
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Copy the ZIP here (default: leave it in the instance folder).",
)
@click.option(
    "--processes", type=click.IntRange(min=1), help="Worker processes (default: one per core)."
)
def render(
    campaign_id: int, lang: str, include_all: bool, output: Path | None, processes: int | None
) -> None:
    """Render a campaign's published scorecards in LANG and pack them into a ZIP file."""
    from app.transactions import transactional

    job = transactional(_request)(campaign_id, lang, include_all)
    processes = processes or os.cpu_count() or 1
    click.echo(f"{job.title}: {job.total} scorecards in {lang}, job {job.id}.")
    started = time.perf_counter()
    with click.progressbar(length=job.total, label="Rendering", show_pos=True) as bar:
        if job.created:
            _run_here(job.id, processes, bar)
        else:
            click.echo(f"Job {job.id} is already under way elsewhere; following it.")
            _follow(job.id, bar)
    path = transactional(_result)(job.id)
    if output is not None:
        shutil.copyfile(path, output)
        path = output
    elapsed = time.perf_counter() - started
    click.echo(f"{job.total} scorecards ({job.title}, {lang}) in {elapsed:.1f} s.")
    click.echo(str(path))


@dataclass(frozen=True)
class _Job:
    id: int
    total: int
    title: str
    created: bool


def _request(campaign_id: int, lang: str, include_all: bool) -> _Job:
    """The job (new, or the one under way), as plain values: the command keeps no transaction
    open while the workers write to the database."""
    from app import db
    from app.campaigns.models import Campaign
    from app.jobs.bulk import NothingToRenderError, request_bulk_scorecards

    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise click.BadParameter(f"no campaign with the id {campaign_id}", param_hint="--campaign")
    try:
        job, created = request_bulk_scorecards(
            campaign, lang, include_unpublished=include_all, background=False
        )
    except NothingToRenderError:
        what = "answered" if include_all else "published (use --all for every answered one)"
        raise click.ClickException(f"campaign {campaign_id} has no {what} submission") from None
    return _Job(job.id, job.progress_total, campaign.title, created)


def _run_here(job_id: int, processes: int, bar: Any) -> None:
    from app.jobs.runners import LocalRunner

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    runner = LocalRunner(processes)
    try:
        runner.run(app, job_id, on_progress=bar.update)
    except Exception:  # the job holds the reason, which `_result` reports
        logger.debug("Job %s failed", job_id, exc_info=True)
    finally:
        runner.shutdown()


def _follow(job_id: int, bar: Any) -> None:
    from app.jobs import operations
    from app.transactions import transactional

    def state() -> tuple[bool, int]:
        operations.fail_stale_jobs()
        job = operations.get_job(job_id)
        assert job is not None  # noqa: S101 - jobs are never deleted
        return job.is_active, min(job.progress_done, job.progress_total)

    shown = 0
    while True:
        active, done = transactional(state)()
        bar.update(done - shown)
        shown = done
        if not active:
            return
        time.sleep(_FOLLOW_EVERY)


def _result(job_id: int) -> Path:
    """The finished job's ZIP; exits with the job's error if it failed."""
    from app.jobs import operations
    from app.jobs.models import JobStatus

    job = operations.get_job(job_id)
    assert job is not None  # noqa: S101 - jobs are never deleted
    path = operations.result_file(job)
    if job.status is not JobStatus.DONE or path is None:
        raise click.ClickException(f"job {job_id} failed: {job.error or job.status.value}")
    return path


@scorecards_group.command("worker")
@click.option(
    "--processes", type=click.IntRange(min=1), help="Worker processes (default: one per core)."
)
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@click.option("--queue", "queue_name", help="The RQ queue to take tasks from.")
def worker(processes: int | None, burst: bool, queue_name: str | None) -> None:
    """Take bulk-rendering tasks from Redis (REDIS_URL), one worker process per core."""
    from redis import Redis
    from rq import Worker
    from rq.worker_pool import WorkerPool

    import app.jobs.bulk
    import app.scorecards.operations  # noqa: F401 - loaded once here, not in every task
    from app.jobs.runners import QUEUE_NAME
    from app.jobs.worker import quiet_renderer_logs

    url = current_app.config["REDIS_URL"]
    if not url:
        raise click.ClickException(
            "REDIS_URL is not set: without Redis, jobs run in the web server's own process pool."
        )
    quiet_renderer_logs()
    connection = Redis.from_url(url)
    queues = [queue_name or QUEUE_NAME]
    count = processes or os.cpu_count() or 1
    if count == 1:
        Worker(queues, connection=connection).work(burst=burst)
    else:
        WorkerPool(queues, connection=connection, num_workers=count).start(burst=burst)
