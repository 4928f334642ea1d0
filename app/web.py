"""Request plumbing shared by every feature: one transaction per request, side effects after
commit, security headers."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from flask import Flask, Response, g

from app import db

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",  # no inline script, ever
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def after_commit(callback: Callable[[], Any]) -> None:
    """Run `callback` once the current transaction has committed (e-mail, background tasks).

    Queued work is dropped on rollback, so nobody is mailed about a change that never happened.
    """
    g.setdefault("after_commit", []).append(callback)


def _run_after_commit() -> None:
    for callback in g.pop("after_commit", []):
        try:
            callback()
        except Exception:
            logger.exception("after-commit callback %r failed", callback)


def commit() -> None:
    """Commit the unit of work and release its side effects. Only this module commits."""
    db.session.commit()
    _run_after_commit()


def rollback() -> None:
    db.session.rollback()
    g.pop("after_commit", None)


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """One commit per request (or CLI command): commit on success, roll back on any error."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = func(*args, **kwargs)
        except BaseException:
            rollback()
            raise
        if _is_error(result):
            rollback()
        else:
            commit()
        return result

    return wrapper


def _is_error(result: object) -> bool:
    if isinstance(result, Response):
        return result.status_code >= 400
    if isinstance(result, tuple) and len(result) > 1 and isinstance(result[1], int):
        return result[1] >= 400
    return False


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_security_headers)
