"""What runs inside a worker process: its own app, and a fresh app context per task.

A worker never shares the web process's app or database connections. A process pool's workers
build their app once, from the settings of the app that started them (`init_worker`); an RQ
worker started by `cybermaturity scorecards worker` runs tasks inside that command's app; a bare
`rq worker` builds one from the environment on its first task (`create_app()`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from flask import Flask, current_app, has_app_context

_app: Flask | None = None


def worker_settings(app: Flask) -> dict[str, Any]:
    """The settings a worker needs to build the same app: every declared setting's value."""
    from app.config import Settings

    return {key: app.config[key] for key in Settings.model_fields}


def init_worker(settings: dict[str, Any] | None = None) -> None:
    """Process-pool initializer: build this process's app once, before its first task."""
    global _app  # noqa: PLW0603 - one app per worker process, built once
    from app import create_app

    _app = create_app(settings)


def _worker_app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]
    if _app is None:
        init_worker()
    assert _app is not None  # noqa: S101 - set just above
    return _app


@contextlib.contextmanager
def task_context() -> Iterator[Flask]:
    """A new app context for one task: its own database session, removed at the end."""
    app = _worker_app()
    with app.app_context():
        yield app
