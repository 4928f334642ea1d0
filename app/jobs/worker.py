"""What runs inside a worker process: its own app, and a fresh app context per task.

A worker never shares the web process's app or database connections. A process pool's workers
build their app once, from the settings of the app that started them (`init_worker`); an RQ
worker started by `cybermaturity scorecards worker` runs tasks inside that command's app; a bare
`rq worker` builds one from the environment on its first task (`create_app()`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from flask import Flask, current_app, has_app_context

_app: Flask | None = None

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s"


def worker_settings(app: Flask) -> dict[str, Any]:
    """The settings a worker needs to build the same app: every declared setting's value."""
    from app.config import Settings

    return {key: app.config[key] for key in Settings.model_fields}


def init_worker(settings: dict[str, Any] | None = None, log_level: int | None = None) -> None:
    """Process-pool initializer: build this process's app once, before its first task.

    `log_level` is the starting process's, so a pool's workers log as much as it does."""
    global _app  # noqa: PLW0603 - one app per worker process, built once
    from app import create_app

    if log_level is not None:
        logging.basicConfig(level=log_level, format=LOG_FORMAT)
    quiet_renderer_logs()
    _app = create_app(settings)


def quiet_renderer_logs() -> None:
    """WeasyPrint logs each step of each document at INFO: noise, hundreds of times a job."""
    logging.getLogger("weasyprint").setLevel(logging.WARNING)


def _worker_app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _app is None:  # a bare `rq worker`: the environment's app
        init_worker()
    assert _app is not None  # noqa: S101 - set just above
    return _app


@contextlib.contextmanager
def task_context() -> Iterator[Flask]:
    """A new app context for one task: its own database session, removed at the end."""
    app = _worker_app()
    with app.app_context():
        yield app
