"""Accounts: creating users and checking credentials. Used by views, the CLI and demo data."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app import audit, db
from app.audit import AuditKind
from app.auth.models import Role, User
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.countries.models import Country
from app.db import utcnow

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
