"""Accounts: creating users, checking credentials, password resets and invitations.

Used by views, the CLI and demo data. Each function flushes and writes the audit trail; the caller's
transaction commits (and only then is any e-mail sent).
"""

from __future__ import annotations

import logging

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from app import audit, db
from app.audit import AuditKind
from app.auth import sessions
from app.auth.emails import send_invitation_email, send_password_reset_email
from app.auth.models import Role, User
from app.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from app.auth.tokens import TokenPurpose, make_token
from app.countries.models import Country
from app.db import utcnow
from app.i18n import force_locale

logger = logging.getLogger(__name__)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    email: str,
    password: str | None,
    role: Role,
    *,
    name: str = "",
    country: Country | None = None,
    password_hash: str | None = None,
) -> User:
    user = User(
        email=normalize_email(email),
        name=name,
        role=role,
        country=country,
        password_hash=password_hash or (hash_password(password) if password else None),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "auth",
        f"User {user.email} created as {role.value}",
        kind=AuditKind.POSITIVE,
        user_id=user.id,
        country_id=country.id if country else None,
    )
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; every attempt is in the audit trail."""
    user = get_user_by_email(email)
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        audit.record(
            "auth",
            "Failed sign-in",
            kind=AuditKind.SECURITY,
            user_id=user.id if user else None,
            meta={"email": normalize_email(email)[:254]},
        )
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_dt = utcnow()
    audit.record("auth", "Signed in", kind=AuditKind.SECURITY, user_id=user.id)
    return user


class AccountError(ValueError):
    """An account operation was refused; the message says why (in English, for the CLI)."""


def _ensure_acceptable_password(password: str, email: str) -> None:
    # Forms and the CLI check first and explain; this guards every other caller.
    problem = password_problem(password, email)
    if problem is not None:
        with force_locale("en"):
            raise AccountError(f"password refused: {problem}")


def _set_password(user: User, password: str) -> None:
    """A new argon2 hash; every session of the user ends. The credentials fingerprint changes
    with it too, which voids every reset or invitation link sent before."""
    _ensure_acceptable_password(password, user.email)
    user.password_hash = hash_password(password)
    if user.id is not None:  # an account being made has no session yet
        sessions.end_sessions_of(user.id)


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account uses `email`; otherwise only note the attempt.

    The caller answers the same way in both cases, so nobody learns which addresses have accounts.
    """
    user = get_user_by_email(email)
    if user is None or not user.is_active:
        audit.record(
            "auth",
            "Password reset requested for an unknown or inactive address",
            kind=AuditKind.SECURITY,
            user_id=user.id if user else None,
            meta={"email": normalize_email(email)[:254]},
        )
        return
    send_password_reset_email(user, make_token(user, TokenPurpose.PASSWORD_RESET))
    audit.record("auth", "Password reset requested", kind=AuditKind.SECURITY, user_id=user.id)
    logger.info("Password reset link sent to user %s", user.id)


def reset_password(user: User, password: str) -> User:
    """Set the password chosen through a reset link (read with `tokens.read_token`)."""
    _set_password(user, password)
    db.session.flush()
    audit.record(
        "auth", "Password changed", kind=AuditKind.SECURITY, user_id=user.id, meta={"via": "reset"}
    )
    logger.info("Password of user %s changed through a reset link", user.id)
    return user


def deactivate_user(user: User, by: User | None) -> User:
    """The account can no longer sign in, and every session it has ends now."""
    user.is_active = False
    sessions.end_sessions_of(user.id)
    db.session.flush()
    audit.record(
        "auth",
        "Account deactivated",
        kind=AuditKind.SECURITY,
        user_id=by.id if by is not None else None,
        meta={"account": user.id},
    )
    logger.info("User %s deactivated", user.id)
    return user


def validate_invitation(email: str, role: Role, country: Country | None) -> str:
    """The normalized address if `email` may be invited with `role` and `country`."""
    try:
        address = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise AccountError(f"{email!r} is not a valid e-mail address: {exc}") from exc
    if role is Role.FOCAL_POINT and country is None:
        raise AccountError("a focal point needs a country")
    if role is not Role.FOCAL_POINT and country is not None:
        raise AccountError(f"only focal points have a country, not the role {role.value}")
    existing = get_user_by_email(address)
    if existing is not None and existing.password_hash is not None:
        raise AccountError(f"{normalize_email(address)} already has an account")
    return normalize_email(address)


def invite_user(
    email: str,
    role: Role,
    country: Country | None,
    inviter: User | None,
    *,
    locale: str | None = None,
) -> User:
    """Create the account without a password and mail a link to choose one (7 days).

    Inviting an address again whose invitation is still open updates its role and country and
    sends a fresh link. `inviter` is None from the command line.
    """
    address = validate_invitation(email, role, country)
    user = get_user_by_email(address)
    if user is None:
        user = create_user(address, None, role, country=country)
    else:
        user.role, user.country, user.is_active = role, country, True
    if locale is not None:
        user.locale = locale
    db.session.flush()
    send_invitation_email(user, make_token(user, TokenPurpose.INVITATION), inviter)
    audit.record(
        "auth",
        f"Invitation sent to {user.email} as {role.value}",
        kind=AuditKind.SECURITY,
        user_id=user.id,
        country_id=country.id if country else None,
        meta={"invited_by": inviter.id if inviter else None, "role": role.value},
    )
    logger.info("User %s invited as %s", user.id, role.value)
    return user


def accept_invitation(user: User, name: str, password: str) -> User:
    """The invited person's name and first password (the link was read with `read_token`)."""
    user.name = name
    _set_password(user, password)
    user.last_login_dt = utcnow()
    db.session.flush()
    audit.record("auth", "Invitation accepted", kind=AuditKind.SECURITY, user_id=user.id)
    logger.info("User %s accepted their invitation", user.id)
    return user


def create_admin(email: str, password: str) -> User:
    """An administrator with a password, for the first account of an installation (CLI)."""
    if get_user_by_email(email) is not None:
        raise AccountError(f"{normalize_email(email)} already has an account")
    _ensure_acceptable_password(password, normalize_email(email))
    return create_user(email, password, Role.ADMIN)


def record_rate_limit(endpoint: str, limit: str, email: str) -> None:
    """Note that a client went over a rate limit (the typed address, if any, is kept)."""
    user = get_user_by_email(email) if email else None
    audit.record(
        "auth",
        "Rate limit hit",
        kind=AuditKind.SECURITY,
        user_id=user.id if user else None,
        meta={"endpoint": endpoint, "limit": limit, "email": normalize_email(email)[:254]},
    )
