from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Model, model_repr, utcnow


class Campaign(Model):
    """A survey cycle. It keeps a frozen copy of its definition, so editing a file never
    changes what a running campaign asks or how it scores."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("closes_on >= opens_on", name="closes_after_opening"),
        UniqueConstraint("questionnaire_id", "questionnaire_version", "title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    questionnaire_id: Mapped[str] = mapped_column(String(120), index=True)
    questionnaire_version: Mapped[int]
    #: Hundreds of kilobytes of JSON, parsed once per process (`campaign_definition`): loaded
    #: only when read, not with every campaign a page touches.
    definition: Mapped[dict[str, Any]] = mapped_column(deferred=True)
    definition_hash: Mapped[str] = mapped_column(String(64))
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return model_repr(self, "id", "questionnaire_id", "questionnaire_version")
