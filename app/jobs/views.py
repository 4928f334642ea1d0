"""Pages for background jobs: ask for a ZIP of scorecards, follow its progress, download it.

Who may ask: every signed-in user for published scorecards (they may download each of them
anyway); reviewers and administrators also for every answered submission, drafts included.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app import db
from app.auth.models import User
from app.campaigns.models import Campaign
from app.extensions import limiter
from app.i18n import _, current_language
from app.jobs import bulk, operations, queries
from app.jobs.forms import BulkScorecardsForm
from app.jobs.models import ACTIVE_STATUSES, Job, JobStatus
from app.permissions import (
    Permission,
    authorize,
    may_read_every_scorecard,
    may_see_job_errors,
    may_view_job,
)
from app.transactions import Mode, transaction
from app.web import send_attachment

#: Asking for a ZIP may start the rendering of every country's scorecard: a few times a minute
#: is plenty for a person (asking again for one under way costs nothing but still counts).
CREATE_LIMIT = "5 per minute;30 per hour"


def _limit_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return get_remote_address()


def _form(user: User, **kwargs: Any) -> BulkScorecardsForm:
    return BulkScorecardsForm(
        campaigns=queries.campaign_choices(),
        allow_unpublished=may_read_every_scorecard(user),
        **kwargs,
    )


def _form_page(user: User, form: BulkScorecardsForm, status: int = 200) -> tuple[str, int]:
    body = render_template("jobs/bulk_form.html", form=form, jobs=queries.recent_jobs(user))
    return body, status


@transaction(Mode.WRITE)  # fails jobs whose worker died, so none looks alive
def new_bulk() -> ResponseReturnValue:
    user = authorize(Permission.PUBLISHED_READ)
    operations.fail_stale_jobs()
    return _form_page(user, _form(user, data={"language": current_language()}))


@limiter.limit(CREATE_LIMIT, key_func=_limit_key)
def create_bulk() -> ResponseReturnValue:
    user = authorize(Permission.PUBLISHED_READ)
    form = _form(user)
    if not form.validate_on_submit():
        return _form_page(user, form, 422)
    campaign = db.session.get(Campaign, form.campaign.data)
    if campaign is None:  # pragma: no cover - the choices are existing campaigns
        abort(404)
    include = bool(getattr(form, "include_unpublished", None) and form.include_unpublished.data)
    try:
        job, created = bulk.request_bulk_scorecards(
            campaign, form.language.data or "", include_unpublished=include, user=user
        )
    except bulk.NothingToRenderError:
        flash(_("This campaign has no scorecard to download yet."), "error")
        return _form_page(user, form, 422)
    if created:
        flash(_("The scorecards are being prepared. This page shows how far it got."), "success")
    else:
        flash(_("These scorecards were already being prepared: here is how far it got."), "info")
    return redirect(url_for("jobs.job", job_id=job.id))


def _load(job_id: int, *, fail_stale: bool = True) -> tuple[Job, User]:
    """The job, if this user may see it; stale jobs are failed first, so none looks alive."""
    user = authorize(Permission.PUBLISHED_READ)
    if fail_stale:
        operations.fail_stale_jobs()
    job = operations.get_job(job_id)
    if job is None:
        abort(404)
    if not may_view_job(user, job):
        abort(403)
    return job, user


@transaction(Mode.WRITE)  # as new_bulk
def job(job_id: int) -> ResponseReturnValue:
    job, user = _load(job_id)
    return render_template(
        "jobs/job.html",
        job=job,
        campaign=db.session.get(Campaign, job.parameters.get("campaign_id")),
        message=status_message(job),
        has_file=operations.result_file(job) is not None,
        show_error=may_see_job_errors(user),
        left_out=queries.left_out_countries(job),
    )


def job_status(job_id: int) -> ResponseReturnValue:
    """What the progress bar polls every second: small, never cached, and read-only, so polls
    never queue for the database's write lock. A job gone stale shows as failed here; the page
    the script then reloads records it."""
    job, _user = _load(job_id, fail_stale=False)
    status = JobStatus.FAILED if operations.is_stale(job) else job.status
    has_file = status is JobStatus.DONE and operations.result_file(job) is not None
    response = jsonify(
        id=job.id,
        status=status.value,
        active=status in ACTIVE_STATUSES,
        done=min(job.progress_done, job.progress_total),
        total=job.progress_total,
        percent=job.percent,
        message=status_message(job, status),
        download_url=url_for("jobs.download", job_id=job.id) if has_file else None,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def download(job_id: int) -> ResponseReturnValue:
    job, _user = _load(job_id)
    path = operations.result_file(job) if job.status is JobStatus.DONE else None
    if path is None:
        abort(404)
    return send_attachment(path, path.name, "application/zip")


def status_message(job: Job, status: JobStatus | None = None) -> str:
    status = status or job.status
    done, total = min(job.progress_done, job.progress_total), job.progress_total
    if status is JobStatus.QUEUED:
        return _("Waiting for a free worker…")
    if status is JobStatus.RUNNING:
        return _("%(done)s of %(total)s scorecards ready", done=done, total=total)
    if status is JobStatus.DONE:
        if job.result_path is None:
            return _("This file was replaced by a newer one. Ask for the scorecards again.")
        left_out = len(job.parameters.get("left_out", ()))
        if left_out:
            return _(
                "Ready: %(done)s of %(total)s scorecards in one ZIP file; the others could not "
                "be prepared.",
                done=total - left_out,
                total=total,
            )
        return _("Ready: %(total)s scorecards in one ZIP file.", total=total)
    return _("The scorecards could not be prepared. Ask for them again in a moment.")


def rate_limited(_error: RateLimitExceeded) -> ResponseReturnValue:
    """429 with the form as it was sent, and a message in the user's language."""
    if not current_user.is_authenticated:
        return make_response(_("Too many requests. Please wait a minute."), 429)
    user: User = current_user._get_current_object()
    flash(_("You asked for scorecards several times in a row. Please wait a minute."), "error")
    body, _status = _form_page(user, _form(user))
    response = make_response(body, 429)
    response.headers["Retry-After"] = "60"
    return response


def status_label(status: str) -> str:
    labels = {
        JobStatus.QUEUED: _("Waiting"),
        JobStatus.RUNNING: _("In progress"),
        JobStatus.DONE: _("Ready"),
        JobStatus.FAILED: _("Failed"),
    }
    return labels.get(JobStatus(status), status)
