"""The scorecard of one submission: a preview page and a PDF download, from one template.

Who may see it: those who may read scorecards of the submission's country (its focal points;
reviewers and administrators for every country) and, once it is published, every signed-in
user. Others get the sign-in page, a 403, or (another country's unpublished scorecard) a 404.
"""

from __future__ import annotations

from flask import abort, current_app, g, request, send_from_directory, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import limiter
from app.i18n import LANGUAGES, current_language, language_name
from app.pdf import ASSET_FOLDER
from app.permissions import authorize_submission, may_read_scorecard, may_read_submission
from app.scorecards import operations
from app.scorecards.renderer import render_pool
from app.scorecards.rendering import PreviewLinks
from app.survey.models import Submission
from app.transactions import Mode, reading, transaction
from app.web import send_attachment

#: Renders (not cached downloads) per client address: a PDF costs a second or two of a core.
RENDERS_PER_ADDRESS = "30 per minute"

_STYLESHEETS = frozenset({"scorecard.css", "charts.css"})


def _load(submission_id: int) -> Submission:
    submission = operations.get_submission(submission_id)
    if submission is None:
        abort(404)
    authorize_submission(may_read_scorecard, submission)
    return submission


def preview(submission_id: int) -> ResponseReturnValue:
    submission = _load(submission_id)
    lang = request.args.get("lang") or current_language()
    if lang not in LANGUAGES:
        abort(404)
    return operations.preview_html(submission, lang, _links(submission, lang))


def _links(submission: Submission, lang: str) -> PreviewLinks:
    back = url_for("survey.overview", submission_id=submission.id)
    return PreviewLinks(
        stylesheets=(url_for("scorecards.asset", name="scorecard.css"),),
        pdf=url_for("scorecards.download_pdf", submission_id=submission.id, lang=lang),
        back=back if may_read_submission(current_user, submission) else None,
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
@transaction(Mode.NONE)  # a render takes seconds: no transaction or connection is held meanwhile
def download_pdf(submission_id: int, lang: str) -> ResponseReturnValue:
    """The cached PDF; rendered first when the submission changed since the last download."""
    pool = render_pool(current_app)
    with reading():
        submission = _load(submission_id)
        pdf = operations.prepare_pdf(submission, lang, read_data=pool is None)
        name = f"scorecard-{submission.campaign_id}-{submission.country.iso3}-{lang}.pdf"
    g.scorecard_rendered = pdf.needs_rendering
    if pdf.needs_rendering and pool is not None:
        return send_attachment(pool.render(submission_id, lang), name, "application/pdf")
    return send_attachment(pdf.file(), name, "application/pdf")


def asset(name: str) -> ResponseReturnValue:
    """The scorecard's stylesheets, for the browser preview (PDFs read them from disk)."""
    if name not in _STYLESHEETS:
        abort(404)
    return send_from_directory(ASSET_FOLDER, name, max_age=3600)
