from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from app.auth import operations
from app.auth.forms import SignInForm
from app.i18n import _
from app.web import transactional


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a link send people anywhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


@transactional
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            language = session.get("language")
            session.clear()  # a fresh session at sign-in: no fixation
            if language:
                session["language"] = language
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The e-mail address or the password is not right."), "error")
    return render_template("auth/sign_in.html", form=form)


def sign_out() -> ResponseReturnValue:
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("home.index"))
