"""A background job: what to do (ids and primitives), how far it got, and where its file is."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Model, enum_column, model_repr, utcnow


class JobKind(StrEnum):
    BULK_SCORECARDS = "bulk_scorecards"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


#: Statuses of a job that still holds its place: asking again returns it instead of a new one.
ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
_ACTIVE_SQL = "status IN ('queued', 'running')"


class Job(Model):
    """Work done by a runner (a local process pool or RQ workers), tracked in the database.

    `parameters` holds ids and primitives only, so any process can pick the job up. `dedupe_key`
    names what the job produces: at most one queued or running job per key (a partial unique
    index), so a request sent twice gets the job already under way.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("progress_done >= 0 AND progress_total >= 0", name="progress_positive"),
        Index(
            "ix_jobs_dedupe_key_active",
            "dedupe_key",
            unique=True,
            postgresql_where=_ACTIVE_SQL,
            sqlite_where=_ACTIVE_SQL,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[JobKind] = mapped_column(enum_column(JobKind, "job_kind"))
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus, "job_status"), default=JobStatus.QUEUED, index=True
    )
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    #: Relative to the instance folder; the file is only ever sent through a checked view.
    result_path: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    started_dt: Mapped[datetime | None]
    #: Refreshed while the job makes progress; a running job whose heartbeat stops is failed.
    heartbeat_dt: Mapped[datetime | None]
    finished_dt: Mapped[datetime | None]

    requested_by: Mapped[User | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent(self) -> int:
        if self.status is JobStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, 100 * self.progress_done // self.progress_total)

    def __repr__(self) -> str:
        return model_repr(self, "id", "kind", "status")


__all__ = ["ACTIVE_STATUSES", "Job", "JobKind", "JobStatus"]
