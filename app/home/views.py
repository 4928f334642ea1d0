from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.home import operations
from app.i18n import LANGUAGES, SESSION_LANGUAGE_KEY


def index() -> ResponseReturnValue:
    """Signed-in users start at their questionnaires; everyone else sees what this is."""
    if current_user.is_authenticated:
        return redirect(url_for("survey.index"))
    return render_template("home/index.html")


def set_language() -> ResponseReturnValue:
    """The header's language menu: the choice holds for this session and, for a signed-in user,
    becomes the profile's language. Back to the page it was made on."""
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        abort(400)
    session[SESSION_LANGUAGE_KEY] = language
    if current_user.is_authenticated:
        operations.set_user_language(current_user, language)
    return redirect(_local_path(request.args.get("next")))


def _local_path(target: str | None) -> str:
    """Only a path on this site: the menu must not become an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")
