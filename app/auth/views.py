from __future__ import annotations

import json
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import validate_csrf
from limits import parse
from wtforms import ValidationError

from app.auth import operations, sessions
from app.auth.forms import AcceptInvitationForm, ForgotPasswordForm, SetPasswordForm, SignInForm
from app.auth.models import User
from app.auth.tokens import LIFETIMES, TokenPurpose, read_token
from app.extensions import csrf, limiter
from app.forms import AppForm
from app.i18n import _
from app.transactions import even_if_failed
from app.web import PAGE_OWNER_FIELD, kept_fields, owner_of

#: Rate limits on POST (GET is free). Per client address, and per typed e-mail address so that
#: many addresses cannot be used to try one account's password.
SIGN_IN_PER_ADDRESS = "10 per minute;50 per hour"
SIGN_IN_PER_EMAIL = "5 per minute"
RESET_REQUEST_PER_ADDRESS = "5 per minute;20 per hour"
RESET_REQUEST_PER_EMAIL = "3 per hour"  # nobody needs more links; nobody gets mail-bombed
LINK_FORM_PER_ADDRESS = "10 per minute"  # each try hashes a password

#: A client keeping over a limit leaves one audit entry per limit and minute, not one per try.
_AUDIT_BREACHES = parse("1 per minute")


def _typed_email() -> str:
    return "email:" + operations.normalize_email(request.form.get("email", ""))[:254]


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a link send people anywhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


@limiter.limit(SIGN_IN_PER_ADDRESS, methods=["POST"])
@limiter.limit(SIGN_IN_PER_EMAIL, methods=["POST"], key_func=_typed_email)
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            _start_session(user)
            if form.replay.data:
                return _replay_after_sign_in(form, user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The e-mail address or the password is not right."), "error")
    return render_template("auth/sign_in.html", form=form)


def _start_session(user: User) -> None:
    language = session.get("language")
    sessions.renew()  # a fresh session at sign-in, under a new id: nothing carried over
    g.pop("csrf_token", None)  # its secret left with the old session: pages need a new one
    if language:
        session["language"] = language
    login_user(user)


def _replay_after_sign_in(form: SignInForm, user: User) -> ResponseReturnValue:
    """Back from an expired session: offer to send the kept form again, now signed in, when it
    came from a page of this very user (never what someone else's page or site sent)."""
    try:
        fields = [(str(k), str(v)) for k, v in json.loads(form.replay.data or "[]")]
    except (ValueError, TypeError):
        fields = []
    marks = [value for name, value in fields if name == PAGE_OWNER_FIELD]
    if len(marks) != 1 or owner_of(marks[0]) != user.id:
        return redirect(_safe_next(request.args.get("next")))
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
    fields = kept_fields(None)
    if fields:
        form.replay.data = json.dumps(fields)
        form.replay_to.data = request.full_path.rstrip("?")
        message = _(
            "Your session has ended. Sign in again: what you sent is kept and can be sent again."
        )
    else:
        message = _("Your session has ended. Sign in again.")
    flash(message, "error")
    return render_template(
        "auth/sign_in.html", form=form, next_url=request.full_path.rstrip("?")
    ), 401


@csrf.exempt  # checked below, accepting a token of any age
def sign_out() -> ResponseReturnValue:
    """Ends the session for good. A page left open for longer than its token lives can still
    sign out: the token must belong to this session, however old it is."""
    if current_user.is_authenticated and not _token_of_this_session():
        # Not sent by a page of this session (a cross-site request): nothing happens.
        flash(_("You are still signed in: use the Sign out button of this site."), "error")
        return redirect(url_for("home.index"))
    logout_user()
    sessions.end()
    flash(_("You have signed out."), "info")
    return redirect(url_for("home.index"))


#: Long enough for any page: the token must still belong to this session, which ends by itself.
_ANY_AGE = 10 * 365 * 24 * 3600


def _token_of_this_session() -> bool:
    if not current_app.config["WTF_CSRF_ENABLED"]:
        return True
    try:
        validate_csrf(request.form.get("csrf_token", ""), time_limit=_ANY_AGE)
    except ValidationError:
        return False
    return True


@limiter.limit(RESET_REQUEST_PER_ADDRESS, methods=["POST"])
@limiter.limit(RESET_REQUEST_PER_EMAIL, methods=["POST"], key_func=_typed_email)
def forgot_password() -> ResponseReturnValue:
    """The same answer whether or not the address has an account, so none can be discovered."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        operations.request_password_reset(form.email.data or "")
        lifetime = format_timedelta(LIFETIMES[TokenPurpose.PASSWORD_RESET], threshold=1)
        flash(
            _(
                "If an account uses this address, a link to choose a new password is on its way."
                " It works once, for %(lifetime)s.",
                lifetime=lifetime,
            ),
            "info",
        )
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/forgot_password.html", form=form)


@limiter.limit(LINK_FORM_PER_ADDRESS, methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    user = read_token(token, TokenPurpose.PASSWORD_RESET)
    if user is None:
        return _link_not_valid()
    form = SetPasswordForm(email=user.email)
    if form.validate_on_submit():
        operations.reset_password(user, form.password.data or "")
        _start_session(user)  # after the change: the session carries the new fingerprint
        flash(_("Your password has been changed. Other sessions have been signed out."), "info")
        return redirect(url_for("home.index"))
    return _private(render_template("auth/reset_password.html", form=form, user=user))


@limiter.limit(LINK_FORM_PER_ADDRESS, methods=["POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    user = read_token(token, TokenPurpose.INVITATION)
    if user is None:
        return _link_not_valid()
    form = AcceptInvitationForm(email=user.email, data={"name": user.name})
    if form.validate_on_submit():
        operations.accept_invitation(user, form.name.data or "", form.password.data or "")
        _start_session(user)
        flash(_("Welcome! Your account is ready and you are signed in."), "info")
        return redirect(url_for("home.index"))
    return _private(render_template("auth/accept_invitation.html", form=form, user=user))


def _link_not_valid() -> ResponseReturnValue:
    return _private(render_template("auth/link_not_valid.html"), 400)


def _private(body: str, status: int = 200) -> ResponseReturnValue:
    """Pages reached through a secret link: not cached, and the link is not passed on."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


#: The form to show again, with what was typed, when a limit is hit on these pages.
_RATE_LIMITED_FORMS: dict[str, type[AppForm]] = {
    "auth.sign_in": SignInForm,
    "auth.forgot_password": ForgotPasswordForm,
}


def rate_limited(error: RateLimitExceeded) -> ResponseReturnValue:
    """429 in the user's language, with the typed e-mail address (never the password) kept."""
    wait = _seconds_to_wait()
    if _first_breach_in_window():
        # The request itself fails (429) and rolls back; the trail keeps the entry.
        endpoint, limit = request.endpoint or "", str(error.limit.limit)
        email = request.form.get("email", "")
        even_if_failed(lambda: operations.record_rate_limit(endpoint, limit, email))
    form_class = _RATE_LIMITED_FORMS.get(request.endpoint or "")
    form = None
    if form_class is not None:
        kept = {k: v for k, v in request.form.items() if k not in ("password", "csrf_token")}
        form = form_class(formdata=None, data=kept)
    body = render_template(
        "auth/rate_limited.html",
        form=form,
        action=request.full_path.rstrip("?"),
        wait=format_timedelta(timedelta(seconds=wait), threshold=1),
    )
    response = make_response(body, 429)
    response.headers["Retry-After"] = str(wait)
    return response


def _seconds_to_wait() -> int:
    breached = limiter.current_limit
    if breached is None:
        return 60
    # Storages round the window's reset time up to the next second; never promise
    # a wait longer than the window itself.
    window = breached.limit.get_expiry()
    return min(window, max(1, breached.reset_at - int(time.time())))


def _first_breach_in_window() -> bool:
    breached = limiter.current_limit
    if breached is None:
        return True
    return bool(limiter.limiter.hit(_AUDIT_BREACHES, "audited-breach", breached.key))
