"""Where jobs run: RQ workers over Redis when REDIS_URL is set (they scale across machines), a
local process pool otherwise. Both run a job's steps on every core they have.

A runner receives a job id once the job's transaction has committed (`enqueue_after_commit`),
reads the job's plan (chunks of ids, then a final step) and hands the steps to its workers.

Runners know no kind of job: the module that defines one (`app.jobs.bulk`) registers its planner
here (`register_planner`) when it is imported, and imports this module, never the other way.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import Flask, current_app

from app.jobs import operations
from app.jobs.models import Job, JobKind
from app.jobs.worker import init_worker, worker_settings
from app.transactions import after_commit, transactional

logger = logging.getLogger(__name__)

#: Where `app.extensions` keeps the app's runner (tests put their own there).
RUNNER_KEY = "jobs.runner"
#: The RQ queue that `cybermaturity scorecards worker` listens on.
QUEUE_NAME = "cybermaturity"
#: Scorecards per RQ task: enough to amortise a task's overhead, few enough to spread a
#: 194-country job over many workers.
RQ_CHUNK_SIZE = 8
#: How long an RQ task may take, and how long its record is kept in Redis (seconds).
RQ_TASK_TIMEOUT = 30 * 60
RQ_RESULT_TTL = 24 * 3600
#: While its workers are busy elsewhere, the local coordinator still signals the job is alive.
HEARTBEAT_EVERY = 30.0

BROKEN_POOL_ERROR = "A worker process stopped unexpectedly."
ProgressCallback = Callable[[int], None]


class PartialFailure(Exception):  # noqa: N818 - a step's outcome, not an error of the job
    """A step did what it could and failed part of its work; the job goes on, and its final
    step reports what is missing (a runner that sees this does not fail the job)."""


@dataclass(frozen=True)
class Step:
    """One task for a worker: a module-level function and its arguments (ids and primitives)."""

    func: Callable[..., Any]
    args: tuple[Any, ...]
    items: int = 0  # how many items it advances the progress by


@dataclass(frozen=True)
class Plan:
    """A job's work: independent steps that run in parallel, then a final step."""

    job_id: int
    steps: list[Step] = field(default_factory=list)
    final: Step | None = None


#: A job's plan from the job and the number of items a step takes.
Planner = Callable[[Job, int], Plan]

#: The planner of each kind of job, and the modules a pool's workers load before their first
#: task (the job's tasks and the code they run), as registered by the modules defining them.
_planners: dict[JobKind, Planner] = {}
_preload: list[str] = []


def register_planner(kind: JobKind, planner: Planner, *, preload: tuple[str, ...] = ()) -> None:
    """Plan jobs of this kind with `planner`; a pool's workers load its module and `preload`."""
    _planners[kind] = planner
    for module in (planner.__module__, *preload):
        if module not in _preload:
            _preload.append(module)


class Runner(Protocol):
    def submit(self, app: Flask, job_id: int) -> None:
        """Start the job in the background (called after the job's transaction committed)."""


_runner_lock = threading.Lock()


def get_runner(app: Flask | None = None) -> Runner:
    """The app's runner, made on first use from its configuration."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _runner_lock:
        runner: Runner | None = app.extensions.get(RUNNER_KEY)
        if runner is None:
            runner = make_runner(app)
            app.extensions[RUNNER_KEY] = runner
    return runner


def make_runner(app: Flask) -> Runner:
    url = app.config.get("REDIS_URL")
    if url:
        from redis import Redis

        return RQRunner(Redis.from_url(url))
    return LocalRunner()


def enqueue_after_commit(job_id: int) -> None:
    """Hand the job to the runner once the current transaction has committed; never before,
    so a worker never looks for a job that is not there yet (or was rolled back)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(lambda: get_runner(app).submit(app, job_id))


def load_plan(job_id: int, chunk_size: int) -> Plan | None:
    """The job's steps, or None if it is gone or no longer queued or running."""
    job = operations.get_job(job_id)
    if job is None or not job.is_active:
        return None
    return _planners[job.kind](job, chunk_size)


# --- The local process pool ---


def pool_context() -> multiprocessing.context.BaseContext:
    """forkserver: workers start from a clean process that has imported the rendering code
    once, never from a fork of a web process with its threads and database connections."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(_preload))
    return context


def process_pool(
    app: Flask, workers: int, initializer: Callable[..., None] = init_worker
) -> concurrent.futures.ProcessPoolExecutor:
    """Worker processes started from the forkserver, each building `app`'s twin once
    (`initializer` gets its settings and the log level)."""
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=pool_context(),
        initializer=initializer,
        initargs=(worker_settings(app), logging.getLogger().getEffectiveLevel()),
    )


class LocalRunner:
    """A process pool with one worker per core. Jobs run one step per item, so the pool stays
    evenly busy; a coordinator (a thread in the web process, or the CLI itself) waits for the
    steps, keeps the job's heartbeat and then has the final step run in the pool too."""

    def __init__(self, max_workers: int | None = None) -> None:
        self.max_workers = max_workers or os.cpu_count() or 1
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, app: Flask, job_id: int) -> None:
        threading.Thread(
            target=self._run_logged, args=(app, job_id), name=f"job-{job_id}", daemon=True
        ).start()

    def _run_logged(self, app: Flask, job_id: int) -> None:
        try:
            self.run(app, job_id)
        except Exception:
            logger.exception("Job %s failed", job_id)

    def run(self, app: Flask, job_id: int, on_progress: ProgressCallback | None = None) -> None:
        """Run the job to its end in this process's pool; `on_progress(n)` as items finish.

        Raises what a step raised (the job is failed by then)."""
        with app.app_context():
            plan = transactional(load_plan)(job_id, 1)
            if plan is None or not transactional(operations.start_job)(job_id):
                return
        partial: list[PartialFailure] = []
        try:
            pool = self._executor(app)
            if self._run_steps(app, pool, plan, on_progress, partial) and plan.final is not None:
                result = pool.submit(plan.final.func, *plan.final.args).result()
                if partial and result is None:  # the final step failed the job: say why
                    raise partial[0]
        except BrokenProcessPool:
            self._discard_pool()
            self._fail(app, job_id, BROKEN_POOL_ERROR)
            raise
        except Exception as exc:
            self._fail(app, job_id, f"{type(exc).__name__}: {exc}")  # no-op if a step did
            raise

    def _run_steps(
        self,
        app: Flask,
        pool: concurrent.futures.ProcessPoolExecutor,
        plan: Plan,
        on_progress: ProgressCallback | None,
        partial: list[PartialFailure],
    ) -> bool:
        """Run every step; False if the job was failed meanwhile (the rest is cancelled).
        Steps that did part of their work are listed in `partial`."""
        futures: dict[concurrent.futures.Future[Any], Step] = {
            pool.submit(step.func, *step.args): step for step in plan.steps
        }
        pending = set(futures)
        last_beat = time.monotonic()
        try:
            while pending:
                done, pending = concurrent.futures.wait(
                    pending, timeout=HEARTBEAT_EVERY, return_when="FIRST_COMPLETED"
                )
                for future in done:
                    try:
                        future.result()
                    except PartialFailure as exc:
                        partial.append(exc)
                    if on_progress is not None:
                        on_progress(futures[future].items)
                if time.monotonic() - last_beat >= HEARTBEAT_EVERY:
                    last_beat = time.monotonic()
                    if not self._heartbeat(app, plan.job_id):
                        return False
        finally:
            for future in pending:
                future.cancel()
        return True

    @staticmethod
    def _heartbeat(app: Flask, job_id: int) -> bool:
        with app.app_context():
            return transactional(operations.heartbeat)(job_id)

    @staticmethod
    def _fail(app: Flask, job_id: int, error: str) -> None:
        with app.app_context():
            transactional(operations.fail_job)(job_id, error)

    def _executor(self, app: Flask) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = process_pool(app, self.max_workers)
            return self._pool

    def worker_pids(self) -> list[int]:
        """The pool's worker processes (none before the first job)."""
        with self._lock:
            processes = getattr(self._pool, "_processes", None) or {}
            return sorted(processes)

    def _discard_pool(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


# --- RQ ---


class RQRunner:
    """Chunks of a job as RQ tasks that any worker takes; the final step waits for them all
    (it runs even if one failed, to find the job failed and stop) and jumps the queue."""

    def __init__(
        self, connection: Any, queue_name: str = QUEUE_NAME, chunk_size: int = RQ_CHUNK_SIZE
    ) -> None:
        self.connection = connection
        self.queue_name = queue_name
        self.chunk_size = chunk_size

    def submit(self, app: Flask, job_id: int) -> None:
        self.enqueue(app, job_id)

    def enqueue(self, app: Flask, job_id: int) -> list[Any]:
        """Queue the job's tasks; returns the RQ jobs (the final one last)."""
        from redis.exceptions import RedisError

        with app.app_context():
            plan = transactional(load_plan)(job_id, self.chunk_size)
        if plan is None:
            return []
        try:
            return self._enqueue(plan)
        except RedisError as exc:
            with app.app_context():
                transactional(operations.fail_job)(job_id, f"Could not queue the job: {exc}")
            raise

    def _enqueue(self, plan: Plan) -> list[Any]:
        from rq import Queue
        from rq.job import Dependency

        queue = Queue(self.queue_name, connection=self.connection)
        options = {"job_timeout": RQ_TASK_TIMEOUT, "result_ttl": RQ_RESULT_TTL}
        count = len(plan.steps)
        chunks = [
            queue.enqueue(
                step.func,
                *step.args,
                description=f"job {plan.job_id}: part {index} of {count}",
                failure_ttl=RQ_RESULT_TTL,
                **options,
            )
            for index, step in enumerate(plan.steps, start=1)
        ]
        if plan.final is None:
            return chunks
        final = queue.enqueue(
            plan.final.func,
            *plan.final.args,
            description=f"job {plan.job_id}: final step",
            depends_on=Dependency(jobs=chunks, allow_failure=True, enqueue_at_front=True),
            failure_ttl=RQ_RESULT_TTL,
            **options,
        )
        return [*chunks, final]
