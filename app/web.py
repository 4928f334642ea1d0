"""Request plumbing shared by every feature: security headers, error pages, attachments and the
replay of forms sent after their page or session expired. Transactions: `app.transactions`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, Map

from app.db import MAX_INTEGER
from app.extensions import login_manager
from app.i18n import _

logger = logging.getLogger(__name__)

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


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every URL: at most what an INTEGER column holds, so an id past it is
    simply not found (404) instead of overflowing the database's integer."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RowIdConverter  # before any blueprint adds its rules
    app.after_request(_security_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.add_url_rule("/csrf-token", "csrf_token", csrf_token_json)
    app.add_template_global(page_owner)


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


#: The field that says whose page sent a form: only then may its content be kept and offered
#: again after its page or session expired (see `kept_fields`).
PAGE_OWNER_FIELD = "page_owner"
_PAGE_OWNER_SALT = "cybermaturity-page-owner"


def _owner_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=_PAGE_OWNER_SALT)


def page_owner() -> str:
    """A signed mark of the signed-in user, for pages whose forms hold typed work."""
    if not current_user.is_authenticated:
        return ""
    return _owner_signer().dumps(current_user.id)


def owner_of(mark: str) -> int | None:
    """The user a page owner mark was made for, if it is genuine and recent enough (a session's
    longest life, and a day to come back after it ended)."""
    max_age = (current_app.config["SESSION_MAX_HOURS"] + 24) * 3600
    try:
        owner = _owner_signer().loads(mark, max_age=max_age)
    except BadData:
        return None
    return owner if isinstance(owner, int) else None


def kept_fields(owner_id: int | None) -> list[tuple[str, str]]:
    """The fields of the current POST that may be sent again after a fresh token or a new
    sign-in: only when a page of this site made for `owner_id` (for any user, when None: the
    sign-in that follows checks who) sent them. Anything else, a cross-site request above all,
    keeps nothing, so no one can get their fields saved under someone else's name."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return []
    owner = owner_of(request.form.get(PAGE_OWNER_FIELD, ""))
    if owner is None or (owner_id is not None and owner != owner_id):
        return []
    return [
        (k, v)
        for k, v in request.form.items(multi=True)
        if k != "csrf_token" and "password" not in k
    ]


def replay_page(message: str, fields: list[tuple[str, str]], status: int) -> tuple[str, int]:
    """The posted form, kept whole, with a button to send it again (with a valid token)."""
    return (
        render_template(
            "replay.html",
            message=message,
            fields=fields,
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
    fields = kept_fields(current_user.id)
    if not fields:
        message = _("This page had expired, so nothing was saved. Reload it and try again.")
        return render_template("error.html", title=_("Nothing was saved"), message=message), 400
    return replay_page(
        _(
            "This page had expired, so nothing was saved yet. Nothing you typed is lost: "
            "send it again with the button below."
        ),
        fields,
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
