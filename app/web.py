"""Request plumbing shared by every feature: one transaction per request, side effects after
commit, security headers."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import RequestEntityTooLarge

from app import db
from app.extensions import login_manager
from app.i18n import _

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
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.add_url_rule("/csrf-token", "csrf_token", csrf_token_json)


def send_attachment(path: Path, download_name: str, mimetype: str) -> Response:
    """A stored file as a private, uncached download that a browser never renders inline."""
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=True,
        download_name=download_name,
        max_age=0,
        conditional=True,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def replay_fields() -> list[tuple[str, str]]:
    """The fields of the current POST, to send again after a fresh token or a new sign-in."""
    return [
        (k, v)
        for k, v in request.form.items(multi=True)
        if k != "csrf_token" and "password" not in k
    ]


def replay_page(message: str, status: int) -> tuple[str, int]:
    """The posted form, kept whole, with a button to send it again (with a valid token)."""
    return (
        render_template(
            "replay.html",
            message=message,
            fields=replay_fields(),
            action=request.full_path.rstrip("?"),
            had_files=any(f.filename for f in request.files.values()),
        ),
        status,
    )


def _csrf_error(error: CSRFError) -> ResponseReturnValue:
    if _wants_json():
        return jsonify(error="csrf", message=_("The page has expired. Reload it.")), 400
    logger.info("CSRF failure on %s: %s", request.path, error.description)
    if request.blueprint == "auth":  # nothing worth keeping, and never a password
        flash(_("The page had expired. Please try again."), "error")
        return redirect(request.full_path.rstrip("?"))
    if not current_user.is_authenticated:  # the session ended: sign in, then send it again
        return login_manager.unauthorized()
    return replay_page(
        _(
            "This page had expired, so nothing was saved yet. Nothing you typed is lost: "
            "send it again with the button below."
        ),
        400,
    )


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json


def _too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Too much to read, so nothing of it can be shown again: say so, and how to get it back."""
    limit = current_app.config["MAX_UPLOAD_SIZE"] // (1024 * 1024)
    message = _(
        "What you sent is larger than this site accepts (files up to %(limit)s MB). Nothing was "
        "saved. Go back with your browser's Back button: your answers are still in the page.",
        limit=limit,
    )
    if _wants_json():
        return jsonify(error="too_large", message=message), 413
    return render_template("error.html", title=_("Too large to send"), message=message), 413


def csrf_token_json() -> ResponseReturnValue:
    """A fresh CSRF token for pages open for hours (autosave asks for one when it expires)."""
    return jsonify(csrf_token=generate_csrf())
