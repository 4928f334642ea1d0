from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from app.auth import operations
from app.auth.forms import SignInForm
from app.auth.models import User
from app.i18n import _
from app.web import replay_fields, transactional


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a link send people anywhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


@transactional
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            _start_session(user)
            if form.replay.data:
                return _replay_after_sign_in(form)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The e-mail address or the password is not right."), "error")
    return render_template("auth/sign_in.html", form=form)


def _start_session(user: User) -> None:
    language = session.get("language")
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    # Flask-WTF caches this request's token in g; it belonged to the old session.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    if language:
        session["language"] = language
    login_user(user)


def _replay_after_sign_in(form: SignInForm) -> ResponseReturnValue:
    """Back from an expired session: offer to send the kept form again, now signed in."""
    try:
        fields = [(str(k), str(v)) for k, v in json.loads(form.replay.data or "[]")]
    except (ValueError, TypeError):
        fields = []
    return render_template(
        "replay.html",
        message=_(
            "You are signed in again. Your answers were kept: send them with the button below."
        ),
        fields=fields,
        action=_safe_next(form.replay_to.data),
        had_files=False,
    )


def unauthorized() -> ResponseReturnValue:
    """Signed out: pages redirect to sign-in; a form sent while signed out is kept for later."""
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(error="signed_out", message=_("You are signed out. Sign in again.")), 401
    if request.method != "POST":
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    form = SignInForm(formdata=None)
    form.replay.data = json.dumps(replay_fields())
    form.replay_to.data = request.full_path.rstrip("?")
    flash(
        _("Your session has ended. Sign in again: what you sent is kept and can be sent again."),
        "error",
    )
    return render_template("auth/sign_in.html", form=form), 401


def sign_out() -> ResponseReturnValue:
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("home.index"))
