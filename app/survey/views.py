"""Focal points' pages: the submission overview, a page per section, autosave, evidence, submit."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, BinaryIO, cast

from flask import (
    abort,
    current_app,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import FileStorage
from werkzeug.local import LocalProxy

from app.auth.models import User
from app.db import parse_integer
from app.i18n import _, _l, current_language
from app.permissions import (
    Permission,
    authorize,
    authorize_submission,
    may_answer,
    may_edit_submission,
    may_read_submission,
    may_submit,
)
from app.survey import operations, queries
from app.survey.forms import SectionForm, form_data_for, section_form_class
from app.survey.fragments import QuestionBlocks, question_cache
from app.survey.models import Answer, Evidence, Submission
from app.survey.operations import (
    Conflict,
    ConflictError,
    NotEditableError,
    SubmissionIncompleteError,
)
from app.survey.progress import progress_of, section_scope, visible_ids
from app.survey.storage import UploadRejectedError
from app.transactions import Mode, begin_writing, transaction
from app.web import send_attachment
from questionnaires.answers import AnswerValue, is_http_url
from questionnaires.schema import Definition, Question, Section
from questionnaires.types.base import MAX_URL_LENGTH


def _load(submission_id: int, check: Callable[[User, Submission], bool]) -> tuple[Submission, User]:
    submission = queries.get_submission(submission_id)
    if submission is None:
        abort(404)
    return submission, authorize_submission(check, submission)


def _section(definition: Definition, section_id: str) -> Section:
    section = next((s for s in definition.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    return section


def _form_class(
    submission: Submission,
    definition: Definition,
    section: Section,
    only: frozenset[str] | None = None,
) -> type[SectionForm]:
    digest = submission.campaign.definition_hash
    return section_form_class(definition, digest, section, current_language(), only)


def index() -> ResponseReturnValue:
    user = authorize(Permission.SUBMISSION_READ)
    rows = queries.submission_rows(user)
    definitions = {r["submission"].campaign_id: r["definition"] for r in rows}
    return render_template("survey/index.html", rows=rows, definitions=definitions)


def overview(submission_id: int) -> ResponseReturnValue:
    submission, user = _load(submission_id, may_read_submission)
    return render_template("survey/overview.html", **queries.overview_context(submission, user))


@dataclass
class _Page:
    """One section of one submission, as the section views work on it."""

    submission: Submission
    user: User
    definition: Definition
    section: Section
    form_class: type[SectionForm]
    answers: Mapping[str, Any]

    @classmethod
    def load(cls, submission: Submission, user: User, section_id: str, *, saving: bool) -> _Page:
        """The section's page; with `saving`, its answers as rows that can be changed."""
        definition = queries.definition_of(submission)
        current = _section(definition, section_id)
        form_class = _form_class(submission, definition, current)
        answers: Mapping[str, Any]
        if saving:
            answers = queries.load_answers(submission)
        else:
            answers = queries.read_answers(
                submission,
                section_scope(definition, current),
                evidence_of=[q.id for q in form_class.questions],
            )
        return cls(submission, user, definition, current, form_class, answers)

    def render(
        self,
        form: SectionForm,
        values: Mapping[str, AnswerValue | None],
        *,
        conflicts: list[Conflict] | None = None,
        status: int = 200,
    ) -> ResponseReturnValue:
        stored = {k: v for k, v in values.items() if v is not None}
        context = queries.section_context(
            self.submission, self.definition, self.section, self.answers, stored
        )
        conflicts = conflicts or []
        editable = may_edit_submission(self.user, self.submission)
        html = render_template(
            "survey/section.html",
            form=form,
            question_blocks=self.question_blocks(context, editable),
            conflicts={c.question_id: c for c in conflicts},
            versions=self.versions(conflicts),
            editable=editable,
            answers_for_country=may_answer(self.user, self.submission),
            **context,
        )
        return html, status

    def question_blocks(self, context: Mapping[str, Any], editable: bool) -> QuestionBlocks:
        """Blocks of the stored answers come from the cache; a page sent back shows what was
        typed (and any errors or conflicts), so it renders every block."""
        cache = question_cache() if request.method == "GET" else None
        page_key = (
            self.submission.campaign.definition_hash,
            current_language(),
            editable,
            self.submission.id,
        )
        return QuestionBlocks(
            cache, page_key, self.answers, context["evidence"], context["visible"]
        )

    def versions(self, conflicts: list[Conflict]) -> dict[str, int]:
        """The versions the page stands on: stored ones when freshly loaded; when a sent page
        comes back, the ones it was built from, or the other person's after a conflict, so
        saving it again is a choice made knowing their answer."""
        if request.method == "GET":
            return {qid: row.version for qid, row in self.answers.items()}
        versions = _base_versions(self.form_class.questions)
        versions.update({c.question_id: c.their_version for c in conflicts})
        return versions


def section(submission_id: int, section_id: str) -> ResponseReturnValue:
    submission, user = _load(submission_id, may_read_submission)
    page = _Page.load(submission, user, section_id, saving=request.method == "POST")
    values = queries.answer_values(page.definition, page.answers)
    if request.method == "GET":
        # Built when a question block is rendered, not when every block comes from the cache.
        form = LocalProxy(
            functools.cache(
                lambda: page.form_class(
                    formdata=None, data=form_data_for(values, page.form_class.questions)
                )
            )
        )
        return page.render(cast(SectionForm, form), values)
    authorize_submission(may_answer, submission)
    return _save_section(page, user)


def _save_section(page: _Page, user: User) -> ResponseReturnValue:
    form = page.form_class()
    fields_ok = form.validate_questions()
    posted = form.answer_values()
    if not fields_ok or any(form[q.id].errors for q in form.questions):
        flash(_("Nothing was saved: please correct the answers marked below."), "error")
        return page.render(form, posted, status=422)
    try:
        versions = _base_versions(form.questions)
        mine = {q: v for q, v in posted.items() if f"take_theirs:{q}" not in request.form}
        answers = cast(dict[str, Answer], page.answers)  # rows: loaded for saving
        operations.save_answers(page.submission, mine, versions, user, answers=answers)
        _apply_evidence_actions(page.submission, form.questions, user)
    except ConflictError as exc:
        flash(
            _(
                "Someone else changed some of these answers while you were editing. "
                "Nothing was saved: choose which answer to keep below."
            ),
            "error",
        )
        return page.render(form, posted, conflicts=exc.conflicts, status=409)
    except NotEditableError:
        flash(_("This submission can no longer be changed. Your answers were not saved."), "error")
        return page.render(form, posted, status=409)
    except EvidenceProblemError as problem:
        flash(problem.message, "error")
        return page.render(form, posted, status=422)
    flash(_("Saved."), "success")
    return redirect(
        url_for("survey.section", submission_id=page.submission.id, section_id=page.section.id)
    )


def _base_versions(questions: tuple[Question, ...]) -> dict[str, int]:
    """The answer versions the page was built from, sent back in hidden `v:` fields."""
    versions = {}
    for question in questions:
        raw = request.form.get(f"v:{question.id}", "0")
        versions[question.id] = parse_integer(raw) or 0
    return versions


class EvidenceProblemError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


_UPLOAD_MESSAGES = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is larger than the limit of %(limit)s MB."),
    "type": _l("This type of file is not accepted. Send PDF, images, office documents or text."),
}


def _apply_evidence_actions(
    submission: Submission, questions: tuple[Question, ...], user: User
) -> None:
    """Files, links and removals sent with the page, saved in the same transaction."""
    for question in questions:
        upload: FileStorage | None = request.files.get(f"file:{question.id}")
        if upload is not None and upload.filename:
            _add_file(submission, question, upload, user)
        link = request.form.get(f"link:{question.id}", "").strip()
        if link:
            if len(link) > MAX_URL_LENGTH:
                raise EvidenceProblemError(
                    _("The link is too long: at most %(limit)s characters.", limit=MAX_URL_LENGTH)
                )
            if not is_http_url(link):
                raise EvidenceProblemError(
                    _("The link must be a full web address starting with http:// or https://.")
                )
            operations.add_link(submission, question, link, user)
    for evidence_id in request.form.getlist("remove_evidence"):
        operations.remove_evidence(submission, _evidence_of(submission, evidence_id), user)


def _add_file(submission: Submission, question: Question, upload: FileStorage, user: User) -> None:
    try:
        stream = cast(BinaryIO, upload.stream)
        operations.add_file(submission, question, stream, upload.filename or "", user)
    except UploadRejectedError as exc:
        limit = current_app.config["MAX_UPLOAD_SIZE"] // (1024 * 1024)
        reason = str(_UPLOAD_MESSAGES[exc.reason]) % {"limit": limit}
        raise EvidenceProblemError(
            f"{upload.filename}: {reason} "
            + _("Nothing was saved; your answers are still in the form.")
        ) from exc


def _evidence_of(submission: Submission, evidence_id: str | int) -> Evidence:
    number = parse_integer(str(evidence_id))
    if number is None:
        abort(404)
    evidence = queries.get_evidence(submission, number)
    if evidence is None:
        abort(404)
    return evidence


@transaction(Mode.READ_THEN_WRITE)
def autosave(submission_id: int, section_id: str) -> ResponseReturnValue:
    """Save the answers of the fields sent (one question, usually) and say when, as JSON.

    Two transactions (`Mode.READ_THEN_WRITE`). The first only reads: who asks, for which
    section, whether what was sent is valid, the answers. The second saves: it reads again what
    the save checks (is the submission still editable, did someone change these answers
    meanwhile). On SQLite a writer holds the database's one write lock from its first query to
    its commit; holding it for the save alone lets other requests work meanwhile.
    The progress in the reply counts the other answers as the first transaction read them (as
    plain rows: only the answers sent are loaded to be changed).
    """
    submission, user = _load(submission_id, may_answer)
    definition = queries.definition_of(submission)
    section = _section(definition, section_id)
    sent = frozenset(q.id for q in section.questions() if f"v:{q.id}" in request.form)
    if not sent:
        return jsonify(error="nothing_to_save", message=_("No answer was sent.")), 400
    # Only the fields sent; the request's CSRF token was checked before the view was called.
    form_class = _form_class(submission, definition, section, only=sent)
    form = form_class(meta={"csrf": False})
    form.validate_questions()
    values = form.answer_values()
    errors = {q: form[q].errors for q in sent if form[q].errors}
    if errors:
        return jsonify(error="invalid", errors=errors), 422
    versions = _base_versions(form_class.questions)
    scope = section_scope(definition, section)
    stored = queries.answer_values(definition, queries.read_answers(submission, scope, ()))
    begin_writing()
    answers: dict[str, Answer] = {}
    try:
        operations.reload_for_saving(submission, answers, sent)
        saved = operations.save_answers(submission, values, versions, user, answers=answers)
    except ConflictError as exc:
        return jsonify(error="conflict", conflicts=[_conflict_json(c) for c in exc.conflicts]), 409
    except NotEditableError:
        return jsonify(error="locked", message=_("This submission can no longer be changed.")), 409
    new_versions = {qid: saved[qid].version for qid in sent if qid in saved}
    values_now = _with_saved(stored, queries.answer_values(definition, saved), sent)
    progress = progress_of(section, values_now, visible_ids(definition, values_now))
    progress_bar = get_template_attribute("_macros/survey.html", "progress_bar")
    return jsonify(
        saved_at=dt.datetime.now(dt.UTC).isoformat(),
        versions=new_versions,
        progress=asdict(progress),
        # The section's progress bar as the page shows it, in the user's language.
        progress_html=str(progress_bar(progress, section.title.get(current_language()))),
    )


def _with_saved(
    stored: Mapping[str, AnswerValue], saved: Mapping[str, AnswerValue], sent: frozenset[str]
) -> dict[str, AnswerValue]:
    """The answers as read, with those just sent as they are now saved (or cleared)."""
    values = {qid: value for qid, value in stored.items() if qid not in sent}
    values.update(saved)
    return values


def _conflict_json(conflict: Conflict) -> dict[str, Any]:
    return {
        "question_id": conflict.question_id,
        "yours": conflict.yours,
        "theirs": conflict.theirs,
        "their_version": conflict.their_version,
        "updated_by": conflict.updated_by,
        "updated_dt": conflict.updated_dt.isoformat() if conflict.updated_dt else None,
    }


def download_evidence(submission_id: int, evidence_id: int) -> ResponseReturnValue:
    submission, _user = _load(submission_id, may_read_submission)
    evidence = _evidence_of(submission, evidence_id)
    if evidence.storage_key is None:
        abort(404)
    return send_attachment(
        queries.evidence_path(evidence),
        evidence.original_name or "evidence",
        evidence.content_type or "application/octet-stream",
    )


def submit(submission_id: int) -> ResponseReturnValue:
    submission, user = _load(submission_id, may_submit)
    try:
        changed = operations.submit(submission, user)
    except SubmissionIncompleteError as exc:
        flash(_("The submission is not complete yet: see the list below."), "error")
        context = queries.overview_context(submission, user, problems=exc.problems)
        return render_template("survey/overview.html", **context), 422
    except NotEditableError:
        flash(_("This submission can no longer be changed."), "error")
        return redirect(url_for("survey.overview", submission_id=submission.id))
    if changed:
        flash(_("Thank you. Your submission has been sent for review."), "success")
    return redirect(url_for("survey.overview", submission_id=submission.id))
