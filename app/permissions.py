"""Who may do what: one table of role permissions and one country-scope check.

Deny by default: a permission not granted here is refused. Objects of another country answer 404,
so a focal point cannot even learn that they exist, and the attempt is written to the audit trail.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum
from typing import ParamSpec, TypeVar

from flask import abort, make_response, request
from flask_login import current_user

from app import audit, db
from app.audit import AuditKind
from app.auth.models import Role, User
from app.extensions import login_manager

P = ParamSpec("P")
R = TypeVar("R")


class Permission(StrEnum):
    """`<scope>:<resource>:<action>`."""

    SUBMISSION_READ = "survey:submission:read"
    SUBMISSION_EDIT = "survey:submission:edit"
    SUBMISSION_SUBMIT = "survey:submission:submit"
    REVIEW_COMMENT = "review:submission:comment"
    REVIEW_DECIDE = "review:submission:decide"
    SCORECARD_READ = "scorecards:submission:read"
    PUBLISHED_READ = "scorecards:published:read"
    USERS_MANAGE = "admin:users:manage"
    CAMPAIGNS_MANAGE = "admin:campaigns:manage"
    AUDIT_READ = "admin:audit:read"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FOCAL_POINT: frozenset(
        {
            Permission.SUBMISSION_READ,
            Permission.SUBMISSION_EDIT,
            Permission.SUBMISSION_SUBMIT,
            Permission.REVIEW_COMMENT,  # focal points answer reviewers' comments
            Permission.SCORECARD_READ,
            Permission.PUBLISHED_READ,
        }
    ),
    Role.REVIEWER: frozenset(
        {
            Permission.SUBMISSION_READ,
            Permission.REVIEW_COMMENT,
            Permission.REVIEW_DECIDE,
            Permission.SCORECARD_READ,
            Permission.PUBLISHED_READ,
        }
    ),
    # Administrators run the survey and see everything, but only a country answers for itself.
    Role.ADMIN: frozenset(Permission) - {Permission.SUBMISSION_EDIT, Permission.SUBMISSION_SUBMIT},
}


def has_permission(user: User, permission: Permission) -> bool:
    return user.is_active and permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def in_country_scope(user: User, country_id: int) -> bool:
    """Focal points act for their own country only; reviewers and admins for every country."""
    if user.role is Role.FOCAL_POINT:
        return user.country_id == country_id
    return user.role in (Role.REVIEWER, Role.ADMIN)


def authorize(permission: Permission, country_id: int | None = None) -> User:
    """The signed-in user if they hold `permission` (for `country_id`, when given); else abort.

    Signed-out users are sent to sign in; missing role permissions
    answer 403; another country's data answers 404 and is audited.
    """
    if not current_user.is_authenticated:
        # The sign-in page, coming back here afterwards (with what was sent, for a POST).
        abort(make_response(login_manager.unauthorized()))
    user: User = current_user._get_current_object()
    if not has_permission(user, permission):
        abort(403)
    if country_id is not None and not in_country_scope(user, country_id):
        _record_refusal(user.id, permission, country_id)
        abort(404)
    return user


def _record_refusal(user_id: int, permission: Permission, country_id: int) -> None:
    """Write the refusal to the trail and commit it: it must stay there although the request
    itself fails and rolls back. A read-only page view ends its reading first, so the entry is
    written in a transaction that may write (see `db.reads_only`)."""
    from app.web import commit, rollback

    if db.is_read_only():
        rollback()
        db.allow_writes()
    audit.record(
        "permissions",
        "Access to another country's data refused",
        kind=AuditKind.SECURITY,
        user_id=user_id,
        country_id=country_id,
        meta={"permission": permission.value, "path": request.path, "method": request.method},
    )
    commit()


def require(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A view decorator for permissions that do not depend on an object."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            authorize(permission)
            return view(*args, **kwargs)

        return wrapper

    return decorator
