"""Units of work: one transaction per request, opened and ended by the request lifecycle.

A request reads in a read-only transaction when its method is GET or HEAD, and writes in one
transaction otherwise; the lifecycle commits it when the response's status is below 400 and rolls
it back otherwise (or when the view raised). No view commits: operations only `flush()`. The few
routes that must work otherwise say so with `@transaction(Mode...)` on the view, and
`tests/app/test_request_lifecycle.py` lists every route with its mode.

Outside requests (CLI commands, background tasks), `transactional` wraps a function in a unit of
its own. Side effects wait for the commit (`after_commit`); what must be kept although the unit
fails (an audited refusal) is written after it in a transaction of its own (`even_if_failed`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, ParamSpec, TypeVar

from flask import Flask, Response, current_app, g, has_request_context, request

from app import db

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


class Mode(StrEnum):
    """How a route's request uses the database."""

    #: One read-only transaction (the default for GET and HEAD). On SQLite it takes no write lock
    #: and runs beside other readers; any write is refused by the database.
    READ = "read"
    #: One transaction that may write (the default for every other method).
    WRITE = "write"
    #: Starts reading; `begin_writing()` ends the reading and opens the writing transaction, so a
    #: request that checks a lot before a small write holds the write lock for the write alone.
    READ_THEN_WRITE = "read, then write"
    #: No transaction around the view: it reads in short units of its own (`reading()`) and does
    #: long work (a PDF render) holding no transaction and no pooled connection.
    NONE = "none"


_MODE_ATTRIBUTE = "transaction_mode"
_STATE = "transaction_state"
_READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def transaction(mode: Mode) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare that a view's requests use the database in `mode` rather than by their method."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        setattr(view, _MODE_ATTRIBUTE, mode)
        return view

    return decorator


def mode_of(view: Callable[..., Any] | None, method: str) -> Mode:
    """The mode a request with `method` to `view` runs in."""
    declared = getattr(view, _MODE_ATTRIBUTE, None)
    if declared is not None:
        return Mode(declared)
    return Mode.READ if method in _READING_METHODS else Mode.WRITE


# --- Side effects and lasting records ---


def after_commit(callback: Callable[[], Any]) -> None:
    """Run `callback` once the current unit has committed (e-mail, background tasks).

    Queued work is dropped on rollback, so nobody is mailed about a change that never happened.
    """
    g.setdefault("after_commit", []).append(callback)


def even_if_failed(callback: Callable[[], Any]) -> None:
    """Run `callback` (which writes, say an audit entry) in a transaction of its own once the
    current unit has ended, whether it committed or not: a refused request rolls back, but the
    trail must keep the refusal."""
    g.setdefault("even_if_failed", []).append(callback)


def _run(callbacks: list[Callable[[], Any]]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:
            logger.exception("callback %r failed", callback)


def _end(success: bool) -> None:
    """End the current unit: commit or roll back, then release what waited for it."""
    callbacks = g.pop("after_commit", [])
    try:
        if success:
            db.session.commit()
        else:
            db.session.rollback()
    except BaseException:
        db.session.rollback()
        _write_lasting()
        raise
    _write_lasting()
    if success:
        _run(callbacks)


def _write_lasting() -> None:
    lasting = g.pop("even_if_failed", [])
    if not lasting:
        return
    db.allow_writes()
    try:
        for callback in lasting:
            callback()
        db.session.commit()
    except Exception:
        db.session.rollback()
        logger.exception("could not write what a failed unit had to keep")


# --- Units outside requests ---


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """One unit of work around `func` (a CLI command, a task's step): commit on success, roll
    back on any error or on a response whose status is 400 or more."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = func(*args, **kwargs)
        except BaseException:
            _end(success=False)
            raise
        _end(success=not _is_error(result))
        return result

    return wrapper


@contextmanager
def reading() -> Iterator[None]:
    """A short read-only unit inside a `Mode.NONE` request or a task: its objects stay loaded
    as read afterwards, and its connection goes back to the pool when it ends."""
    if has_request_context() and _state() is not Mode.NONE:
        raise RuntimeError("reading() belongs to views declared Mode.NONE, and to tasks")
    was_read_only = db.is_read_only()
    db.reads_only()
    try:
        yield
    except BaseException:
        _end(success=False)
        raise
    else:
        _end(success=True)
    finally:
        if was_read_only:
            db.reads_only()
        else:
            db.allow_writes()


def begin_writing() -> None:
    """In a `Mode.READ_THEN_WRITE` request: end the reading; what follows may write."""
    if _state() != Mode.READ_THEN_WRITE:
        raise RuntimeError("begin_writing() belongs to views declared READ_THEN_WRITE")
    db.end_reading()


def _is_error(result: object) -> bool:
    if isinstance(result, Response):
        return result.status_code >= 400
    if isinstance(result, tuple) and len(result) > 1 and isinstance(result[1], int):
        return result[1] >= 400
    return False


# --- The request lifecycle ---


def _state() -> Mode | None:
    return g.get(_STATE)


def _open_request_unit() -> None:
    view = request.url_rule and request.endpoint and _view_function()
    mode = mode_of(view or None, request.method)
    g.setdefault(_STATE, mode)
    if mode in (Mode.READ, Mode.READ_THEN_WRITE, Mode.NONE):
        # NONE: whatever reads outside `reading()` (the signed-in user, say) reads only, too.
        db.reads_only()


def _view_function() -> Callable[..., Any] | None:
    return current_app.view_functions.get(request.endpoint or "")


def _end_request_unit(response: Response) -> Response:
    if g.pop(_STATE, None) is not None:
        _end(success=response.status_code < 400)
    return response


def _end_after_exception(exc: BaseException | None) -> None:
    """A view that raised (with exceptions propagated, as in tests) never reached
    `_end_request_unit`: roll back, and still write what must be kept."""
    if g.pop(_STATE, None) is not None:
        _end(success=False)


def init_app(app: Flask) -> None:
    # First of every before-request function: CSRF checks and the sign-in may read the database,
    # and the unit's mode decides how that first read begins.
    app.before_request_funcs.setdefault(None, []).insert(0, _open_request_unit)
    app.after_request(_end_request_unit)
    app.teardown_request(_end_after_exception)
