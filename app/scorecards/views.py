"""The scorecard of one submission: a preview page and a PDF download, from one template.

Who may see it: those who may read scorecards of the submission's country (its focal points;
reviewers and administrators for every country) and, once it is published, every signed-in
user. Others get the sign-in page, a 403, or (another country's unpublished scorecard) a 404.
"""

from __future__ import annotations

from flask import abort, g, request, send_from_directory, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import limiter
from app.i18n import LANGUAGES, current_language, language_name
from app.pdf import ASSET_FOLDER
from app.permissions import Permission, authorize, has_permission, in_country_scope
from app.scorecards import operations
from app.scorecards.rendering import PreviewLinks
from app.survey.models import Submission, SubmissionStatus
from app.web import send_attachment

#: Renders (not cached downloads) per client address: a PDF costs a second or two of a core.
RENDERS_PER_ADDRESS = "30 per minute"

_STYLESHEETS = frozenset({"scorecard.css", "charts.css"})


def _load(submission_id: int) -> Submission:
    submission = operations.get_submission(submission_id)
    if submission is None:
        abort(404)
    if submission.status is SubmissionStatus.PUBLISHED:
        authorize(Permission.PUBLISHED_READ)
    else:
        authorize(Permission.SCORECARD_READ, submission.country_id)
    return submission


def preview(submission_id: int) -> ResponseReturnValue:
    submission = _load(submission_id)
    lang = request.args.get("lang") or current_language()
    if lang not in LANGUAGES:
        abort(404)
    return operations.preview_html(submission, lang, _links(submission, lang))


def _may_open_submission(submission: Submission) -> bool:
    user = current_user
    return has_permission(user, Permission.SUBMISSION_READ) and in_country_scope(
        user, submission.country_id
    )


def _links(submission: Submission, lang: str) -> PreviewLinks:
    back = url_for("survey.overview", submission_id=submission.id)
    return PreviewLinks(
        stylesheets=(url_for("scorecards.asset", name="scorecard.css"),),
        pdf=url_for("scorecards.download_pdf", submission_id=submission.id, lang=lang),
        back=back if _may_open_submission(submission) else None,
        languages=tuple(
            (
                code,
                language_name(code),
                url_for("scorecards.preview", submission_id=submission.id, lang=code),
            )
            for code in LANGUAGES
        ),
    )


def _rendered_now(_response: object) -> bool:
    return bool(g.get("scorecard_rendered", False))


@limiter.limit(RENDERS_PER_ADDRESS, deduct_when=_rendered_now)
def download_pdf(submission_id: int, lang: str) -> ResponseReturnValue:
    """The cached PDF; rendered first when the submission changed since the last download."""
    submission = _load(submission_id)
    path, g.scorecard_rendered = operations.pdf_file(submission, lang)
    name = f"scorecard-{submission.campaign_id}-{submission.country.iso3}-{lang}.pdf"
    return send_attachment(path, name, "application/pdf")


def asset(name: str) -> ResponseReturnValue:
    """The scorecard's stylesheets, for the browser preview (PDFs read them from disk)."""
    if name not in _STYLESHEETS:
        abort(404)
    return send_from_directory(ASSET_FOLDER, name, max_age=3600)
