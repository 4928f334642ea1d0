from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.campaigns.models import Campaign
from app.countries.models import Country
from app.db import JSONType, Model, enum_column, model_repr, utcnow


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VALIDATED = "validated"
    PUBLISHED = "published"


class Submission(Model):
    """One country's answers to one campaign."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("campaign_id", "country_id"),
        CheckConstraint("revision >= 0", name="revision_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), index=True)
    status: Mapped[SubmissionStatus] = mapped_column(
        enum_column(SubmissionStatus, "submission_status"), default=SubmissionStatus.DRAFT
    )
    #: Raised on every change of an answer or its evidence; keys caches such as rendered PDFs.
    revision: Mapped[int] = mapped_column(default=0)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_dt: Mapped[datetime | None]
    validated_dt: Mapped[datetime | None]
    published_dt: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    country: Mapped[Country] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return model_repr(self, "id", "campaign_id", "country_id", "status")


class Answer(Model):
    """The current answer to one question. `version` guards against silent overwrites: a save
    names the version it started from and fails when someone else saved in between."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("submission_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(120))
    # `null` in JSON is an explicitly cleared answer; the SQL NULL never occurs.
    value: Mapped[Any] = mapped_column(JSONType, nullable=True)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="answers")
    updated_by: Mapped[User | None] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="answer", order_by="Evidence.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return model_repr(self, "id", "submission_id", "question_id", "version")


class EvidenceKind(StrEnum):
    FILE = "file"
    LINK = "link"


class Evidence(Model):
    """A file or a link that backs an answer. Removing one marks it deleted, so the audit trail
    and the reviewer can still see what was there."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint("kind != 'link' OR url IS NOT NULL", name="link_has_url"),
        CheckConstraint(
            "kind != 'file' OR (storage_key IS NOT NULL AND sha256 IS NOT NULL "
            "AND size IS NOT NULL)",
            name="file_is_stored",
        ),
        CheckConstraint("size IS NULL OR size >= 0", name="size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind, "evidence_kind"))
    url: Mapped[str | None] = mapped_column(String(2048))
    storage_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    is_deleted: Mapped[bool] = mapped_column(default=False)
    deleted_dt: Mapped[datetime | None]

    answer: Mapped[Answer] = relationship(back_populates="evidence")

    def __repr__(self) -> str:
        return model_repr(self, "id", "answer_id", "kind")


__all__ = ["Answer", "Evidence", "EvidenceKind", "Submission", "SubmissionStatus"]
