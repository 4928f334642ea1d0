"""Who may do what: every access decision of the app is a named check in this module.

Views and operations ask these checks; nothing else decides. Deny by default: a permission not
granted in `ROLE_PERMISSIONS` is refused. Objects of another country answer 404, so a focal point
cannot even learn that they exist, and the attempt is written to the audit trail.

- Role permissions: `has_permission(user, Permission...)`.
- Country scope: `in_country_scope(user, country_id)`; as a query filter, `submissions_in_scope`.
- Submissions: `may_read_submission`, `may_answer` (who answers for a country),
  `may_edit_submission` (answers can change now), `may_submit`.
- Scorecards: `may_read_scorecard` (a draft's is its country's; a published one everyone's),
  `may_read_every_scorecard` (ZIPs that hold unpublished ones).
- Jobs: `may_view_job`, `may_see_job_errors`.
- At the edge of a view: `authorize` (a permission) and `authorize_submission` (a check on one
  submission), which answer the sign-in page, 403 or 404.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, NoReturn

from flask import abort, make_response, request
from flask_login import current_user
from sqlalchemy import ColumnElement, false, true

from app import audit
from app.audit import AuditKind
from app.auth.models import Role, User
from app.extensions import login_manager
from app.transactions import even_if_failed

if TYPE_CHECKING:
    from app.jobs.models import Job
    from app.survey.models import Submission


class Permission(StrEnum):
    """`<scope>:<resource>:<action>`."""

    SUBMISSION_READ = "survey:submission:read"
    SUBMISSION_EDIT = "survey:submission:edit"
    SUBMISSION_SUBMIT = "survey:submission:submit"
    SCORECARD_READ = "scorecards:submission:read"
    PUBLISHED_READ = "scorecards:published:read"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FOCAL_POINT: frozenset(Permission),
    Role.REVIEWER: frozenset(
        {Permission.SUBMISSION_READ, Permission.SCORECARD_READ, Permission.PUBLISHED_READ}
    ),
    # Administrators run the survey and see everything, but only a country answers for itself.
    Role.ADMIN: frozenset(Permission) - {Permission.SUBMISSION_EDIT, Permission.SUBMISSION_SUBMIT},
}

#: Roles that act for every country; a focal point acts for their own only.
_EVERY_COUNTRY = frozenset({Role.REVIEWER, Role.ADMIN})


def has_permission(user: User, permission: Permission) -> bool:
    return bool(user.is_active) and permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def in_country_scope(user: User, country_id: int) -> bool:
    """Focal points act for their own country only; reviewers and admins for every country."""
    if user.role is Role.FOCAL_POINT:
        return user.country_id == country_id
    return user.role in _EVERY_COUNTRY


def submissions_in_scope(user: User) -> ColumnElement[bool]:
    """A filter on `Submission`: those whose country the user may read."""
    from app.survey.models import Submission

    if not has_permission(user, Permission.SUBMISSION_READ):
        return false()
    if user.role is Role.FOCAL_POINT:
        return Submission.country_id == user.country_id
    return true()


# --- Submissions ---


def may_read_submission(user: User, submission: Submission) -> bool:
    return has_permission(user, Permission.SUBMISSION_READ) and in_country_scope(
        user, submission.country_id
    )


def may_answer(user: User, submission: Submission) -> bool:
    """Who answers for the submission's country: its own focal points. Whether the submission
    can still change is the survey's rule (`may_edit_submission`)."""
    return has_permission(user, Permission.SUBMISSION_EDIT) and in_country_scope(
        user, submission.country_id
    )


def may_edit_submission(user: User, submission: Submission) -> bool:
    """Answers and evidence can be changed now: by those who answer for the country, while the
    submission is a draft of an open campaign. Everyone else who may read it sees it read-only."""
    from app.survey.editing import is_editable

    return may_answer(user, submission) and is_editable(submission)


def may_submit(user: User, submission: Submission) -> bool:
    return has_permission(user, Permission.SUBMISSION_SUBMIT) and in_country_scope(
        user, submission.country_id
    )


# --- Scorecards and jobs ---


def may_read_scorecard(user: User, submission: Submission) -> bool:
    from app.survey.models import SubmissionStatus

    if submission.status is SubmissionStatus.PUBLISHED:
        return has_permission(user, Permission.PUBLISHED_READ)
    return has_permission(user, Permission.SCORECARD_READ) and in_country_scope(
        user, submission.country_id
    )


def may_read_every_scorecard(user: User) -> bool:
    """Unpublished scorecards of every country (a ZIP of them): reviewers and admins."""
    return has_permission(user, Permission.SCORECARD_READ) and user.role in _EVERY_COUNTRY


def may_view_job(user: User, job: Job) -> bool:
    """A ZIP of published scorecards is every signed-in user's; one with unpublished scorecards
    is for those who may read every country's."""
    if job.parameters.get("include_unpublished"):
        return may_read_every_scorecard(user)
    return has_permission(user, Permission.PUBLISHED_READ)


def may_see_job_errors(user: User) -> bool:
    """Why a job failed (an exception's text) is for administrators."""
    return user.role is Role.ADMIN


# --- At the edge of a view ---


def signed_in_user() -> User:
    """The signed-in user; the sign-in page for everyone else (coming back here afterwards, with
    what was sent, for a POST)."""
    if not current_user.is_authenticated:
        abort(make_response(login_manager.unauthorized()))
    user: User = current_user._get_current_object()
    return user


def authorize(permission: Permission, country_id: int | None = None) -> User:
    """The signed-in user if they hold `permission` (for `country_id`, when given); else abort:
    403 for a missing role permission, 404 (audited) for another country's data."""
    user = signed_in_user()
    if not has_permission(user, permission):
        abort(403)
    if country_id is not None and not in_country_scope(user, country_id):
        _refuse_out_of_scope(user.id, permission.value, country_id)
    return user


def authorize_submission(check: Callable[[User, Submission], bool], submission: Submission) -> User:
    """The signed-in user if `check` allows them this submission. Otherwise 404 (audited) when
    it is another country's, and 403 when its country is theirs but the check says no."""
    user = signed_in_user()
    if not check(user, submission):
        if not in_country_scope(user, submission.country_id):
            _refuse_out_of_scope(user.id, check.__name__, submission.country_id)
        abort(403)
    return user


def _refuse_out_of_scope(user_id: int, what: str, country_id: int) -> NoReturn:
    """404, and an entry in the trail: it must stay there although the request itself fails and
    rolls back, so it is written after it, in a transaction of its own."""
    meta = {"permission": what, "path": request.path, "method": request.method}
    even_if_failed(
        lambda: audit.record(
            "permissions",
            "Access to another country's data refused",
            kind=AuditKind.SECURITY,
            user_id=user_id,
            country_id=country_id,
            meta=meta,
        )
    )
    abort(404)
