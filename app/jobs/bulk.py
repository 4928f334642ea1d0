"""The bulk scorecard ZIP: every published scorecard of a campaign (or every answered one) in
one language, rendered in parallel, then packed into one file.

The job is planned as chunks of submission ids, which any number of worker processes take in
parallel (`render_chunk`), and a final step that packs the ZIP (`assemble`). Both run in the
runner's workers and receive ids and primitives only.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from app import audit, db
from app.audit import AuditKind
from app.auth.models import User
from app.campaigns.models import Campaign
from app.countries.models import Country
from app.jobs import operations
from app.jobs.models import Job, JobKind, JobStatus
from app.jobs.runners import PartialFailure, Plan, Step, enqueue_after_commit, register_planner
from app.jobs.worker import task_context
from app.survey.models import Submission
from app.transactions import reading, transactional

logger = logging.getLogger(__name__)

R = TypeVar("R")

#: Between heartbeats while packing the ZIP.
_ZIP_HEARTBEAT_EVERY = 25


class NothingToRenderError(Exception):
    """The campaign has no scorecard to put in the ZIP (none published, or none answered)."""


def dedupe_key(campaign_id: int, lang: str, include_unpublished: bool) -> str:
    scope = "all" if include_unpublished else "published"
    return f"{JobKind.BULK_SCORECARDS.value}:{campaign_id}:{lang}:{scope}"


def submission_ids(campaign_id: int, include_unpublished: bool) -> list[int]:
    from app.scorecards import operations as scorecards

    if include_unpublished:
        return scorecards.all_submission_ids(campaign_id)
    return scorecards.published_submission_ids(campaign_id)


def request_bulk_scorecards(
    campaign: Campaign,
    lang: str,
    *,
    include_unpublished: bool = False,
    user: User | None = None,
    background: bool = True,
) -> tuple[Job, bool]:
    """The job that builds this ZIP: a new one, or the one already queued or running.

    The submissions are fixed when the job is created. With `background`, a new job is handed
    to the runner once the transaction has committed; otherwise the caller runs it.
    """
    ids = submission_ids(campaign.id, include_unpublished)
    if not ids:
        raise NothingToRenderError(campaign.id)
    parameters = {
        "campaign_id": campaign.id,
        "lang": lang,
        "include_unpublished": include_unpublished,
        "submission_ids": ids,
    }
    job, created = operations.create_job(
        JobKind.BULK_SCORECARDS,
        dedupe_key(campaign.id, lang, include_unpublished),
        parameters,
        total=len(ids),
        user=user,
    )
    if created:
        audit.record(
            "jobs",
            f"Scorecards ZIP asked for: campaign {campaign.id}, {lang}"
            + (", unpublished included" if include_unpublished else ""),
            kind=AuditKind.POSITIVE,
            user_id=user.id if user is not None else None,
            meta={
                "job_id": job.id,
                **{k: v for k, v in parameters.items() if k != "submission_ids"},
            },
        )
        if background:
            enqueue_after_commit(job.id)
    return job, created


# --- Planning and the tasks the workers run ---


def plan(job: Job, chunk_size: int) -> Plan:
    lang = job.parameters["lang"]
    ids: list[int] = job.parameters["submission_ids"]
    steps = [
        Step(render_chunk, (job.id, lang, ids[i : i + chunk_size]), len(ids[i : i + chunk_size]))
        for i in range(0, len(ids), chunk_size)
    ]
    return Plan(job.id, steps, Step(assemble, (job.id,)))


register_planner(JobKind.BULK_SCORECARDS, plan, preload=("app.scorecards.operations",))


def _in_transaction(func: Callable[..., R], *args: Any) -> R:
    """Each call its own short transaction: progress is visible at once, and a worker holds no
    lock between one scorecard and the next."""
    return transactional(func)(*args)


def _reading(func: Callable[..., R], *args: Any) -> R:
    """`func` in a read-only transaction of its own."""
    with reading():
        return func(*args)


def _scorecard(submission_id: int, lang: str) -> Path:
    """Reads in a short unit, then renders with no transaction held, so the workers render
    side by side (on SQLite, no write lock; on PostgreSQL, no connection held)."""
    from app.scorecards.operations import scorecard_pdf_path

    return scorecard_pdf_path(submission_id, lang)


def render_chunk(job_id: int, lang: str, submission_ids: list[int]) -> int:
    """Render (or find cached) these scorecards; returns how many. Stops early, without error,
    when the job was failed meanwhile. A scorecard that cannot be rendered is logged and left
    for `assemble`, which leaves it out of the ZIP: one country never costs the others theirs."""
    with task_context():
        if not _in_transaction(operations.start_job, job_id):
            return 0
        failures: list[str] = []
        for count, submission_id in enumerate(submission_ids, start=1):
            _pdf, failure = _try_scorecard(job_id, submission_id, lang)
            failures += [failure] if failure else []
            if not _in_transaction(operations.add_progress, job_id, 1):
                return count
        if failures:
            # The task did not do all it was given; the job goes on (`assemble` reports).
            raise PartialFailure("; ".join(failures))
        return len(submission_ids)


def _try_scorecard(job_id: int, submission_id: int, lang: str) -> tuple[Path | None, str]:
    """The scorecard's PDF, or None and why (logged) if it cannot be rendered."""
    try:
        return _scorecard(submission_id, lang), ""
    except Exception as exc:
        logger.exception("Job %s: the scorecard of submission %s failed", job_id, submission_id)
        return None, f"Submission {submission_id}: {type(exc).__name__}: {exc}"


def assemble(job_id: int) -> str | None:
    """Pack the rendered scorecards into the job's ZIP (written atomically) and finish the job.

    Scorecards a lost chunk did not render are rendered here. Returns the ZIP's path, or None
    when the job had already failed."""
    with task_context():
        try:
            return _assemble(job_id)
        except Exception as exc:
            _in_transaction(operations.fail_job, job_id, f"{type(exc).__name__}: {exc}")
            raise


def _assemble(job_id: int) -> str | None:
    prepared = _reading(_prepare_zip, job_id)
    if prepared is None:
        return None
    ids, names, lang, target = prepared
    entries: list[tuple[str, Path]] = []
    left_out: list[int] = []
    failures: list[str] = []
    for index, submission_id in enumerate(ids):
        if index % _ZIP_HEARTBEAT_EVERY == 0 and not _in_transaction(operations.heartbeat, job_id):
            return None
        name = names.get(submission_id)
        pdf, failure = _try_scorecard(job_id, submission_id, lang)
        if pdf is None or name is None:
            left_out.append(submission_id)
            failures.append(failure or f"Submission {submission_id}: not found")
        else:
            entries.append((name, pdf))
    if not entries:  # nothing to pack: the job failed, and says why
        _in_transaction(operations.fail_job, job_id, "; ".join(failures))
        return None
    operations.write_atomically(target, lambda path: write_zip(path, entries))
    if not _in_transaction(operations.finish_job, job_id, target, left_out):
        target.unlink(missing_ok=True)
        return None
    logger.info("Job %s: %s scorecards packed into %s", job_id, len(entries), target)
    if left_out:
        logger.warning("Job %s: submissions left out of the ZIP: %s", job_id, left_out)
    return str(target)


def _prepare_zip(job_id: int) -> tuple[list[int], dict[int, str], str, Path] | None:
    """The job's submissions, the ZIP's entry names, language and path; None unless the job is
    running."""
    job = operations.get_job(job_id)
    if job is None or job.status is not JobStatus.RUNNING:
        return None
    campaign = db.session.get(Campaign, job.parameters["campaign_id"])
    assert campaign is not None  # noqa: S101 - campaigns are never deleted
    lang = job.parameters["lang"]
    ids: list[int] = job.parameters["submission_ids"]
    names = entry_names(campaign, ids, lang)
    target = operations.result_folder(job_id) / zip_name(campaign, lang, job.parameters)
    return ids, names, lang, target


def entry_names(campaign: Campaign, ids: list[int], lang: str) -> dict[int, str]:
    """ZIP entry names by submission id, in the job's order: `FRA-<questionnaire>-v1-fr.pdf`."""
    rows = db.session.execute(
        select(Submission.id, Country.iso3).join(Country).where(Submission.id.in_(ids))
    ).all()
    iso3 = {row.id: row.iso3 for row in rows}
    stem = f"{campaign.questionnaire_id}-v{campaign.questionnaire_version}-{lang}"
    return {sid: f"{iso3[sid]}-{stem}.pdf" for sid in ids if sid in iso3}


def zip_name(campaign: Campaign, lang: str, parameters: dict[str, Any]) -> str:
    scope = "-all" if parameters.get("include_unpublished") else ""
    return (
        f"scorecards-{campaign.questionnaire_id}-v{campaign.questionnaire_version}"
        f"-campaign{campaign.id}-{lang}{scope}.zip"
    )


def write_zip(path: Path, entries: list[tuple[str, Path]]) -> None:
    # PDFs are compressed already; the lightest deflate still trims their uncompressed parts.
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, pdf in entries:
            zf.write(pdf, arcname=name)
