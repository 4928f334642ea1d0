"""Scorecards that a download must render are rendered in worker processes of their own.

Laying out a PDF takes a core for a second or two. In a web worker it would also hold that
process's interpreter lock, so the requests the same process serves meanwhile (autosaves) would
wait for it; in a process of its own it holds nothing of the web workers', and it runs at a lower
CPU priority (`RENDER_NICENESS`), so that on a busy machine people's saves go first and the render
takes what is left. The workers start from the same forkserver as the bulk jobs' and read the
scorecard's data themselves, by submission id.

`SCORECARD_RENDER_PROCESSES` sets how many (default: one per core); 0 renders in the request's
own thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import threading
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from flask import Flask

from app.jobs.runners import process_pool
from app.jobs.worker import init_worker, task_context

logger = logging.getLogger(__name__)

RENDERER_KEY = "scorecard_renderer"
#: How much lower than the web workers' the render processes' CPU priority is.
RENDER_NICENESS = 10
#: A download waits this long for its render at most (a render takes seconds).
RENDER_TIMEOUT_SECONDS = 120


class RenderPool:
    def __init__(self, app: Flask, processes: int) -> None:
        self.app = app
        self.processes = processes
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def render(self, submission_id: int, lang: str) -> Path:
        """The scorecard's PDF, rendered (or found cached) by a worker process."""
        try:
            future = self._executor().submit(render_in_worker, submission_id, lang)
            return Path(future.result(timeout=RENDER_TIMEOUT_SECONDS))
        except BrokenProcessPool:
            logger.warning("The scorecard render pool broke; it starts afresh")
            self.shutdown(wait=False)
            raise

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = process_pool(self.app, self.processes, _init_render_worker)
            return self._pool

    def shutdown(self, *, wait: bool = True) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)


def _init_render_worker(settings: dict[str, object], log_level: int) -> None:
    os.nice(RENDER_NICENESS)
    init_worker(settings, log_level)


def render_in_worker(submission_id: int, lang: str) -> str:
    """In a worker process: the scorecard's cached PDF, rendered first if needed."""
    from app.scorecards.operations import scorecard_pdf_path

    with task_context():
        return str(scorecard_pdf_path(submission_id, lang))


def render_pool(app: Flask) -> RenderPool | None:
    """The app's render pool, started on first use; None when renders run in the request."""
    configured = app.config["SCORECARD_RENDER_PROCESSES"]
    processes = (os.cpu_count() or 1) if configured is None else configured
    if processes == 0:
        return None
    pool: RenderPool | None = app.extensions.get(RENDERER_KEY)
    if pool is None:
        pool = app.extensions.setdefault(RENDERER_KEY, RenderPool(app, processes))
    return pool
